/**
 * File-system primitives shared by the config file, the certificate store and the emulator's state:
 * atomic replacement, exclusive creation, and "is this lock holder still running?".
 *
 * Atomic replacement: a temporary file in the same folder is written, fsynced and given its final
 * mode, then renamed over the target (atomic on POSIX within one file system), then the folder is
 * fsynced. Readers see the old bytes or the new ones, never a mix; a crash leaves the old file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function writeTemp(path: string, data: Buffer | string, mode: number): Promise<string> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, mode); // the umask may have narrowed it; the mode must be exact (0600 keys)
    return tmp;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* not supported everywhere (e.g. some network file systems); the rename already happened */
  }
}

/**
 * Replace `path` atomically with `data`. `mode`: the new file's mode; by default an existing file's
 * mode is kept and a new file gets 0666 less the umask.
 */
export async function writeFileAtomic(path: string, data: Buffer | string, mode?: number): Promise<void> {
  let finalMode = mode;
  if (finalMode === undefined) {
    try {
      finalMode = (await stat(path)).mode & 0o7777;
    } catch {
      const umask = process.umask();
      finalMode = 0o666 & ~umask;
    }
  }
  const tmp = await writeTemp(path, data, finalMode);
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
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
    await fsyncDir(dirname(path));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Whether a process with this id runs on this host (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
