/**
 * install-cert: generate, import or select the application's certificate (DESIGN §3).
 * Light at import time: the implementation (forge, crypto, the config editor) loads inside `run`.
 */
import { dirname, resolve } from 'node:path';
import { defineCommand } from '../src/cli/command.js';
import { integerOption } from '../src/cli/options.js';
import { applyExitCode, renderEditVerbWithApply } from '../src/cli/render.js';
import { displayPath } from '../src/util/paths.js';
import { applyCommand } from './apply.js';
import type { InstallCertInput, InstallCertResult } from '../src/cmdlets/install-cert.js';
import type { SourceInput } from '../src/certs/sources.js';

type InstallCertArgs = Omit<SourceInput, 'pendingKeyPair'> & { store?: string; apply?: boolean };


export const installCertCommand = defineCommand<InstallCertArgs, InstallCertResult>({
  command: 'install-cert',
  describe: 'Generate, import (PFX) or select the certificate the application signs in with',
  examples: [
    ['$0 install-cert --generate', 'a new self-signed RSA-2048 certificate, CN=<application name>, valid 730 days'],
    ['$0 install-cert --generate --subject "CN=Restore Portal, O=Contoso" --validity-days 365 --key-size 3072', 'choose the name, lifetime and key size'],
    ['PFX_PASSWORD=… $0 install-cert --pfx portal.pfx --password-env PFX_PASSWORD', 'import a PFX; the password comes from the variable named'],
    ['$0 install-cert --pfx portal.pfx --password-stdin < pw.txt', 'import a PFX; the password is read from stdin (one trailing newline dropped)'],
    ['$0 install-cert --pfx portal.pfx', 'import a PFX; asks for its password on a terminal (none needed if it has none)'],
    ['$0 install-cert --thumbprint 9F:3A:…:C1', 'select a certificate already in the store (SHA-1, colons and spaces allowed)'],
    ['$0 install-cert --generate --what-if', 'show the config edit; write nothing (not the store, not the config, not the .cer)'],
    ['$0 install-cert --generate --apply', 'then register the certificate in Entra (runs apply)'],
  ],
  builder: (y) =>
    y
      .option('generate', { type: 'boolean', describe: 'source: make a new self-signed certificate (RSA, SHA-256)' })
      .option('subject', { type: 'string', requiresArg: true, describe: 'with --generate: the subject DN (default CN=<application.name>, else CN=Veeam Restore Portal)' })
      .option('validity-days', {
        type: 'string',
        requiresArg: true,
        describe: 'with --generate: days of validity, 1–3650 (default 730)',
        coerce: integerOption('validity-days', { check: (n) => n >= 1 && n <= 3650, rule: 'a whole number of days from 1 to 3650' }),
      })
      .option('key-size', {
        type: 'string',
        requiresArg: true,
        describe: 'with --generate: RSA key size, 2048 | 3072 | 4096 (default 2048)',
        coerce: integerOption('key-size', { check: (n) => n === 2048 || n === 3072 || n === 4096, rule: '2048, 3072 or 4096' }),
      })
      .option('pfx', { type: 'string', requiresArg: true, describe: 'source: import this PKCS#12 (.pfx/.p12) file into the store' })
      .option('password-env', { type: 'string', requiresArg: true, describe: 'with --pfx: the NAME of an environment variable holding the password' })
      .option('password-stdin', { type: 'boolean', describe: 'with --pfx: read the password from stdin' })
      .option('thumbprint', { type: 'string', requiresArg: true, describe: 'source: select the certificate with this SHA-1 thumbprint from the store' })
      .option('store', {
        type: 'string',
        requiresArg: true,
        describe: 'the certificate store folder (default $ENTRA_PORTAL_STORE, else $XDG_DATA_HOME/entra-portal/store, else ~/.local/share/entra-portal/store)',
      })
      .option('apply', { type: 'boolean', describe: 'then reconcile Entra with the config (runs apply)' })
      .epilog(
        // lines under 100 columns: yargs re-wraps longer ones mid-sentence (its width is at most 110)
        [
          'Exactly one source: --generate, --pfx or --thumbprint.',
          'The certificate and its private key go to the store (<THUMBPRINT>.pfx, mode 0600, protected',
          'by the store key or $ENTRA_PORTAL_STORE_PASSWORD); its public part to certs/<THUMBPRINT>.cer',
          'next to the config, which records certificate.thumbprint and certificate.file.',
          'Passwords never reach the config, the output or an error message.',
        ].join('\n'),
      ),
  async run(args, ctx) {
    // start the RSA key generation (thread pool) now, so it overlaps loading the config modules
    let pendingKeyPair: InstallCertInput['pendingKeyPair'];
    if (args.generate && args.pfx === undefined && args.thumbprint === undefined) {
      const { startRsaKeyPair } = await import('../src/certs/keygen.js');
      pendingKeyPair = startRsaKeyPair(args.keySize ?? 2048);
      pendingKeyPair.catch(() => undefined); // a usage error may end the run before it is awaited
    }
    const { installCert } = await import('../src/cmdlets/install-cert.js');
    const input: InstallCertInput = {
      ...(pendingKeyPair ? { pendingKeyPair } : {}),
      config: args.config,
      whatIf: args.whatIf,
      ...(args.generate ? { generate: true } : {}),
      subject: args.subject,
      validityDays: args.validityDays,
      keySize: args.keySize,
      pfx: args.pfx,
      passwordEnv: args.passwordEnv,
      ...(args.passwordStdin ? { passwordStdin: true } : {}),
      thumbprint: args.thumbprint,
      store: args.store,
      ...(args.apply ? { apply: true } : {}),
    };
    return installCert(input, ctx);
  },
  render(result, ctx, args) {
    const c = result.certificate;
    const verb = result.whatIf ? 'Would select' : 'Selected';
    const head = [
      `${verb} certificate ${c.thumbprint} (${c.subject}; ${c.source === 'generate' ? 'generated' : c.source === 'pfx' ? 'imported' : 'from the store'})`,
      `  valid   ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}`,
      `  store   ${displayPath(c.store, ctx.cwd)}`,
      // c.file is relative to the config's folder; shown relative to where the user stands
      `  public  ${displayPath(resolve(dirname(result.config), c.file), ctx.cwd)}`,
    ];
    // `changed` also counts the store entry and the .cer; the config part is what the diff shows
    // with --apply, apply's own summary follows, as after the other desired-state verbs
    const rest = renderEditVerbWithApply({ ...result, changed: result.diff !== undefined }, ctx, (a) => applyCommand.render?.(a as never, ctx, args as never));
    return [...head, ...(rest ? [rest] : [])].join('\n');
  },
  exitCode: (result) => applyExitCode(result),
});
