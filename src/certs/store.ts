/**
 * The certificate store: a folder standing in for Windows' "Personal" store.
 *
 *   <store>/               mode 0700 (Windows: the ACL of %LOCALAPPDATA%, see docs/windows.md)
 *     store.json           { version: 1, protection: 'store-key' | 'password', check? }   (0600)
 *     .store-key           32 random bytes, base64url — only in 'store-key' mode          (0600)
 *     <THUMBPRINT>.pfx     certificate + private key, PKCS#12 AES-256, password-protected (0600)
 *     <THUMBPRINT>.cer     the public certificate, DER                                     (0644)
 *
 * Key protection: each PFX's password is the store key (a random secret created on first use and
 * readable only by the owner), unless $ENTRA_PORTAL_STORE_PASSWORD is set when the store is created:
 * then that password protects every PFX, store.json keeps an scrypt check of it (never the password),
 * and the store refuses to open without it. Either way each entry is an ordinary PFX:
 * `openssl pkcs12 -in <T>.pfx -passin file:<store>/.store-key` (or `-passin env:ENTRA_PORTAL_STORE_PASSWORD`).
 */
import { X509Certificate, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { chmod, lstat, readdir, stat } from 'node:fs/promises';
import { join, type PlatformPath } from 'node:path';
import { pathFor, STORE_DIR_ENV } from './paths.js';
// where the store is: in paths.ts, which test-portal reads without loading the store's code
export { resolveStoreDir, STORE_DIR_ENV } from './paths.js';

import { promisify } from 'node:util';
import type { Context } from '../context.js';
import { EntraPortalError, InputError, OperationError } from '../errors.js';
import { createFileExclusive, fsFailure, linkRefused, makeDirectory, readRegularFile, removeStaleTemporaries, writeFileAtomic } from '../util/fs.js';
import { certificateInfoFromX509, MAX_CERTIFICATE_BYTES, normalizeThumbprint, type CertificateInfo } from './info.js';
import { readPfx, writePfx } from './pfx.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number }) => Promise<Buffer>;

export const STORE_PASSWORD_ENV = 'ENTRA_PORTAL_STORE_PASSWORD';
export const STORE_DIR_MODE = 0o700;
export const PFX_MODE = 0o600;
export const CER_MODE = 0o644;

export type StoreProtection = 'store-key' | 'password';

interface StoreMeta {
  version: 1;
  protection: StoreProtection;
  /** password mode: scrypt(password, salt) so a wrong password is caught before any PFX is touched */
  check?: { kdf: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string };
}

export interface OpenStore {
  dir: string;
  protection: StoreProtection;
  /** the PFX password for every entry; never printed */
  password: string;
}

export function entryPaths(dir: string, thumbprint: string, p: PlatformPath = pathFor(process.platform)): { pfx: string; cer: string } {
  return { pfx: p.join(dir, `${thumbprint}.pfx`), cer: p.join(dir, `${thumbprint}.cer`) };
}

/**
 * Whether POSIX file modes protect anything here. On Windows `chmod` only toggles the read-only
 * flag and `stat` reports 0666/0444 whatever the ACL says: access is the folder's ACL (inherited from
 * %LOCALAPPDATA%), so modes are neither checked nor reported there.
 */
export function modesProtect(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32';
}

/**
 * On Windows, modes protect nothing: the store's private keys are as private as its folder's ACL.
 * Under %LOCALAPPDATA% that ACL admits only the user, SYSTEM and Administrators; anywhere else the
 * folder inherits its parent's, which may admit every user of the machine. The note to print when a
 * store is created there (undefined when there is nothing to say).
 */
export function storeAclNote(dir: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') return undefined;
  const p = pathFor(platform);
  const local = env.LOCALAPPDATA;
  if (local && p.isAbsolute(local)) {
    const rel = p.relative(local, dir);
    if (rel && !rel.startsWith('..') && !p.isAbsolute(rel)) return undefined;
  }
  return (
    `the certificate store ${dir} is not under %LOCALAPPDATA%: on Windows its private keys are protected by the folder's ACL, ` +
    `which it inherits from its parent. Restrict it to your account: icacls "${dir}" /inheritance:r /grant:r "%USERNAME%:(OI)(CI)F" "SYSTEM:(OI)(CI)F" "Administrators:(OI)(CI)F"`
  );
}

/**
 * A file of the store, read without following a link (the store's files are the tool's own: a link
 * there was put by someone else) and under a cap.
 */
function readStoreFile(path: string, maxBytes = MAX_CERTIFICATE_BYTES): Promise<Buffer> {
  return readRegularFile(path, { maxBytes, what: 'the store file', noFollow: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    // ENOTDIR: a part of the path is a file (a store path naming a file), so nothing is there
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return false;
    throw err;
  }
}

/**
 * A file or folder that others can read (e.g. after a careless copy): tightened when the store is
 * opened for writing, only reported when it is opened for reading (reads change nothing).
 */
async function tighten(path: string, mode: number, ctx: Context, write: boolean, isFile = true): Promise<void> {
  if (!modesProtect()) return;
  const st = isFile ? await lstat(path) : await stat(path);
  if (st.isSymbolicLink()) throw linkRefused(path); // chmod would change the link's target
  const actual = st.mode & 0o777;
  if ((actual & ~mode) === 0) return;
  if (write) {
    await chmod(path, mode);
    ctx.log.warn(`${path} was mode ${actual.toString(8)}; set it to ${mode.toString(8)}`);
  } else {
    ctx.log.warn(`${path} is mode ${actual.toString(8)}; it should be ${mode.toString(8)} (chmod ${mode.toString(8)} ${path})`);
  }
}

async function passwordCheck(password: string, salt: Buffer, N = 1 << 14, r = 8, p = 1): Promise<Buffer> {
  return scrypt(password, salt, 32, { N, r, p });
}

async function readMeta(dir: string): Promise<StoreMeta | undefined> {
  let text: string;
  try {
    text = (await readStoreFile(join(dir, 'store.json'), 64 * 1024)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const meta = JSON.parse(text) as StoreMeta;
    if (meta.version !== 1 || (meta.protection !== 'store-key' && meta.protection !== 'password')) throw new Error('unknown version or protection');
    return meta;
  } catch (err) {
    throw new InputError(`${join(dir, 'store.json')} is not a valid store description`, { code: 'store-corrupt', cause: err });
  }
}

async function createMeta(dir: string, ctx: Context): Promise<StoreMeta> {
  const password = ctx.env[STORE_PASSWORD_ENV];
  let meta: StoreMeta;
  if (password) {
    const salt = randomBytes(16);
    const hash = await passwordCheck(password, salt);
    meta = { version: 1, protection: 'password', check: { kdf: 'scrypt', N: 1 << 14, r: 8, p: 1, salt: salt.toString('base64'), hash: hash.toString('base64') } };
  } else {
    meta = { version: 1, protection: 'store-key' };
  }
  if (await createFileExclusive(join(dir, 'store.json'), `${JSON.stringify(meta, null, 2)}\n`, PFX_MODE)) {
    ctx.log.verbose(`created the certificate store ${dir} (protection: ${meta.protection})`);
    return meta;
  }
  return (await readMeta(dir))!; // a concurrent run created it first
}

/**
 * Open the store (creating it when `create` and it is missing; without `create` nothing is written).
 * Undefined when it does not exist and `create` is false. InputError when its password is missing or wrong.
 */
export async function openStore(dir: string, ctx: Context, options: { create?: boolean } = {}): Promise<OpenStore | undefined> {
  try {
    return await openStoreIn(dir, ctx, options);
  } catch (err) {
    throw unusableStore(err, dir);
  }
}

/** The file-system errors that mean "this folder cannot hold the store here", as opposed to a bug. */
const UNUSABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'ENOSPC', 'EDQUOT', 'ELOOP']);

/** A store folder that cannot be created or written: say which, and how to choose another. */
function unusableStore(err: unknown, dir: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (err instanceof EntraPortalError || !code || !UNUSABLE.has(code)) return err;
  return new OperationError(`cannot use the certificate store ${dir}: ${fsFailure(err)}`, {
    code: 'store-unusable',
    cause: err,
    remedy: `Choose a folder this user can write: --store <dir>, or ${STORE_DIR_ENV}=<dir> (the default is %LOCALAPPDATA%\\entra-portal\\store on Windows; elsewhere $XDG_DATA_HOME/entra-portal/store, else ~/.local/share/entra-portal/store under $HOME).`,
  });
}

async function openStoreIn(dir: string, ctx: Context, options: { create?: boolean }): Promise<OpenStore | undefined> {
  if (!(await exists(dir))) {
    if (!options.create) return undefined;
    await makeDirectory(dir, STORE_DIR_MODE);
    await chmod(dir, STORE_DIR_MODE);
    const note = storeAclNote(dir, ctx.env);
    if (note) ctx.log.warn(note);
  } else {
    // a file where the folder should be: said as such, and never chmodded as a folder
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR', path: dir });
    await tighten(dir, STORE_DIR_MODE, ctx, options.create === true, false);
  }
  // a run killed while writing left a temporary (a PFX, the store key): gone before anything else is written
  if (options.create) await removeStaleTemporaries(dir);
  let meta = await readMeta(dir);
  if (!meta) {
    if (!options.create) return undefined;
    meta = await createMeta(dir, ctx);
  }
  const envPassword = ctx.env[STORE_PASSWORD_ENV];
  if (meta.protection === 'password') {
    if (!envPassword) {
      throw new InputError(`the certificate store ${dir} is protected by a password: set $${STORE_PASSWORD_ENV}`, { code: 'store-locked' });
    }
    const c = meta.check!;
    const got = await passwordCheck(envPassword, Buffer.from(c.salt, 'base64'), c.N, c.r, c.p);
    const want = Buffer.from(c.hash, 'base64');
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      throw new InputError(`$${STORE_PASSWORD_ENV} does not open the certificate store ${dir}`, { code: 'store-wrong-password' });
    }
    return { dir, protection: 'password', password: envPassword };
  }
  if (envPassword) {
    throw new InputError(
      `$${STORE_PASSWORD_ENV} is set, but the certificate store ${dir} protects its keys with its own store key (.store-key), not a password`,
      { code: 'store-mode-mismatch', remedy: `unset ${STORE_PASSWORD_ENV}, or use another store (--store <dir>) for password protection` },
    );
  }
  const keyPath = join(dir, '.store-key');
  if (options.create) await createFileExclusive(keyPath, `${randomBytes(32).toString('base64url')}\n`, PFX_MODE);
  let key: string;
  try {
    await tighten(keyPath, PFX_MODE, ctx, options.create === true);
    key = (await readStoreFile(keyPath, 4096)).toString('utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new InputError(`the certificate store ${dir} has lost its key (${keyPath}): its private keys cannot be opened`, { code: 'store-key-missing' });
  }
  if (!key) throw new InputError(`${keyPath} is empty: the store's private keys cannot be opened`, { code: 'store-key-missing' });
  return { dir, protection: 'store-key', password: key };
}

export interface StoredEntry {
  thumbprint: string;
  pfxPath: string;
  cerPath: string;
  /** false when the store already held this certificate */
  created: boolean;
}

/** Put a certificate and its key in the store (idempotent: an existing entry is kept as it is). */
export async function saveToStore(
  dir: string,
  entry: { info: CertificateInfo; keyPem: string; chainDer?: Buffer[]; friendlyName?: string },
  ctx: Context,
): Promise<StoredEntry> {
  const store = (await openStore(dir, ctx, { create: true }))!;
  const t = entry.info.thumbprint;
  const paths = entryPaths(dir, t);
  const der = Buffer.from(entry.info.derBase64, 'base64');
  let created = false;
  try {
    if (!(await exists(paths.pfx))) {
      const pfx = await writePfx({
        keyPem: entry.keyPem,
        certsDer: [der, ...(entry.chainDer ?? [])],
        password: store.password,
        ...(entry.friendlyName ? { friendlyName: entry.friendlyName } : {}),
      });
      await writeFileAtomic(paths.pfx, pfx, PFX_MODE);
      created = true;
    }
    if (!(await exists(paths.cer))) await writeFileAtomic(paths.cer, der, CER_MODE);
  } catch (err) {
    throw unusableStore(err, dir);
  }
  return { thumbprint: t, pfxPath: paths.pfx, cerPath: paths.cer, created };
}

/** Whether the store holds a certificate with its private key (no password needed). */
export async function storeHas(dir: string, thumbprint: string): Promise<boolean> {
  return exists(entryPaths(dir, thumbprint).pfx);
}

/** A store entry opened with the store's password: never printed. */
export interface StoredCertificate {
  info: CertificateInfo;
  /** PKCS#8 PEM */
  keyPem: string;
  keyBits: number;
  /** DER of the other certificates the entry holds (intermediates of an imported PFX) */
  chainDer: Buffer[];
}

/** The certificate and its private key from the store, or undefined when the store lacks it. */
export async function loadFromStore(
  storeDir: string,
  thumbprint: string,
  ctx: Context,
): Promise<StoredCertificate | undefined> {
  const t = normalizeThumbprint(thumbprint);
  if (!t) throw new InputError(`"${thumbprint}" is not a SHA-1 thumbprint (40 hexadecimal digits)`, { code: 'bad-thumbprint' });
  const paths = entryPaths(storeDir, t);
  if (!(await exists(paths.pfx))) return undefined;
  const store = await openStore(storeDir, ctx);
  if (!store) {
    throw new InputError(`${paths.pfx} exists, but ${join(storeDir, 'store.json')} does not: the store's protection is unknown`, {
      code: 'store-corrupt',
    });
  }
  const pfx = await readPfx(await readStoreFile(paths.pfx), store.password, paths.pfx);
  if (pfx.info.thumbprint !== t) {
    throw new OperationError(`${paths.pfx} holds certificate ${pfx.info.thumbprint}, not ${t}: the store is damaged`, { code: 'store-corrupt' });
  }
  return { info: pfx.info, keyPem: pfx.keyPem, keyBits: pfx.keyBits, chainDer: pfx.chain.map((c) => Buffer.from(c.derBase64, 'base64')) };
}

/** One store entry as listings show it (read from its public .cer: no password needed). */
export interface StoreListing {
  info: CertificateInfo;
  /** RSA modulus length (0 when the key is not RSA: a damaged or foreign entry) */
  keyBits: number;
  /** whether <T>.pfx (the private key) is there too */
  hasPrivateKey: boolean;
}

/**
 * The store's entries, by thumbprint (a damaged .cer is skipped; a missing store is empty; a store
 * that cannot be read — a file, no permission — is an error, not an empty listing).
 */
export async function listStoreEntries(storeDir: string): Promise<StoreListing[]> {
  let names: string[];
  try {
    names = await readdir(storeDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw unusableStore(err, storeDir);
  }
  const out: StoreListing[] = [];
  for (const name of names.filter((n) => /^[0-9A-F]{40}\.cer$/.test(n)).sort()) {
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(await readStoreFile(join(storeDir, name)));
    } catch {
      continue; // a damaged .cer is skipped in listings
    }
    const thumbprint = name.slice(0, 40);
    out.push({
      info: certificateInfoFromX509(x509),
      keyBits: x509.publicKey.asymmetricKeyDetails?.modulusLength ?? 0,
      hasPrivateKey: names.includes(`${thumbprint}.pfx`),
    });
  }
  return out;
}

/** The certificates in the store (from the public .cer files; no password needed), for hints: none when it cannot be read. */
export async function listStore(storeDir: string): Promise<CertificateInfo[]> {
  return (await listStoreEntries(storeDir).catch(() => [])).map((e) => e.info);
}
