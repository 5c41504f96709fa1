/**
 * Questions on a terminal (@inquirer/prompts, loaded only when a question is asked), on stderr:
 * stdout carries only the result. Ctrl-C at a question (the terminal is in raw mode, so it arrives
 * as a key, not as SIGINT) and a stopped run both end the run as an interruption (exit 130), as
 * Ctrl-C does anywhere else.
 *
 * This is the only module that imports the prompts: it is loaded with a late import() of its own,
 * so the bundle keeps that ES-modules-only library out of the files every run compiles
 * (scripts/bundle.mjs, bin/load-bundle.js).
 */
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';

type Terminal = Pick<Context, 'stdin' | 'stderr' | 'signal'>;

/** Runs one question; `what` names where the run stopped ("the password prompt"). */
async function ask<T>(question: (streams: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal?: AbortSignal }) => Promise<T>, what: string, ctx: Terminal): Promise<T> {
  try {
    return await question({ input: ctx.stdin as NodeJS.ReadableStream, output: ctx.stderr as unknown as NodeJS.WritableStream, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
      throw InterruptedError.from(ctx.signal?.aborted ? ctx.signal.reason : 'SIGINT', `stopped at ${what}; nothing was changed`, { cause: err });
    }
    throw err;
  }
}

/** A yes/no question, `no` unless answered. */
export async function askConfirm(message: string, what: string, ctx: Terminal): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return ask((streams) => confirm({ message, default: false }, streams), what, ctx);
}

/** A hidden answer, masked with '*'. */
export async function askPassword(message: string, what: string, ctx: Terminal): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  return ask((streams) => password({ message, mask: '*' }, streams), what, ctx);
}
