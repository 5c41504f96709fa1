/**
 * The CLI: argv → verb → run → output → exit code. `main()` never exits the process and never
 * installs signal handlers: it returns the exit code, and stops early when `options.signal` aborts
 * (bin/entra-portal.js does both). So it runs in-process in tests, with their streams and env.
 *
 * stdout carries the result (or, with --json, exactly one JSON document: src/cli/envelope.ts);
 * stderr carries the conversation: progress, warnings, errors and their remedies.
 */
import { commands } from '../../commands/index.js';
import type { CommandSpec, GlobalArgs } from './command.js';
import { createContext, type ContextOptions, type Context } from '../context.js';
import { EntraPortalError, ExitCode, InputError, InterruptedError, UsageError, exitCodeFor, formatProblem } from '../errors.js';
import { envelope, jsonDocument } from './envelope.js';
import { packageVersion, topLevelHelp, verbHelp } from './help.js';
import { findVerb, hasFlag, looksLikeOption, parseVerbArgs } from './parse.js';
import { unknownVerbError } from './usage.js';
import { escapeControl, escapeControlLines } from '../util/text.js';

export { InterruptedError };

export interface MainOptions extends ContextOptions {
  /** aborted to stop the run (bin/ aborts with 'SIGINT' or 'SIGTERM'); main then returns 130 or 143 */
  signal?: AbortSignal;
}

/** How long a stopped run may take to wind down (close sessions, remove temporary files) before main gives up on it. */
export const STOP_GRACE_MS = 5000;

const VERBS = commands.map((c) => c.name);

/** Run the CLI with these arguments (without `node` and the script); resolve to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const columns = stdout.isTTY ? stdout.columns : undefined;
  // known before parsing, so that a usage error is reported as asked: --json, --no-color
  const before = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const wantsJson = before.some((a) => a === '--json' || a === '--json=true');
  const noColor = before.some((a) => a === '--no-color' || a === '--color=false');
  const verbose = before.includes('--verbose');
  let ctx: Context = createContext({ ...options, ...(noColor ? { colorEnabled: false } : {}) });
  let verb: string | null = null;
  let json = wantsJson;
  try {
    const at = findVerb(argv);
    const word = at === -1 ? undefined : argv[at]!;
    const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];

    if (word === 'help' || (word === undefined && hasFlag(argv, 'help'))) {
      const topic = word === 'help' ? rest.find((w) => !looksLikeOption(w)) : undefined;
      // `help` and `version` are described in the top-level help itself
      if (topic === undefined || topic === 'help' || topic === 'version') return write(stdout, topLevelHelp(commands, columns));
      const spec = commands.find((c) => c.name === topic);
      if (!spec) throw unknownVerbError(topic, VERBS);
      return write(stdout, verbHelp(spec, columns));
    }
    if (word === 'version' || (word === undefined && hasFlag(argv, 'version'))) {
      verb = 'version';
      const version = packageVersion();
      return write(stdout, json ? jsonDocument(envelope('version', 0, ctx.clock.now(), { version })) : `${version}\n`);
    }
    if (word === undefined) {
      // a bare `entra-portal` (or `entra-portal $VERB` with VERB unset) is a mistake in a script:
      // the help goes to stderr and the exit code is the usage error's, never 0
      ctx.stderr.write(topLevelHelp(commands, columns));
      throw new UsageError('name a verb: entra-portal <verb> [options]', { remedy: 'See the verbs above, or "entra-portal help <verb>".' });
    }
    const spec = commands.find((c) => c.name === word);
    if (!spec) throw unknownVerbError(word, VERBS);
    verb = spec.name;
    if (hasFlag(rest, 'help')) return write(stdout, verbHelp(spec, columns));
    if (hasFlag(rest, 'version')) return write(stdout, `${packageVersion()}\n`);

    const args = parseVerbArgs(spec, rest, ctx.env) as unknown as GlobalArgs & Record<string, unknown>;
    json = args.json === true;
    ctx = createContext({
      ...options,
      verbosity: args.quiet ? 'quiet' : args.verbose ? 'verbose' : 'normal',
      ...(args.color === false ? { colorEnabled: false } : {}),
    });
    const configs = Array.isArray(args.config) ? (args.config as unknown[]) : [args.config];
    if (configs.some((c) => typeof c === 'string' && c.trim() === '')) {
      // `-c "$TENANT_CONFIG"` with the variable unset must not fall back to ./entra-portal.json5
      throw new UsageError(`${verb}: -c/--config is empty`, {
        remedy: 'Name the config file (is the variable you passed unset?), or leave out -c for ./entra-portal.json5 or $ENTRA_PORTAL_CONFIG.',
      });
    }
    // `-c servers/` names a folder: creating a config file called `servers` is never what was meant
    const named = configs.filter((c): c is string => typeof c === 'string');
    const given: [string, string][] = named.length ? named.map((c) => ['-c', c]) : [['$ENTRA_PORTAL_CONFIG', ctx.env.ENTRA_PORTAL_CONFIG?.trim() ?? '']];
    const folder = given.find(([, c]) => /[\\/]$/.test(c));
    if (folder) {
      const [source, c] = folder;
      throw new UsageError(`${verb}: ${source} ${c} ends with '${c.slice(-1)}': it names a folder, not a config file`, {
        remedy: `Name the file in it, e.g. ${c}entra-portal.json5${verb === 'apply' || verb === 'test-portal' ? `, or a pattern for a fleet: '${c}*.json5'` : ''}.`,
      });
    }
    return await runVerb(spec, args, ctx, stdout);
  } catch (err) {
    const failure = (err as NodeJS.ErrnoException)?.syscall ? (await import('./fs-failure.js')).fileSystemFailure(err) : err;
    return reportError(failure, ctx, json, verbose, stdout, verb);
  }
}

function write(stdout: { write(s: string): unknown }, text: string): number {
  stdout.write(text);
  return ExitCode.Ok;
}

async function runVerb(spec: CommandSpec<any, any>, args: GlobalArgs & Record<string, unknown>, ctx: Context, stdout: { write(s: string): unknown }): Promise<number> {
  if (ctx.signal?.aborted) throw InterruptedError.from(ctx.signal.reason);
  // a verb that runs until stopped (emulator) ends normally on the signal; any other is interrupted by it
  const result = spec.printsOwnOutput ? await spec.run(args, ctx) : await untilStopped(spec.run(args, ctx), ctx.signal);
  const exitCode = spec.exitCode?.(result, args) ?? ExitCode.Ok;
  if (spec.printsOwnOutput) {
    // already on stdout (e.g. `emulator` prints its start-up document, then runs until a signal)
  } else if (args.json) {
    stdout.write(jsonDocument(envelope(spec.name, exitCode, ctx.clock.now(), result as object)));
  } else {
    const text = spec.render?.(result, ctx, args);
    if (text) stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  return exitCode;
}

/**
 * The run's result; once `signal` aborts, the run gets STOP_GRACE_MS to stop on its own (its
 * InterruptedError says what was done), after which it is abandoned with a plain one.
 */
