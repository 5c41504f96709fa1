/**
 * The shape of one cmdlet as the CLI sees it (STYLE #1): yargs options, a handler that calls a
 * plain async function in src/ and returns its typed result, and a renderer for human output.
 * Command files stay light: they import heavy modules lazily inside `run`, so `--help` is fast.
 */
import type { Argv } from 'yargs';
import type { Context } from '../context.js';

/** Options every verb accepts (DESIGN §3). */
export interface GlobalArgs {
  config?: string;
  json: boolean;
  whatIf: boolean;
  verbose: boolean;
  quiet: boolean;
  color: boolean;
}

export interface CommandSpec<A = Record<string, unknown>, R = unknown> {
  /** yargs command string, e.g. `set-portal-url <url>` */
  command: string;
  describe: string;
  /** `[command line, what it does]`, shown in `--help` */
  examples?: ReadonlyArray<readonly [string, string]>;
  builder?(y: Argv<GlobalArgs>): Argv<unknown>;
  run(args: A & GlobalArgs, ctx: Context): Promise<R>;
  /** human output on stdout; the default prints nothing (progress already went to stderr) */
  render?(result: R, ctx: Context, args: A & GlobalArgs): string | undefined;
  /** the verb wrote its result to stdout itself (a long-running verb such as `emulator`): print nothing after run() */
  printsOwnOutput?: boolean;
  /** exit code for a successful run (e.g. 2 for drift); default 0 */
  exitCode?(result: R, args: A & GlobalArgs): number;
}

/** Helper so each command file is type-checked against its own argument type. */
export function defineCommand<A, R>(spec: CommandSpec<A, R>): CommandSpec<A, R> {
  return spec;
}
