/**
 * File-system primitives shared by the config file, the certificate store and the emulator's state:
 * atomic replacement, exclusive creation, bounded reads of regular files, removal of temporaries a
 * killed run left behind, and "is this lock holder still running?".
 *
 * Atomic replacement: a temporary file in the same folder is created exclusively (O_EXCL: never
 * through an existing file or link), written, fsynced and given its final mode, then renamed over
 * the target (atomic on POSIX within one file system), then the folder is fsynced. Readers see the
 * old bytes or the new ones, never a mix; a crash leaves the old file (and a temporary, which the
 * next run that takes the target's lock removes: `removeStaleTemporaries`).
 *
 * Links: the tool never writes through a symbolic link at the final path. `writeFileAtomic` refuses
 * one (exit 65, naming it) rather than replacing it; a caller that means to edit a link's target
 * (the config file) resolves it first and names the target.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, link, lstat, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import nodePath, { dirname, join, resolve, type PlatformPath } from 'node:path';
import { InputError } from '../errors.js';

/** `.<name>.<pid>.<hex>.tmp`: the pid lets a later run tell a dead writer's leftovers from a live one's. */
export function tempName(path: string, p: PlatformPath = nodePath): string {
  return p.join(p.dirname(path), `.${p.basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** A new file beside `path` holding `data` with exactly `mode`; its path. `sync: false` skips the fsync. */
export async function writeTemp(path: string, data: Buffer | string, mode: number, sync = true): Promise<string> {
  const tmp = tempName(path);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      if (sync) await fh.sync();
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

/** The error for a symbolic link where the tool would create or replace a file. */
export function linkRefused(path: string): InputError {
  return new InputError(`${path} is a symbolic link: entra-portal does not write through links`, {
    code: 'refused-link',
    remedy: `Remove the link (rm ${path}) and run again; entra-portal then creates a regular file there.`,
  });
}

/** Throws `linkRefused` when `path` is a symbolic link (a missing path is fine). */
export async function refuseLink(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink()) throw linkRefused(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Replace `path` atomically with `data`. `mode`: the new file's mode; by default an existing file's
 * mode is kept and a new file gets 0666 less the umask. A symbolic link at `path` is refused.
 */
export async function writeFileAtomic(path: string, data: Buffer | string, mode?: number): Promise<void> {
  await refuseLink(path);
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
 * Create `path` with `data` only if nothing is there yet (link(2) fails with EEXIST, also for a
 * link, dangling or not), atomically: of two concurrent creators exactly one wins and the other
 * sees a complete file. Returns false when a regular file already existed; a symbolic link there is
 * refused (exit 65).
 */
export async function createFileExclusive(path: string, data: Buffer | string, mode: number): Promise<boolean> {
  const tmp = await writeTemp(path, data, mode);
  try {
    await link(tmp, path);
    await fsyncDir(dirname(path));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await refuseLink(path);
    return false;
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Remove the temporaries (`.<name>.<pid>.<hex>.tmp`) that a process which no longer runs left in
 * `dir` — killed between creating one and renaming it. With `name`, only those of that file and of
 * its lock; without, all of them (a folder that only entra-portal writes: the certificate store).
 * Call it while holding the file's lock: no live run of this host writes such a temporary then.
 * Returns the names removed.
 */
export async function removeStaleTemporaries(dir: string, name?: string): Promise<string[]> {
  const file = name === undefined ? '.+' : `${escapeRegExp(name)}(?:\\.lock)?`;
  const pattern = new RegExp(`^\\.${file}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of names) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    try {
      await unlink(join(dir, entry));
      removed.push(entry);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

/* ------------------------------------------------------------------------------------ bounded reads */

export interface ReadOptions {
  /** refuse a larger file (InputError, exit 65, with the size found) */
  maxBytes: number;
  /** what the file is, for messages: 'the certificate file', 'the PFX file', … */
  what: string;
  /** refuse a symbolic link at `path` (files the tool itself created: the store's, the emulator's) */
  noFollow?: boolean;
}

/** Sizes in messages: 1536 → '1.5 KiB'. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Math.round(v * 10) / 10} ${units[i]}`;
}

/**
 * Read a file that must be a regular file of at most `maxBytes`. A FIFO, a device (/dev/zero), a
 * socket or a folder is refused at once (the open does not block: O_NONBLOCK), and a file larger
 * than the cap — or one that grows past it while being read — is refused without reading it whole.
 * ENOENT and other system errors are passed through for the caller to word.
 */
export async function readRegularFile(path: string, options: ReadOptions): Promise<Buffer> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | (options.noFollow ? constants.O_NOFOLLOW : 0);
  let fh;
  try {
    fh = await open(path, flags);
  } catch (err) {
    if (options.noFollow && (err as NodeJS.ErrnoException).code === 'ELOOP') throw linkRefused(path);
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      throw new InputError(`${options.what} ${path} is ${kind}, not a regular file`, {
        code: 'not-a-regular-file',
        remedy: `Name a regular file.`,
      });
    }
    if (st.size > options.maxBytes) throw tooLarge(path, options, `${formatBytes(st.size)}`);
    // read until the end, never more than the cap (a file may grow after the stat)
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(st.size - total, 0) + 1, options.maxBytes + 1 - total, 1 << 20) || 1);
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(path, options, `more than ${formatBytes(options.maxBytes)} (it grew while being read)`);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}

function tooLarge(path: string, options: ReadOptions, found: string): InputError {
  return new InputError(`${options.what} ${path} is ${found}; the limit is ${formatBytes(options.maxBytes)}`, {
    code: 'file-too-large',
    remedy: 'Check that the path names the intended file.',
  });
}

/**
 * `mkdir -p`, one level at a time: returns the first folder it created (undefined when `path`
 * existed). Node's `mkdir(…, { recursive: true })` loops forever where mkdir(2) answers ENOENT for a
 * folder whose parent exists (under /proc, for one); here that, and every other failure, is an error
 * naming the folder that could not be made (`err.path`).
 */
export async function makeDirectory(path: string, mode = 0o777): Promise<string | undefined> {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((await stat(dir)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', syscall: 'mkdir', path: dir });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw err;
      missing.unshift(dir);
    }
  }
  for (const dir of missing) {
    try {
      await mkdir(dir, { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another run made it meanwhile
    }
  }
  return missing[0];
}

/** Why a file-system call failed, for a message: "permission denied (EACCES) at /home/x/.local". */
export function fsFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'not a folder',
    ENOENT: 'cannot be created there',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
  };
  const text = e?.code ? `${why[e.code] ?? e.message} (${e.code})` : String(err);
  return e?.path ? `${text} at ${e.path}` : text;
}