async function untilStopped<T>(run: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return run;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => {
      timer = setTimeout(() => reject(InterruptedError.from(signal.reason)), STOP_GRACE_MS);
      timer.unref?.();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([run, abandoned]);
  } catch (err) {
    // whatever the run threw once stopped (an aborted request, a closed session) is the interruption
    if (signal.aborted && !(err instanceof InterruptedError)) throw InterruptedError.from(signal.reason, undefined, { cause: err });
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    run.catch(() => undefined); // an abandoned run's late failure is not unhandled
  }
}

function reportError(err: unknown, ctx: Context, json: boolean, verbose: boolean, stdout: { write(s: string): unknown }, verb: string | null): number {
  const code = exitCodeFor(err);
  const { color } = ctx;
  if (json) {
    const body =
      err instanceof EntraPortalError ? err.toJSON() : { code: 'internal', message: err instanceof Error ? err.message : String(err), exitCode: code };
    stdout.write(jsonDocument(envelope(verb, code, ctx.clock.now(), { error: body })));
  }
  // messages quote values from outside (config values, file names, names from Entra): escaped
  let text: string;
  if (err instanceof InputError && err.problems.length > 0) {
    text = `${color.red('error:')} ${escapeControl(err.message)}\n${err.problems.map((p) => `  ${escapeControl(formatProblem(p))}`).join('\n')}`;
  } else if (err instanceof EntraPortalError) {
    text = `${color.red(err instanceof InterruptedError ? 'stopped:' : 'error:')} ${escapeControl(err.message)}`;
  } else {
    const e = err instanceof Error ? err : new Error(String(err));
    text = `${color.red('error:')} ${escapeControl(e.message)}${verbose && e.stack ? `\n${escapeControlLines(e.stack)}` : '\n(run with --verbose for details)'}`;
  }
  if (err instanceof EntraPortalError && err.remedy) text += `\n${color.cyan('hint:')} ${escapeControl(err.remedy)}`;
  if (err instanceof UsageError && !err.remedy) {
    text += verb ? `\nSee "entra-portal ${verb} --help" for its options and examples.` : '\nRun "entra-portal --help" or "entra-portal <verb> --help" for usage.';
  }
  if (verbose && err instanceof EntraPortalError && err.cause instanceof Error && err.cause.stack) {
    text += `\n${color.dim(`caused by: ${escapeControlLines(err.cause.stack)}`)}`;
  }
  ctx.stderr.write(`${text}\n`);
  return code;
}
