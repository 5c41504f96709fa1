/**
 * Where a PFX password comes from (DESIGN §4 "Secrets"): an environment variable named by
 * --password-env, all of stdin (--password-stdin), or a hidden prompt — only on a terminal, since
 * @inquirer/prompts hangs on an open, silent pipe (shared/reference/libraries.md). The password is
 * never echoed, logged or put in an error message; messages name the variable, not its value.
 */
import type { Context } from '../context.js';
import { InputError, InterruptedError, UsageError } from '../errors.js';

/** The value of $name; UsageError (64) naming the variable when it is not set. */
export function passwordFromEnv(name: string, ctx: Pick<Context, 'env'>): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`--password-env takes the NAME of an environment variable (letters, digits, _), e.g. --password-env PFX_PASSWORD`);
  }
  const value = ctx.env[name];
  if (value === undefined) {
    throw new UsageError(`--password-env ${name}: the environment variable ${name} is not set`, {
      remedy: `export ${name}=… before running, or use --password-stdin`,
    });
  }
  return value;
}

const MAX_PASSWORD_BYTES = 64 * 1024;

/** All of stdin, minus one trailing newline (so `echo pw |` and `printf pw |` both work). */
export async function passwordFromStdin(ctx: Pick<Context, 'stdin'>): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    // a password is short: `yes |` or /dev/zero on stdin must not fill the memory
    if (total > MAX_PASSWORD_BYTES) throw new InputError(`--password-stdin: stdin holds more than ${MAX_PASSWORD_BYTES / 1024} KiB; a password is expected`, { code: 'password-too-long' });
    chunks.push(bytes);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

export function canPrompt(ctx: Pick<Context, 'stdin'>): boolean {
  return ctx.stdin.isTTY === true;
}

/**
 * A hidden prompt on stderr (stdout carries only the result). Ctrl-C at the prompt (the terminal is
 * in raw mode, so it arrives as a key, not as SIGINT) and a stopped run both end it as an
 * interruption (exit 130), like Ctrl-C anywhere else.
 */
export async function promptPassword(message: string, ctx: Pick<Context, 'stdin' | 'stderr' | 'signal'>): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  try {
    return await password(
      { message, mask: '*' },
      { input: ctx.stdin as NodeJS.ReadableStream, output: ctx.stderr as unknown as NodeJS.WritableStream, ...(ctx.signal ? { signal: ctx.signal } : {}) },
    );
  } catch (err) {
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
      throw InterruptedError.from(ctx.signal?.aborted ? ctx.signal.reason : 'SIGINT', 'stopped at the password prompt; nothing was changed', { cause: err });
    }
    throw err;
  }
}
