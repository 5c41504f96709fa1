/**
 * An exclusive lock around a config file's read-modify-write: `<file>.lock`, created with `wx`
 * (O_CREAT|O_EXCL, atomic on local file systems), holding {pid, host, time}. A second run polls
 * for a short while, then fails with an OperationError naming the lock. A lock left by a process
 * that no longer runs on this host is stale and taken over.
 */
import { open, readFile, unlink, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Clock } from '../context.js';
import { OperationError } from '../errors.js';
import { processAlive } from '../util/fs.js';

export interface LockInfo {
  pid: number;
  host: string;
  time: string;
}

export interface LockOptions {
  clock: Clock;
  /** how long to wait for another run to finish; default 5000 ms */
  timeoutMs?: number;
  /** polling interval; default 50 ms */
  pollMs?: number;
  /** told once when this run starts waiting */
  onWait?(holder: LockInfo | undefined): void;
}

export interface FileLock {
  path: string;
  release(): Promise<void>;
}

async function readHolder(lockPath: string): Promise<{ info?: LockInfo; raw: string } | undefined> {
  try {
    const raw = await readFile(lockPath, 'utf8');
    try {
      const info = JSON.parse(raw) as LockInfo;
      if (typeof info.pid === 'number' && typeof info.host === 'string') return { info, raw };
    } catch {
      /* half-written or foreign: judged by age below */
    }
    return { raw };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A lock is stale when its process is gone (same host), or it is unreadable and older than 10 s. */
async function isStale(lockPath: string, holder: { info?: LockInfo; raw: string }, now: number): Promise<boolean> {
  if (holder.info) return holder.info.host === hostname() && !processAlive(holder.info.pid);
  try {
    const st = await stat(lockPath);
    return now - st.mtimeMs > 10_000;
  } catch {
    return false;
  }
}

export async function acquireLock(target: string, options: LockOptions): Promise<FileLock> {
  const lockPath = `${target}.lock`;
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const pollMs = options.pollMs ?? 50;
  const deadline = clock.now() + timeoutMs;
  const me: LockInfo = { pid: process.pid, host: hostname(), time: new Date(clock.now()).toISOString() };
  let told = false;
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx', 0o644);
      try {
        await fh.writeFile(`${JSON.stringify(me)}\n`);
      } finally {
        await fh.close();
      }
      let released = false;
      return {
        path: lockPath,
        async release() {
          if (released) return;
          released = true;
          await unlink(lockPath).catch(() => undefined);
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new OperationError(`cannot lock ${target}: its folder does not exist`, { cause: err });
      if (code !== 'EEXIST') throw new OperationError(`cannot create the lock file ${lockPath}: ${(err as Error).message}`, { cause: err });
    }
    const holder = await readHolder(lockPath);
    if (holder && (await isStale(lockPath, holder, clock.now()))) {
      // take over, unless someone else did in the meantime (the content changed)
      const again = await readHolder(lockPath);
      if (again && again.raw === holder.raw) await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (clock.now() >= deadline) {
      const who = holder?.info ? ` (held by pid ${holder.info.pid} on ${holder.info.host} since ${holder.info.time})` : '';
      throw new OperationError(`${target} is locked by another entra-portal run${who}: gave up after ${Math.round(timeoutMs / 100) / 10} s`, {
        code: 'config-locked',
        remedy: `Wait for the other run to finish and retry. If no entra-portal run is active, delete ${lockPath}.`,
      });
    }
    if (!told) {
      told = true;
      options.onWait?.(holder?.info);
    }
    await clock.sleep(pollMs);
  }
}
