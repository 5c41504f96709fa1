/**
 * Atomic file writes for the store and the public .cer: a temporary file in the same folder,
 * written, fsync'ed and given its final mode before it is renamed over (or linked to) the target,
 * so a crash leaves either the old file or the new one — never half a key.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function writeTemp(path: string, data: Buffer | string, mode: number): Promise<string> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, mode); // the umask may have narrowed or (for 0644) the mode must be exact
  return tmp;
}

/** Replace `path` atomically with `data` at `mode`. */
export async function writeFileAtomic(path: string, data: Buffer | string, mode: number): Promise<void> {
  const tmp = await writeTemp(path, data, mode);
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * Create `path` with `data` only if it does not exist yet (link(2) fails with EEXIST), atomically:
 * of two concurrent creators exactly one wins and the other sees a complete file. Returns false
 * when the file already existed.
 */
export async function createFileExclusive(path: string, data: Buffer | string, mode: number): Promise<boolean> {
  const tmp = await writeTemp(path, data, mode);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
