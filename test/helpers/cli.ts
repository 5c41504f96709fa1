/**
 * End-to-end helpers for the CLI contract, in a temporary folder per test.
 *
 * - `runMain` (the default): the real argv path in this process — `main(argv, { cwd, env, stdin,
 *   stdout, stderr })`, the exit code it returns and the two streams captured. Each call gets its own
 *   streams, cwd and environment; nothing reads process.env or process.cwd() behind the context.
 * - `runCli`: the built CLI (`bin/` → `dist/`) as a real child process, for what only a process shows:
 *   the exit code through bin/, signals, a TTY, NODE_EXTRA_CA_CERTS (read at process start only),
 *   runs of several processes on one state or config. Build first (`npx tsc -p tsconfig.json`).
 * Both take the same options and give the same result shape, and the same minimal environment.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Clock } from '../../src/context.js';

import { repoRoot } from './paths.js';
import { testEnv } from './pki.js';

export { repoRoot };
export const binPath = join(repoRoot, 'bin', 'entra-portal.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** written to stdin, which is then closed */
  input?: string;
  /** runMain only: the run's clock (e.g. fakeClock() from graph-fakes.ts: its waits pass at once) */
  clock?: Clock;
  /** runMain only: the run's stop signal (as bin/ gives it on SIGINT/SIGTERM) */
  signal?: AbortSignal;
  /** runCli only: kill the child after this long (default 60 s); in-process runs are bounded by the test's timeout */
  timeoutMs?: number;
}

/** What a run sees as its environment: testEnv() in its folder, plus the test's own variables. */
export function cliEnv(options: RunOptions): NodeJS.ProcessEnv {
  return testEnv(options.cwd, options.env);
}

/** A captured output stream: not a terminal, as a pipe is. */
class Capture {
  readonly isTTY = false;
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

/** The CLI in this process: main() with its own streams, cwd and environment. */
export async function runMain(args: string[], options: RunOptions): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from([Buffer.from(options.input ?? '')]) as Readable & { isTTY?: boolean };
  const { main } = await import('../../src/cli/main.js');
  const code = await main(args, { cwd: options.cwd, env: cliEnv(options), stdin, stdout, stderr, ...(options.clock ? { clock: options.clock } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The built CLI as a child process. Async on purpose: an in-process emulator would deadlock under execFileSync. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [binPath, ...args],
      { cwd: options.cwd, env: cliEnv(options), timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err: ExecFileException | null, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    // a child that exits before reading its stdin (a usage error) closes it: that is not the test's failure
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
