/**
 * export-vb365: the PFX and Enable-RestorePortal.ps1, the step on the VB365 server.
 * Light at import time: the implementation loads inside `run`.
 */
import { dirname } from 'node:path';
import { defineCommand } from '../src/cli/command.js';
import { displayPath } from '../src/util/paths.js';
import type { ExportVb365Result } from '../src/cmdlets/export-vb365.js';
import { EXPORT_OPTIONS, exportInput, type ExportArgs } from './export-options.js';

export const exportVb365Command = defineCommand<ExportArgs, ExportVb365Result>({
  name: 'export-vb365',
  describe: 'Write the PFX and Enable-RestorePortal.ps1: the step that configures VB365 on its server',
  options: [
    { name: 'out', kind: 'string', value: 'folder', required: 'Name the folder to write into: --out <folder>', describe: 'the folder for the PFX and the script (created when missing; existing files are refused without --force)' },
    ...EXPORT_OPTIONS,
  ],
  examples: [
    ['PFX_PASSWORD=… entra-portal export-vb365 --out vb365 --password-env PFX_PASSWORD', 'vb365/<THUMBPRINT>.pfx and vb365/Enable-RestorePortal.ps1'],
    ['entra-portal export-vb365 --out vb365 --legacy --password-stdin < pw.txt', 'a 3DES PFX, for a VB365 server on Windows Server 2016'],
    ['entra-portal export-vb365 --out vb365 --json', 'on a terminal: asks for the password; the result as JSON (schemas/export-vb365.schema.json)'],
  ],
  notes: [
    'Then, on the VB365 server, with the two files in one folder, in an elevated PowerShell: powershell.exe -ExecutionPolicy Bypass -File .\\Enable-RestorePortal.ps1',
    'The script runs Set-VBORestorePortalSettings (and Set-VBORestAPISettings -HTTPSPort when the port is not 4443), reads the settings back with Get-VBORestorePortalSettings and fails on any difference. It asks for the PFX password, or reads $env:ENTRA_PORTAL_PFX_PASSWORD.',
    'Refused (65) until apply has recorded application.appId, and where the store lacks the certificate\'s private key.',
  ],
  async run(args, ctx) {
    const { exportVb365 } = await import('../src/cmdlets/export-vb365.js');
    return exportVb365({ ...exportInput(args), config: args.config, whatIf: args.whatIf === true }, ctx);
  },
  render(result, ctx) {
    const shown = (p: string) => displayPath(p, ctx.cwd);
    const head = result.whatIf ? 'Would write' : 'Wrote';
    return [
      `${head} ${shown(result.pfx.path)} (certificate ${result.thumbprint}, ${result.pfx.keyEncryption}, ${result.pfx.mac} MAC)`,
      `${head} ${shown(result.script)} (application ${result.applicationId}, region ${result.region}, ${result.portalUri})`,
      '',
      `Next, on the VB365 server: copy ${shown(dirname(result.script))} there (the PFX stays beside the script), then in an elevated PowerShell in it run`,
      '  powershell.exe -ExecutionPolicy Bypass -File .\\Enable-RestorePortal.ps1',
      `It asks for the PFX password (or reads $env:${result.passwordVariable}), configures the Restore Portal and verifies it.`,
    ].join('\n');
  },
});
