/** Helpers shared by the benches: medians, and timing a whole process (the CLI as users run it). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CPU_REPORT = fileURLToPath(new URL('./cpu-report.cjs', import.meta.url));

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Wall time in ms of `node <args>` in `cwd`, with a clean environment (store and HOME in `cwd`);
 * the run must exit with `expect` (default 0).
 */
export function timeProcess(args: string[], cwd: string, expect = 0): number {
  const env = { PATH: process.env.PATH, HOME: cwd, XDG_DATA_HOME: join(cwd, '.xdg'), NO_COLOR: '1' };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expect) throw new Error(`${args.join(' ')} exited ${r.status}, not ${expect}: ${r.stderr}`);
  return ms;
}

/**
 * Wall time and the process's own CPU time (user + system) in ms of `node <args>`. CPU time is what
 * the process itself spent, so other work on a shared machine barely moves it (wall time does).
 */
export function measureProcess(args: string[], cwd: string, expect = 0): { wallMs: number; cpuMs: number } {
  const env = { PATH: process.env.PATH, HOME: cwd, XDG_DATA_HOME: join(cwd, '.xdg'), NO_COLOR: '1' };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', CPU_REPORT, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expect) throw new Error(`${args.join(' ')} exited ${r.status}, not ${expect}: ${r.stderr}`);
  const cpuMs = Number(String(r.output[3] ?? '').trim());
  if (!Number.isFinite(cpuMs)) throw new Error(`${args.join(' ')}: no CPU time reported`);
  return { wallMs, cpuMs };
}
