/**
 * An exclusive lock around a file's read-modify-write (the config file; the emulator's state file):
 * `<file>.lock`, holding {pid, host, time, purpose?, nonce}. A second run polls for a short while,
 * then fails with a LockedError (temporary, 75) that carries the lock's path and its holder. A lock
 * whose process no longer runs on this host is stale and taken over.
 *
 * Acquisition is link-based: the lock's content is written to a temporary file first, then hard-linked
 * to `<file>.lock` (link(2) fails with EEXIST when a lock exists), so a lock is never seen half-written.
 *
 * Taking over a stale lock must not remove a lock another run has just taken (a check-then-unlink
 * race let several runs hold the lock at once). A run that judged the lock with content C stale
 * first hard-links the lock to `<file>.lock.break-<hash(C)>`: the name is the same for every run
 * breaking C, so only one succeeds (EEXIST for the others). It then reads what it captured: only if
 * that is C does it remove `<file>.lock` — which no one else can have replaced meanwhile, since only
 * the holder of C (dead) or the one breaker of C may remove it. If the breaker is killed in that
 * instant, the marker stays and C is never broken automatically: the timeout message names both
 * files to delete (never two holders, at the price of a manual step in that rare case).
 *
 * `release()` removes the lock only while it is still this run's own (same content).
 * Taking a lock also removes the temporaries a dead run left beside the file (`removeStaleTemporaries`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import type { Clock } from '../context.js';
import { LockedError, OperationError } from '../errors.js';
import { fsFailure, processAlive, readRegularFile, removeStaleTemporaries, writeTemp } from '../util/fs.js';

export interface LockInfo {
  pid: number;
  host: string;
  time: string;
  /** what holds it, when the holder says (LockOptions.purpose) */
  purpose?: string;
}

export interface LockOptions {
  clock: Clock;
  /** how long to wait for another run to finish; default 5000 ms */
  timeoutMs?: number;
  /** polling interval; default 50 ms */
  pollMs?: number;
  /** told once when this run starts waiting */
  onWait?(holder: LockInfo | undefined): void;
  /** written in the lock for a run that finds it held, e.g. 'emulator' for a standalone emulator */
  purpose?: string;
}

export interface FileLock {
  path: string;
  release(): Promise<void>;
}

/** A lock file is a few dozen bytes; anything larger is not one of ours (and is not read whole). */
const MAX_LOCK_BYTES = 4096;

interface Holder {
  info?: LockInfo;
  raw: string;
}

async function readHolder(lockPath: string): Promise<Holder | undefined> {
  let raw: string;
  try {
    raw = (await readRegularFile(lockPath, { maxBytes: MAX_LOCK_BYTES, what: 'the lock file', noFollow: true })).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as { code?: unknown }).code === 'file-too-large') return { raw: `(${lockPath}: too large)` };
    throw err;
  }
  try {
    const info = JSON.parse(raw) as LockInfo;
    if (typeof info.pid === 'number' && typeof info.host === 'string') return { info, raw };
  } catch {
    /* foreign or damaged: judged by age below */
  }
  return { raw };
}

/** A lock is stale when its process is gone (same host), or it is unreadable and older than 10 s. */
async function isStale(lockPath: string, holder: Holder, now: number): Promise<boolean> {
  if (holder.info) return holder.info.host === hostname() && !processAlive(holder.info.pid);
  try {
    const st = await stat(lockPath);
    return now - st.mtimeMs > 10_000;
  } catch {
    return false;
  }
}

const breakMarker = (lockPath: string, raw: string) => `${lockPath}.break-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;

/**
 * Remove the stale lock whose content is `raw`, unless another run is doing so or the lock changed.
 * Returns false when a marker left by an interrupted takeover blocks it.
 */
async function breakStaleLock(lockPath: string, raw: string): Promise<boolean> {
  const marker = breakMarker(lockPath, raw);
  try {
    await link(lockPath, marker);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true; // released or broken meanwhile: try again
    if (code === 'EEXIST') return false; // another run is breaking it (or was killed doing so)
    throw err;
  }
  try {
    const captured = (await readRegularFile(marker, { maxBytes: MAX_LOCK_BYTES, what: 'the lock file', noFollow: true })).toString('utf8');
    if (captured === raw) await unlink(lockPath);
    return true;
  } finally {
    await unlink(marker).catch(() => undefined);
  }
}

/** The lock (and the temporary files of an atomic write) cannot be made beside the file: its folder is not writable. */
function cannotLock(lockPath: string, target: string, err: unknown): OperationError {
  const code = (err as NodeJS.ErrnoException).code;
  const folder = dirname(target);
  return new OperationError(`cannot create the lock file ${lockPath}: ${fsFailure(err)}`, {
    cause: err,
    ...(code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? {
          code: 'folder-not-writable',
          remedy: `${basename(target)} is written atomically: a lock and a temporary file go beside it, so ${folder} must be writable by this user. Give it write permission, or keep the file in a folder that is (-c <file>).`,
        }
      : {}),
  });
}

export async function acquireLock(target: string, options: LockOptions): Promise<FileLock> {
  const lockPath = `${target}.lock`;
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const pollMs = options.pollMs ?? 50;
  const deadline = clock.now() + timeoutMs;
  const me: LockInfo & { nonce: string } = {
    pid: process.pid,
    host: hostname(),
    time: new Date(clock.now()).toISOString(),
    ...(options.purpose ? { purpose: options.purpose } : {}),
    nonce: randomBytes(8).toString('hex'),
  };
  const mine = `${JSON.stringify(me)}\n`;
  let tmp: string;
  try {
    tmp = await writeTemp(lockPath, mine, 0o644, false);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OperationError(`cannot lock ${target}: its folder does not exist`, { cause: err });
    throw cannotLock(lockPath, target, err);
  }
  let told = false;
  try {
    for (;;) {
      try {
        await link(tmp, lockPath);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotLock(lockPath, target, err);
      }
      const holder = await readHolder(lockPath);
      if (!holder) continue; // released between our link and our read
      let blocked = false;
      if (await isStale(lockPath, holder, clock.now())) {
        if (await breakStaleLock(lockPath, holder.raw)) continue;
        blocked = true;
      }
      if (clock.now() >= deadline) {
        const who = holder.info ? ` (held by pid ${holder.info.pid} on ${holder.info.host} since ${holder.info.time})` : '';
        const marker = blocked ? ` and ${breakMarker(lockPath, holder.raw)} (left by an interrupted takeover)` : '';
        const { pid, host, time, purpose } = holder.info ?? {};
        throw new LockedError(`${target} is locked by another entra-portal run${who}: gave up after ${Math.round(timeoutMs / 100) / 10} s`, {
          code: 'config-locked',
          lockPath,
          ...(pid !== undefined && host !== undefined && time !== undefined ? { holder: { pid, host, time, ...(purpose ? { purpose } : {}) } } : {}),
          remedy: `Wait for the other run to finish and retry. If no entra-portal run is active, delete ${lockPath}${marker}.`,
        });
      }
      if (!told) {
        told = true;
        options.onWait?.(holder.info);
      }
      await clock.sleep(pollMs);
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await removeStaleTemporaries(dirname(target), basename(target));
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      // only our own lock: a run that found ours stale (it cannot, while we run) must not lose its own
      const now = await readHolder(lockPath).catch(() => undefined);
      if (now?.raw === mine) await unlink(lockPath).catch(() => undefined);
    },
  };
}
