/**
 * A store entry (certificate + private key) written out as a PFX protected by a password the user
 * chose — what VB365 imports (Set-VBORestorePortalSettings -CertificateFilePath/-CertificatePassword).
 *
 * The file is created exclusively (never over an existing file, never through a link) with mode
 * 0600, complete or not at all (a temporary file beside it, then a hard link or, with `force`, a
 * rename over the old one). On Windows the mode is meaningless: the file gets the ACL of its folder
 * (docs/windows.md).
 */
import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Context } from '../context.js';
import { InputError, OperationError } from '../errors.js';
import { createFileExclusive, fsFailure, writeFileAtomic } from '../util/fs.js';
import { displayPath } from '../util/paths.js';
import type { CertificateInfo } from './info.js';
import { writePfx, type PfxProfile } from './pfx.js';
import { listStore, loadFromStore, type StoredCertificate } from './store.js';

export const EXPORT_MODE = 0o600;

/** The store entry, or an InputError (65) saying what the store holds instead. */
export async function requireStored(storeDir: string, thumbprint: string, ctx: Context, remedy?: string): Promise<StoredCertificate> {
  const stored = await loadFromStore(storeDir, thumbprint, ctx);
  if (stored) return stored;
  const held = await listStore(storeDir);
  throw new InputError(`the certificate ${thumbprint} and its private key are not in the store ${storeDir}`, {
    code: 'not-in-store',
    remedy: [
      remedy,
      held.length
        ? `the store holds: ${held.map((c) => `${c.thumbprint} (${c.subject}, until ${c.notAfter.toISOString().slice(0, 10)})`).join('; ')}`
        : 'the store is empty here: run this where the key is (the machine that ran install-cert), point --store at that store, or import the PFX with entra-portal install-cert --pfx <file>',
    ]
      .filter(Boolean)
      .join('; '),
  });
}

/**
 * Refuse, before anything is asked or computed, an output path that is a folder or a link, or an
 * existing file without `force` (65, nothing touched).
 */
export async function checkOutputFile(path: string, force: boolean, ctx: Pick<Context, 'cwd'>): Promise<{ exists: boolean }> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exists: false };
    // a file where a folder of the path should be (--out naming the config, say)
    if (code === 'ENOTDIR') {
      throw new InputError(`${displayPath(path, ctx.cwd)}: ${fsFailure(err)}`, { code: 'output-not-in-folder', remedy: 'a file stands where a folder of that path should be: choose another --out' });
    }
    throw err;
  }
  const shown = displayPath(path, ctx.cwd);
  if (st.isDirectory()) throw new InputError(`${shown} is a folder: name the file to write`, { code: 'output-is-folder' });
  if (st.isSymbolicLink()) {
    throw new InputError(`${shown} is a symbolic link: entra-portal does not write through links`, { code: 'refused-link', remedy: `remove the link, or choose another path` });
  }
  if (!force) {
    throw new InputError(`${shown} already exists; it was left as it is`, { code: 'output-exists', remedy: 'add --force to replace it, or choose another path' });
  }
  return { exists: true };
}

export interface WrittenExport {
  path: string;
  /** an existing file was replaced (--force) */
  replaced: boolean;
}

/** Write `data` to `path` (0600): exclusively, or replacing an existing file when `force`. */
export async function writeExportFile(path: string, data: Buffer | string, force: boolean, ctx: Pick<Context, 'cwd'>): Promise<WrittenExport> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    // e.g. a link to a folder that does not exist: Node's bare "ENOENT: …, mkdir" says neither what nor why
    throw new OperationError(`cannot create the folder ${displayPath(dir, ctx.cwd)}: ${fsFailure(err)}`, {
      cause: err,
      remedy: 'create the folder first, or choose another path (a link there must point to an existing folder)',
    });
  }
  if (await createFileExclusive(path, data, EXPORT_MODE)) return { path, replaced: false };
  if (!force) {
    // created meanwhile by someone else (checked before): still never overwritten
    throw new InputError(`${displayPath(path, ctx.cwd)} already exists; it was left as it is`, { code: 'output-exists', remedy: 'add --force to replace it, or choose another path' });
  }
  await writeFileAtomic(path, data, EXPORT_MODE);
  return { path, replaced: true };
}

/** The entry's certificate, its chain and its key as PFX bytes under `password` (never logged). */
export async function pfxFor(stored: StoredCertificate, password: string, profile: PfxProfile): Promise<Buffer> {
  return writePfx({
    keyPem: stored.keyPem,
    certsDer: [Buffer.from(stored.info.derBase64, 'base64'), ...stored.chainDer],
    password,
    friendlyName: friendlyNameOf(stored.info),
    profile,
  });
}

/** What Windows' certificate manager shows as the friendly name: the subject's CN, else the subject. */
function friendlyNameOf(info: CertificateInfo): string {
  const cn = /(?:^|,\s*)CN=((?:\\.|[^,])+)/.exec(info.subject)?.[1];
  return cn ? cn.replace(/\\(.)/g, '$1') : info.subject;
}
