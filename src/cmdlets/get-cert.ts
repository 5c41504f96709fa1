/**
 * get-cert: what the certificate store holds — thumbprint, subject, dates, days left, key size,
 * whether the private key is there, and which certificate of the config uses it (current, or
 * previous during a rotation). Read-only: opens no PFX, needs no store password (the public .cer
 * files are enough), writes nothing.
 */
import { toContext, type Context } from '../context.js';
import { InputError, UsageError } from '../errors.js';
import { loadConfig, resolveConfigPath } from '../config/index.js';
import { daysUntilExpiry, normalizeThumbprint } from '../certs/info.js';
import { listStoreEntries, resolveStoreDir } from '../certs/store.js';

export interface GetCertInput {
  /** the config whose certificates are marked; the default one is used only when it exists */
  config?: string;
  /** only this entry (SHA-1; 65 when the store lacks it) */
  thumbprint?: string;
  store?: string;
}

export interface StoreCertificate {
  thumbprint: string;
  subject: string;
  issuer: string;
  /** ISO 8601 */
  notBefore: string;
  notAfter: string;
  /** whole days until notAfter (negative once expired) */
  daysLeft: number;
  /** RSA modulus length in bits */
  keySize: number;
  /** <THUMBPRINT>.pfx is there (export and sign-in need it) */
  hasPrivateKey: boolean;
  /** the config certificates that name it */
  usedBy: { config: string; role: 'current' | 'previous' }[];
}

export interface GetCertResult {
  /** the store folder (absolute) */
  store: string;
  /** the config consulted for `usedBy` (absolute), when there was one */
  config?: string;
  certificates: StoreCertificate[];
}

export async function getCert(input: GetCertInput = {}, ctxIn?: Partial<Context>): Promise<GetCertResult> {
  const ctx = toContext(ctxIn);
  const wanted = input.thumbprint !== undefined ? normalizeThumbprint(input.thumbprint) : undefined;
  if (input.thumbprint !== undefined && !wanted) {
    throw new UsageError(`--thumbprint "${input.thumbprint}" is not a SHA-1 thumbprint: 40 hexadecimal digits (colons and spaces allowed)`);
  }
  const storeDir = resolveStoreDir(ctx, input.store);
  const roles = new Map<string, 'current' | 'previous'>();
  let configPath: string | undefined;
  const path = resolveConfigPath(ctx, input.config);
  try {
    const loaded = await loadConfig(path);
    configPath = loaded.path;
    const c = loaded.config.certificate;
    if (c?.thumbprint) roles.set(c.thumbprint.toUpperCase(), 'current');
    if (c?.previous?.thumbprint) roles.set(c.previous.thumbprint.toUpperCase(), 'previous');
  } catch (err) {
    // listing the store needs no config: a missing default one is fine, a named or broken one is not
    const explicit = input.config !== undefined || ctx.env.ENTRA_PORTAL_CONFIG !== undefined;
    if (!(err instanceof InputError && err.code === 'config-missing' && !explicit)) throw err;
  }
  const now = ctx.clock.now();
  const certificates: StoreCertificate[] = (await listStoreEntries(storeDir))
    .filter((e) => !wanted || e.info.thumbprint === wanted)
    .map((e) => {
      const role = roles.get(e.info.thumbprint);
      return {
        thumbprint: e.info.thumbprint,
        subject: e.info.subject,
        issuer: e.info.issuer,
        notBefore: e.info.notBefore.toISOString(),
        notAfter: e.info.notAfter.toISOString(),
        daysLeft: daysUntilExpiry(e.info, now),
        keySize: e.keyBits,
        hasPrivateKey: e.hasPrivateKey,
        usedBy: role && configPath ? [{ config: configPath, role }] : [],
      };
    });
  if (wanted && certificates.length === 0) {
    throw new InputError(`the store ${storeDir} holds no certificate ${wanted}`, {
      code: 'not-in-store',
      remedy: 'list what it holds with entra-portal get-cert (without --thumbprint), or point --store at another store',
    });
  }
  return { store: storeDir, ...(configPath ? { config: configPath } : {}), certificates };
}
