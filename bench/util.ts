/** Helpers shared by the benches: medians, and timing a whole process (the CLI as users run it). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Wall time in ms of `node <args>` in `cwd`, with a clean environment (store and HOME in `cwd`). */
export function timeProcess(args: string[], cwd: string): number {
  const env = { PATH: process.env.PATH, HOME: cwd, XDG_DATA_HOME: join(cwd, '.xdg'), NO_COLOR: '1' };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
