/**
 * End-to-end helpers: run the built CLI as a real process (the real argv path, STYLE #13),
 * in a temporary folder per test.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const binPath = join(repoRoot, 'bin', 'entra-portal.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** written to the child's stdin, which is then closed */
  input?: string;
  timeoutMs?: number;
}

/** Async on purpose: an in-process emulator would deadlock under execFileSync. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [binPath, ...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH, HOME: options.cwd, XDG_DATA_HOME: join(options.cwd, '.xdg'), NO_COLOR: '1', ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err: ExecFileException | null, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
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
