/**
 * The CLI in this process for the contract tests: `main(argv, { cwd, env, stdin, stdout, stderr,
 * signal })`, the exit code it returns and both streams captured; a temporary folder per test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunIn {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  signal?: AbortSignal;
  /** stdout's terminal width (a terminal when given) */
  columns?: number;
}

class Capture {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

export async function run(argv: string[], options: RunIn): Promise<Run> {
  const stdout = new Capture(options.columns !== undefined, options.columns);
  const stderr = new Capture();
  const stdin = Readable.from([Buffer.from(options.input ?? '')]);
  const env = { PATH: process.env.PATH, HOME: options.cwd, XDG_DATA_HOME: join(options.cwd, '.xdg'), NO_COLOR: '1', ...options.env };
  const code = await main(argv, { cwd: options.cwd, env, stdin, stdout, stderr, ...(options.signal ? { signal: options.signal } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-cli-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The one JSON document on stdout. */
export function doc(r: Run): Record<string, any> {
  return JSON.parse(r.stdout) as Record<string, any>;
}
