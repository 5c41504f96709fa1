/**
 * Where a PFX password comes from: an environment variable named by --password-env, all of stdin
 * (--password-stdin), or a hidden prompt — only on a terminal, since @inquirer/prompts hangs on an
 * open, silent pipe. The password is never echoed, logged or put in an error message; messages name
 * the variable, not its value. It is never taken from the command line, where other users of the
 * machine see it (`ps`, /proc/<pid>/cmdline, Windows' process list) and shells keep it in history.
 */
import type { Context } from '../context.js';
import { InputError, UsageError } from '../errors.js';

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

/** A hidden prompt on stderr (src/util/prompt.ts); Ctrl-C there ends the run as an interruption. */
export async function promptPassword(message: string, ctx: Pick<Context, 'stdin' | 'stderr' | 'signal'>): Promise<string> {
  const { askPassword } = await import('../util/prompt.js');
  return askPassword(message, 'the password prompt', ctx);
}

export interface PasswordSource {
  /** the NAME of an environment variable holding the password */
  passwordEnv?: string;
  /** read it from stdin (a hidden prompt when stdin is a terminal) */
  passwordStdin?: boolean;
}

/** --password-env and --password-stdin together: a usage error (64). */
export function checkPasswordSource(input: PasswordSource): void {
  if (input.passwordEnv !== undefined && input.passwordStdin) throw new UsageError('conflicting options: --password-env and --password-stdin (choose one)');
}

/**
 * The password a new PFX (an export) is protected with: from the variable named, from stdin, or
 * typed twice at a hidden prompt on a terminal. Without a terminal and without a source, a usage
 * error (64) that says how to pass it — a script never waits for input. An empty password protects
 * nothing: refused (64).
 */
export async function newPassword(input: PasswordSource, ctx: Context, what: string): Promise<string> {
  checkPasswordSource(input);
  let password: string;
  if (input.passwordEnv !== undefined) {
    password = passwordFromEnv(input.passwordEnv, ctx);
  } else if (input.passwordStdin && !canPrompt(ctx)) {
    password = await passwordFromStdin(ctx);
  } else if (canPrompt(ctx)) {
    if (input.passwordStdin) ctx.log.info('--password-stdin: stdin is a terminal, so the password is asked for at a hidden prompt');
    for (let attempt = 1; ; attempt++) {
      const first = await promptPassword(`Password for ${what}:`, ctx);
      const again = await promptPassword('The same password again:', ctx);
      if (first === again) {
        password = first;
        break;
      }
      if (attempt >= 3) throw new UsageError('the two passwords differed three times');
      ctx.log.warn('the two passwords differ, try again');
    }
  } else {
    throw new UsageError(`${what} needs a password and there is no terminal to ask for it`, {
      remedy: 'pass it with --password-env <VAR> (the NAME of an environment variable holding it) or --password-stdin',
    });
  }
  if (password === '') {
    throw new UsageError(`the password for ${what} is empty: an empty password protects nothing`, {
      remedy: input.passwordEnv !== undefined ? `set ${input.passwordEnv} to the password` : 'give a password',
    });
  }
  return password;
}
