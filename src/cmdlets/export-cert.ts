/**
 * export-cert: the configured certificate (or another store entry, --thumbprint) with its private
 * key, as a PFX protected by a password the user chooses — for VB365 (Set-VBORestorePortalSettings
 * -CertificateFilePath/-CertificatePassword) or any other importer. AES-256 with a SHA-256 MAC by
 * default; --legacy writes 3DES with a SHA-1 MAC for Windows Server 2016, whose importer cannot read
 * PBES2. The password comes from --password-env, --password-stdin or a prompt (typed twice), never
 * from the command line, and never appears in the result, the log or an error.
 */
import { resolve } from 'node:path';
import { toContext, type Context } from '../context.js';
import { UsageError } from '../errors.js';
import { checkOutputFile, pfxFor, requireStored, writeExportFile } from '../certs/export.js';
import { daysUntilExpiry, normalizeThumbprint } from '../certs/info.js';
import { newPassword, checkPasswordSource, type PasswordSource } from '../certs/password.js';
import { PFX_PROFILES, type PfxProfile } from '../certs/pfx.js';
import { openStore, resolveStoreDir } from '../certs/store.js';
import { DEFAULT_WARN_DAYS } from '../reconcile/aspects/certificates.js';
import { displayPath } from '../util/paths.js';
import { configuredCertificate } from './configured.js';

export interface ExportCertInput extends PasswordSource {
  /** config file (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5); not read with `thumbprint` */
  config?: string;
  /** the PFX file to write */
  out: string;
  /** 3DES + SHA-1 MAC (Windows Server 2016) instead of AES-256 + SHA-256 MAC */
  legacy?: boolean;
  /** replace an existing file */
  force?: boolean;
  /** export this store entry instead of the configured certificate */
  thumbprint?: string;
  /** the certificate store folder (default as install-cert) */
  store?: string;
  whatIf?: boolean;
}

/** The facts of an exported PFX: never the password. */
export interface ExportedPfx {
  /** absolute path of the PFX */
  path: string;
  thumbprint: string;
  subject: string;
  /** ISO 8601 */
  notBefore: string;
  notAfter: string;
  /** `aes256` or `legacy` (--legacy) */
  profile: PfxProfile;
  /** how the private key is encrypted, and the integrity MAC's digest */
  keyEncryption: string;
  mac: string;
  /** an existing file was replaced (--force) */
  replaced: boolean;
}

export interface ExportCertResult {
  whatIf: boolean;
  /** the store the entry came from */
  store: string;
  pfx: ExportedPfx;
  warnings: string[];
}

export function profileOf(legacy: boolean | undefined): PfxProfile {
  return legacy ? 'legacy' : 'aes256';
}

/** Warnings about exporting a certificate that is about to stop working (VB365 would use it as is). */
export function expiryWarnings(info: { thumbprint: string; notAfter: Date }, now: number): string[] {
  const days = daysUntilExpiry(info, now);
  const day = info.notAfter.toISOString().slice(0, 10);
  if (days < 0) return [`certificate ${info.thumbprint} expired on ${day}: sign-in with it fails; make a new one with entra-portal rotate-cert --generate`];
  if (days < DEFAULT_WARN_DAYS) return [`certificate ${info.thumbprint} expires in ${days} day${days === 1 ? '' : 's'} (${day}): plan its rotation (entra-portal rotate-cert --generate)`];
  return [];
}

export async function exportCert(input: ExportCertInput, ctxIn?: Partial<Context>): Promise<ExportCertResult> {
  const ctx = toContext(ctxIn);
  if (!input.out) throw new UsageError('export-cert needs --out <file.pfx>: the file to write');
  checkPasswordSource(input);
  let thumbprint: string;
  if (input.thumbprint !== undefined) {
    const t = normalizeThumbprint(input.thumbprint);
    if (!t) throw new UsageError(`--thumbprint "${input.thumbprint}" is not a SHA-1 thumbprint: 40 hexadecimal digits (colons and spaces allowed)`);
    thumbprint = t;
  } else {
    thumbprint = (await configuredCertificate(ctx, input.config)).thumbprint;
  }
  const storeDir = resolveStoreDir(ctx, input.store);
  const out = resolve(ctx.cwd, input.out);
  const force = input.force === true;
  const whatIf = input.whatIf === true;
  const { exists } = await checkOutputFile(out, force, ctx);
  await openStore(storeDir, ctx); // a locked store or a wrong store password shows up before the prompt
  const stored = await requireStored(storeDir, thumbprint, ctx);
  const warnings = expiryWarnings(stored.info, ctx.clock.now());
  for (const w of warnings) ctx.log.warn(w);
  const profile = profileOf(input.legacy);
  const shown = displayPath(out, ctx.cwd);

  let replaced = exists;
  if (whatIf) {
    ctx.log.info(`what-if: would ${exists ? 'replace' : 'write'} ${shown}; nothing was written`);
  } else {
    const password = await newPassword(input, ctx, shown);
    const written = await writeExportFile(out, await pfxFor(stored, password, profile), force, ctx);
    replaced = written.replaced;
  }
  return {
    whatIf,
    store: storeDir,
    pfx: exportedFacts(out, stored.info, profile, replaced),
    warnings,
  };
}

export function exportedFacts(
  path: string,
  info: { thumbprint: string; subject: string; notBefore: Date; notAfter: Date },
  profile: PfxProfile,
  replaced: boolean,
): ExportedPfx {
  return {
    path,
    thumbprint: info.thumbprint,
    subject: info.subject,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    profile,
    keyEncryption: PFX_PROFILES[profile].keyEncryption,
    mac: PFX_PROFILES[profile].mac,
    replaced,
  };
}
