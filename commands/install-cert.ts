/**
 * install-cert: generate, import or select the application's certificate.
 * Light at import time: the implementation (forge, crypto, the config editor) loads inside `run`.
 */
import { dirname, resolve } from 'node:path';
import { defineCommand, type GlobalArgs, type OptionSpec } from '../src/cli/command.js';
import { STORE_OPTION } from '../src/cli/options.js';
import { renderEditVerbWithApply } from '../src/cli/render.js';
import { displayPath } from '../src/util/paths.js';
import { APPLY_OPTIONS, chainedApply, editVerbOutput, type ApplyArgs } from './edit-output.js';
import { escapeControl } from '../src/util/text.js';
import { applyCommand } from './apply.js';
import type { InstallCertInput, InstallCertResult } from '../src/cmdlets/install-cert.js';
import type { SourceInput } from '../src/certs/sources.js';

export type InstallCertArgs = Omit<SourceInput, 'pendingKeyPair'> & ApplyArgs & { store?: string };

/** The three sources of a certificate (install-cert, rotate-cert), as in VB365's "Select Certificate" wizard. */
export const SOURCE_OPTIONS: readonly OptionSpec[] = [
  { name: 'generate', kind: 'boolean', describe: 'source: make a new self-signed certificate (RSA, SHA-256)' },
  { name: 'subject', kind: 'string', value: 'dn', describe: 'with --generate: the subject DN', defaultText: 'CN=<application.name>, else CN=Veeam Restore Portal' },
  {
    name: 'validity-days',
    kind: 'integer',
    value: 'days',
    defaultText: '365',
    check: (n) => n >= 1 && n <= 3650,
    rule: 'a whole number of days from 1 to 3650',
    describe: 'with --generate: days of validity, 1–3650',
  },
  {
    name: 'key-size',
    kind: 'integer',
    value: 'bits',
    defaultText: '2048',
    check: (n) => n === 2048 || n === 3072 || n === 4096,
    rule: '2048, 3072 or 4096',
    describe: 'with --generate: RSA key size, 2048, 3072 or 4096',
  },
  { name: 'pfx', kind: 'string', value: 'file', describe: 'source: import this PKCS#12 (.pfx/.p12) file into the store' },
  { name: 'password-env', kind: 'string', value: 'VAR', describe: 'with --pfx: the NAME of an environment variable holding the password' },
  { name: 'password-stdin', kind: 'boolean', describe: 'with --pfx: read the password from stdin' },
  { name: 'thumbprint', kind: 'string', value: 'sha1', describe: 'source: select the certificate with this SHA-1 thumbprint from the store' },
];

/**
 * The cmdlet input from the parsed options (install-cert, rotate-cert). With --generate the RSA key
 * generation starts now (thread pool), so it overlaps loading the config modules.
 */
export async function sourceInput(args: InstallCertArgs & GlobalArgs): Promise<InstallCertInput> {
  let pendingKeyPair: InstallCertInput['pendingKeyPair'];
  if (args.generate && args.pfx === undefined && args.thumbprint === undefined) {
    const { startRsaKeyPair } = await import('../src/certs/keygen.js');
    pendingKeyPair = startRsaKeyPair(args.keySize ?? 2048);
    pendingKeyPair.catch(() => undefined); // a usage error may end the run before it is awaited
  }
  return {
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
    apply: chainedApply(args),
  };
}

export const installCertCommand = defineCommand<InstallCertArgs, InstallCertResult>({
  name: 'install-cert',
  describe: 'Generate, import (PFX) or select the certificate the application signs in with',
  synopsis: '(--generate | --pfx <file> | --thumbprint <sha1>)',
  options: [
    ...SOURCE_OPTIONS,
    STORE_OPTION,
    ...APPLY_OPTIONS,
  ],
  examples: [
    ['$0 install-cert --generate', 'a new self-signed RSA-2048 certificate, CN=<application name>, valid 365 days'],
    ['$0 install-cert --generate --subject "CN=Restore Portal, O=Contoso" --validity-days 180 --key-size 3072', 'choose the name, lifetime and key size'],
    ['PFX_PASSWORD=… $0 install-cert --pfx portal.pfx --password-env PFX_PASSWORD', 'import a PFX; the password comes from the variable named'],
    ['$0 install-cert --pfx portal.pfx --password-stdin < pw.txt', 'import a PFX; the password is read from stdin (one trailing newline dropped)'],
    ['$0 install-cert --pfx portal.pfx', 'import a PFX; asks for its password on a terminal (none needed if it has none)'],
    ['$0 install-cert --thumbprint 9F:3A:…:C1', 'select a certificate already in the store (SHA-1, colons and spaces allowed)'],
    ['$0 install-cert --generate --what-if', 'show the config edit; write nothing (not the store, not the config, not the .cer)'],
    ['$0 install-cert --generate --apply', 'then register the certificate in Entra (runs apply)'],
  ],
  notes: [
    'Exactly one source: --generate, --pfx or --thumbprint.',
    'The certificate and its private key go to the store (<THUMBPRINT>.pfx, mode 0600, protected by the store key or $ENTRA_PORTAL_STORE_PASSWORD); its public part to certs/<THUMBPRINT>.cer next to the config, which records certificate.thumbprint and certificate.file.',
    'Passwords never reach the config, the output or an error message.',
  ],
  async run(args, ctx) {
    const input = await sourceInput(args);
    const { installCert } = await import('../src/cmdlets/install-cert.js');
    return installCert(input, ctx);
  },
  render(result, ctx, args) {
    const c = result.certificate;
    const verb = result.whatIf ? 'Would select' : 'Selected';
    const head = [
      `${verb} certificate ${c.thumbprint} (${escapeControl(c.subject)}; ${c.source === 'generate' ? 'generated' : c.source === 'pfx' ? 'imported' : 'from the store'})`,
      `  valid   ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}`,
      `  store   ${escapeControl(displayPath(c.store, ctx.cwd))}`,
      // c.file is relative to the config's folder; shown relative to where the user stands
      `  public  ${escapeControl(displayPath(resolve(dirname(result.config), c.file), ctx.cwd))}`,
    ];
    // `changed` also counts the store entry and the .cer; the config part is what the diff shows
    // with --apply, apply's own summary follows, as after the other desired-state verbs
    const rest = renderEditVerbWithApply({ ...result, changed: result.diff !== undefined }, ctx, (a) => applyCommand.render?.(a as never, ctx, args as never));
    return [...head, ...(rest ? [rest] : [])].join('\n');
  },
  exitCode: editVerbOutput.exitCode,
});
