/**
 * export-cert: the configured certificate and its private key as a password-protected PFX.
 * Light at import time: forge and the store load inside `run`.
 */
import { defineCommand } from '../src/cli/command.js';
import { displayPath } from '../src/util/paths.js';
import type { ExportCertResult } from '../src/cmdlets/export-cert.js';
import { EXPORT_OPTIONS, exportInput, type ExportArgs } from './export-options.js';

type Args = ExportArgs & { thumbprint?: string };

export const exportCertCommand = defineCommand<Args, ExportCertResult>({
  name: 'export-cert',
  describe: 'Write the certificate and its private key as a PFX with a password you choose (for VB365)',
  options: [
    { name: 'out', kind: 'string', value: 'file.pfx', required: 'Name the file to write: --out <file.pfx>', describe: 'the PFX file to write (mode 0600; an existing file is refused without --force)' },
    ...EXPORT_OPTIONS,
    { name: 'thumbprint', kind: 'string', value: 'sha1', describe: 'export this store entry instead of the configured certificate' },
  ],
  examples: [
    ['PFX_PASSWORD=… entra-portal export-cert --out portal.pfx --password-env PFX_PASSWORD', 'AES-256 PFX of the configured certificate; the password from the variable named'],
    ['entra-portal export-cert --out portal.pfx --legacy --password-stdin < pw.txt', '3DES and a SHA-1 MAC, for Windows Server 2016'],
    ['entra-portal export-cert --out portal.pfx', 'on a terminal: asks for the password twice'],
    ['entra-portal export-cert --out old.pfx --thumbprint 9F:3A:…:C1 --password-env PFX_PASSWORD --force', 'another store entry; replace old.pfx'],
  ],
  notes: [
    'The password is never taken on the command line and never printed: --password-env names a variable, --password-stdin reads it, a terminal asks for it twice.',
    'Look inside with: openssl pkcs12 -in portal.pfx -info -noout (add -legacy for a --legacy file).',
  ],
  async run(args, ctx) {
    const { exportCert } = await import('../src/cmdlets/export-cert.js');
    return exportCert({ ...exportInput(args), config: args.config, whatIf: args.whatIf === true, ...(args.thumbprint !== undefined ? { thumbprint: args.thumbprint } : {}) }, ctx);
  },
  render(result, ctx) {
    const p = result.pfx;
    const verb = result.whatIf ? 'Would export' : p.replaced ? 'Exported (replaced)' : 'Exported';
    return [
      `${verb} certificate ${p.thumbprint} (${p.subject}) with its private key to ${displayPath(p.path, ctx.cwd)}`,
      `  valid       ${p.notBefore.slice(0, 10)} → ${p.notAfter.slice(0, 10)}`,
      `  protection  ${p.keyEncryption}, ${p.mac} MAC${p.profile === 'legacy' ? ' (--legacy: for Windows Server 2016)' : ''}`,
    ].join('\n');
  },
});
