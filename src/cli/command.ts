/**
 * The shape of one verb as the CLI sees it: its options as data (parsed by src/cli/parse.ts, shown
 * by src/cli/help.ts), a `run` that calls a plain async function in src/cmdlets/ and returns its
 * typed result, and a renderer for human output. Command files stay light: they import their
 * implementation lazily inside `run`, so parsing and `--help` load nothing heavy.
 */
import type { Context } from '../context.js';

/** Options every verb accepts (src/cli/options.ts GLOBAL_OPTIONS). */
export interface GlobalArgs {
  config?: string;
  json?: boolean;
  whatIf?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  /** false with --no-color */
  color: boolean;
}

export type OptionKind = 'string' | 'boolean' | 'integer' | 'number';

export interface OptionSpec {
  /** the long name, kebab-case (`validity-days`); the parsed value's key is its camelCase form */
  name: string;
  /** one letter (`c` for `-c`) */
  short?: string;
  kind: OptionKind;
  /** the placeholder in help and usage lines, e.g. `file` for `--pfx <file>` */
  value?: string;
  describe: string;
  /** the value when the option is not given (shown in help as "default: …") */
  default?: string | number | boolean;
  /** how the default is shown when it is not a plain value ("$ENTRA_PORTAL_CONFIG, else ./entra-portal.json5") */
  defaultText?: string;
  /** the verb cannot run without it; the text is the remedy shown when it is missing */
  required?: string;
  /** may be given several times (the value is then an array); a single-value option given twice is a usage error */
  repeatable?: boolean;
  /** the allowed values, matched case-insensitively; the canonical spelling is passed on */
  choices?: readonly string[];
  /** integer/number options: the allowed values, and how to say them ("a whole number of days from 1 to 3650") */
  check?: (n: number) => boolean;
  rule?: string;
  /** an environment variable that gives the value when the option is absent (validated like the option) */
  env?: string;
  /** the boolean option this one only makes sense with (`--prune` on an edit verb needs `--apply`) */
  needs?: string;
}

export interface PositionalSpec {
  name: string;
  value?: string;
  describe: string;
  required?: boolean;
}

export interface CommandSpec<A = Record<string, unknown>, R = unknown> {
  /** the verb, e.g. `set-portal-url` */
  name: string;
  describe: string;
  positionals?: readonly PositionalSpec[];
  options?: readonly OptionSpec[];
  /** the usage line after the verb, when the required options alone do not say it (install-cert's sources) */
  synopsis?: string;
  /** `[command line, what it does]`, shown in `--help`; every verb has at least one */
  examples: ReadonlyArray<readonly [string, string]>;
  /** notes under the examples in `--help`: paragraphs, wrapped to the terminal (leading spaces indent them) */
  notes?: readonly string[];
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

/** `validity-days` → `validityDays`: the key a parsed option is stored under. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
