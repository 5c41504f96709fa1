/**
 * install-cert's three sources, as in the VB365 "Select Certificate" wizard: generate a self-signed
 * certificate, import a PFX, or select one already in the store. Each yields the certificate and
 * (except the store) its private key; nothing is written here.
 */
import { readRegularFile } from '../util/fs.js';
import type { Context } from '../context.js';
import { InputError, UsageError } from '../errors.js';
import { generateSelfSigned, subjectDn, type KeySize } from './generate.js';
import { parseDn } from './dn.js';
import type { RsaKeyPairPem } from './keygen.js';
import { MAX_CERTIFICATE_BYTES, normalizeThumbprint, type CertificateInfo } from './info.js';
import { readPfx } from './pfx.js';
import { canPrompt, passwordFromEnv, passwordFromStdin, promptPassword } from './password.js';
import { listStore, loadFromStore } from './store.js';

export type CertificateSource = 'generate' | 'pfx' | 'store';

export interface ObtainedCertificate {
  source: CertificateSource;
  info: CertificateInfo;
  keyPem: string;
  /** DER of the other certificates in an imported PFX */
  chainDer: Buffer[];
}

export interface SourceInput {
  generate?: boolean;
  subject?: string;
  validityDays?: number;
  keySize?: number;
  pfx?: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
  thumbprint?: string;
  /**
   * with generate: a key pair of keySize bits already being generated (startRsaKeyPair) — the CLI
   * starts it before loading the config so the two overlap. Never printed.
   */
  pendingKeyPair?: Promise<RsaKeyPairPem>;
}

/** Exactly one source, and no option of another source (UsageError 64 otherwise). */
export function checkSourceOptions(input: SourceInput): CertificateSource {
  const chosen = [
    input.generate ? '--generate' : undefined,
    input.pfx !== undefined ? '--pfx' : undefined,
    input.thumbprint !== undefined ? '--thumbprint' : undefined,
  ].filter((s): s is string => s !== undefined);
  if (chosen.length === 0) {
    throw new UsageError('install-cert needs a source: --generate, --pfx <file> or --thumbprint <sha1>');
  }
  if (chosen.length > 1) throw new UsageError(`conflicting options: ${chosen.join(' and ')} (choose one source)`);
  const stray = (names: [string, unknown][], owner: string) => {
    const given = names.filter(([, v]) => v !== undefined && v !== false).map(([n]) => n);
    if (given.length) throw new UsageError(`${given.join(', ')} only go${given.length === 1 ? 'es' : ''} with ${owner}`);
  };
  if (!input.generate) {
    stray([['--subject', input.subject], ['--validity-days', input.validityDays], ['--key-size', input.keySize]], '--generate');
  }
  if (input.pfx === undefined) stray([['--password-env', input.passwordEnv], ['--password-stdin', input.passwordStdin]], '--pfx');
  if (input.passwordEnv !== undefined && input.passwordStdin) throw new UsageError('conflicting options: --password-env and --password-stdin');
  if (input.validityDays !== undefined && (!Number.isInteger(input.validityDays) || input.validityDays < 1 || input.validityDays > 3650)) {
    throw new UsageError(`--validity-days must be a whole number of days from 1 to 3650, not ${input.validityDays}`);
  }
  if (input.keySize !== undefined && ![2048, 3072, 4096].includes(input.keySize)) {
    throw new UsageError(`--key-size must be 2048, 3072 or 4096, not ${input.keySize}`);
  }
  if (input.subject !== undefined) parseDn(subjectDn(input.subject)); // UsageError with an example
  if (input.thumbprint !== undefined && !normalizeThumbprint(input.thumbprint)) {
    throw new UsageError(`--thumbprint "${input.thumbprint}" is not a SHA-1 thumbprint: 40 hexadecimal digits (colons and spaces allowed)`);
  }
  return input.generate ? 'generate' : input.pfx !== undefined ? 'pfx' : 'store';
}

async function importPfx(file: string, shown: string, input: SourceInput, ctx: Context) {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, { maxBytes: MAX_CERTIFICATE_BYTES, what: 'the PFX file' });
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `PFX file not found: ${shown}` : `cannot read ${shown}: ${code ?? String(err)}`, { code: 'pfx-unreadable', cause: err });
  }
  if (input.passwordEnv !== undefined) return readPfx(bytes, passwordFromEnv(input.passwordEnv, ctx), shown);
  if (input.passwordStdin && !canPrompt(ctx)) return readPfx(bytes, await passwordFromStdin(ctx), shown);
  // --password-stdin with stdin on a terminal would wait silently, then echo the password as it is
  // typed: ask at the hidden prompt instead (scripts that pipe the password are unaffected)
  if (input.passwordStdin) ctx.log.info('--password-stdin: stdin is a terminal, so the password is asked for at a hidden prompt');
  // no password source: a PFX without a password needs none; otherwise prompt on a terminal only
  try {
    return await readPfx(bytes, '', shown);
  } catch (err) {
    if (!(err instanceof InputError) || err.code !== 'pfx-wrong-password') throw err;
    if (!canPrompt(ctx)) {
      throw new UsageError(`${shown} is password-protected and there is no terminal to ask for the password`, {
        remedy: 'pass it with --password-env <VAR> (the NAME of an environment variable holding it) or --password-stdin',
      });
    }
  }
  for (let attempt = 1; ; attempt++) {
    const pw = await promptPassword(`Password for ${shown}:`, ctx);
    try {
      return await readPfx(bytes, pw, shown);
    } catch (err) {
      if (!(err instanceof InputError) || err.code !== 'pfx-wrong-password' || attempt >= 3) throw err;
      ctx.log.warn('wrong password, try again');
    }
  }
}

export async function obtainCertificate(
  input: SourceInput,
  ctx: Context,
  opts: { storeDir: string; defaultSubject: string; pfxPath?: string },
): Promise<ObtainedCertificate> {
  const source = checkSourceOptions(input);
  if (source === 'generate') {
    ctx.log.progress(`generating an RSA-${input.keySize ?? 2048} key and a self-signed certificate…`);
    const g = await generateSelfSigned({
      subject: input.subject ?? opts.defaultSubject,
      ...(input.validityDays !== undefined ? { validityDays: input.validityDays } : {}),
      ...(input.keySize !== undefined ? { keySize: input.keySize as KeySize } : {}),
      notBefore: new Date(ctx.clock.now()),
      ...(input.pendingKeyPair ? { keyPair: input.pendingKeyPair } : {}),
    });
    ctx.log.done();
    return { source, info: g.info, keyPem: g.keyPem, chainDer: [] };
  }
  if (source === 'pfx') {
    const p = await importPfx(opts.pfxPath ?? input.pfx!, input.pfx!, input, ctx);
    return { source, info: p.info, keyPem: p.keyPem, chainDer: p.chain.map((c) => Buffer.from(c.derBase64, 'base64')) };
  }
  const thumbprint = normalizeThumbprint(input.thumbprint!)!;
  const found = await loadFromStore(opts.storeDir, thumbprint, ctx);
  if (!found) {
    const held = await listStore(opts.storeDir);
    throw new InputError(`no certificate ${thumbprint} with its private key in the store ${opts.storeDir}`, {
      code: 'not-in-store',
      remedy: held.length
        ? `the store holds: ${held.map((c) => `${c.thumbprint} (${c.subject}, until ${c.notAfter.toISOString().slice(0, 10)})`).join('; ')}`
        : 'the store is empty: import the certificate with --pfx <file>, or make one with --generate',
    });
  }
  return { source, info: found.info, keyPem: found.keyPem, chainDer: [] };
}
