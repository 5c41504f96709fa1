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
 * The mean of the middle half (the interquartile mean): steadier than the median on a dozen or two
 * samples, and as deaf as it to the few runs another process's burst slowed down.
 */
export function middleMean(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const quarter = Math.floor(s.length / 4);
  const mid = s.slice(quarter, s.length - quarter);
  return mid.reduce((a, b) => a + b, 0) / mid.length;
}

/** The interquartile range relative to the median, in percent: how far apart the middle half of the runs lie. */
export function spreadPercent(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return ((s[Math.floor((s.length * 3) / 4)]! - s[Math.floor(s.length / 4)]!) / median(s)) * 100;
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
 * `extraEnv` is added to the clean environment.
 */
export function measureProcess(args: string[], cwd: string, expect = 0, extraEnv: Record<string, string> = {}): { wallMs: number; cpuMs: number } {
  const env = { PATH: process.env.PATH, HOME: cwd, XDG_DATA_HOME: join(cwd, '.xdg'), NO_COLOR: '1', ...extraEnv };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', CPU_REPORT, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expect) throw new Error(`${args.join(' ')} exited ${r.status}, not ${expect}: ${r.stderr}`);
  const cpuMs = Number(String(r.output[3] ?? '').trim());
  if (!Number.isFinite(cpuMs)) throw new Error(`${args.join(' ')}: no CPU time reported`);
  return { wallMs, cpuMs };
}
