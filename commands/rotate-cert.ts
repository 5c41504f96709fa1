/**
 * rotate-cert: a new certificate while the old one stays registered (certificate.previous), then
 * --finish once VB365 uses the new one. Light at import time: the implementation loads inside `run`.
 */
import { defineCommand } from '../src/cli/command.js';
import { STORE_OPTION } from '../src/cli/options.js';
import { renderEditVerbWithApply } from '../src/cli/render.js';
import type { RotateCertResult } from '../src/cmdlets/rotate-cert.js';
import { configOption } from '../src/util/paths.js';
import { escapeControl } from '../src/util/text.js';
import { APPLY_OPTIONS, editVerbOutput } from './edit-output.js';
import { applyCommand } from './apply.js';
import { SOURCE_OPTIONS, sourceInput, type InstallCertArgs } from './install-cert.js';

type Args = InstallCertArgs & { finish?: boolean };

export const rotateCertCommand = defineCommand<Args, RotateCertResult>({
  name: 'rotate-cert',
  describe: 'Rotate the certificate without downtime: new one configured, old one kept until --finish',
  synopsis: '(--generate | --pfx <file> | --thumbprint <sha1> | --finish)',
  options: [
    ...SOURCE_OPTIONS,
    { name: 'finish', kind: 'boolean', describe: 'end the rotation: prove the new certificate signs in, then drop certificate.previous (with --apply: and the old key from Entra)' },
    STORE_OPTION,
    ...APPLY_OPTIONS,
  ],
  examples: [
    ['entra-portal rotate-cert --generate --apply', 'start: a new certificate; Entra then holds the new and the old key (no drift)'],
    ['entra-portal rotate-cert --finish --apply', 'once VB365 uses the new one: prove it signs in, then remove the old key from the config and Entra'],
    ['PFX_PASSWORD=… entra-portal rotate-cert --pfx renewed.pfx --password-env PFX_PASSWORD --apply', 'rotate to a certificate your CA issued'],
  ],
  notes: [
    'The procedure: rotate-cert --generate --apply; export-vb365 --out <folder> and run its Enable-RestorePortal.ps1 on the VB365 server; rotate-cert --finish --apply.',
    'While a rotation is in progress the config holds certificate.previous (thumbprint and file): apply keeps both keys registered, and the drift check counts both as managed.',
    '--finish signs in as the application with the new key (a real token request) before anything changes; it exits 65 when no rotation is in progress. With --apply it removes exactly the old key from Entra; other unmanaged items stay (apply --prune removes those).',
  ],
  async run(args, ctx) {
    // --finish takes no source: no key generation is started for it
    const input = await sourceInput(args.finish ? { ...args, generate: false } : args);
    const { rotateCert } = await import('../src/cmdlets/rotate-cert.js');
    return rotateCert({ ...input, ...(args.finish ? { finish: true, ...(args.generate ? { generate: true } : {}) } : {}) }, ctx);
  },
  render(result, ctx, args) {
    const c = result.certificate;
    const head =
      result.stage === 'started'
        ? [
            `${result.whatIf ? 'Would rotate' : 'Rotating'}: certificate ${c.thumbprint}${c.subject ? ` (${escapeControl(c.subject)})` : ''} is the configured one; ${result.previous.thumbprint} stays registered as certificate.previous.`,
            `Next: give VB365 the new certificate (entra-portal export-vb365${configOption(result.config, ctx.cwd)} --out <folder>, then run its script on the VB365 server), then entra-portal rotate-cert${configOption(result.config, ctx.cwd)} --finish --apply.`,
          ]
        : [
            `Signed in as application ${escapeControl(result.signIn?.appId ?? '')} with the new certificate ${c.thumbprint}.`,
            `${result.whatIf ? 'Would finish' : 'Finished'} the rotation: ${result.previous.thumbprint} is no longer in the config${result.apply ? (result.whatIf ? ' (apply would remove it from Entra)' : ' nor in Entra') : ''}.`,
          ];
    const rest = renderEditVerbWithApply({ ...result, changed: result.diff !== undefined }, ctx, (a) => applyCommand.render?.(a as never, ctx, args as never));
    return [...head, ...(rest ? [rest] : [])].join('\n');
  },
  exitCode: editVerbOutput.exitCode,
});
