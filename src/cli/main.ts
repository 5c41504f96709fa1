/**
 * yargs wiring, global options, output rendering, and error → exit code.
 * `main()` never exits the process: it returns the exit code (bin/ exits).
 */
import type { Argv } from 'yargs';
import { commands } from '../../commands/index.js';
import type { CommandSpec, GlobalArgs } from './command.js';
import { EPILOG, GLOBAL_OPTIONS, NO_VERB, USAGE, formatExamples, packageVersion, topLevelHelp } from './help.js';
import { createContext, type ContextOptions, type Context } from '../context.js';
import { EntraPortalError, ExitCode, InputError, UsageError, exitCodeFor, formatProblem } from '../errors.js';
import { usageHint, type VerbOptions } from './usage.js';

export interface MainOptions extends ContextOptions {}

/** Run the CLI with these arguments (without `node` and the script); resolve to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  let parsedGlobals: Partial<GlobalArgs> = {};
  const stdout = options.stdout ?? process.stdout;
  // before yargs has parsed (a usage error): `--json` and its explicit form `--json=true` both ask for the error document
  const wantsJson = argv.some((a) => a === '--json' || a === '--json=true');
  // likewise `--no-color` (yargs never got to parse it when the usage itself is wrong)
  const noColor = argv.some((a) => a === '--no-color' || a === '--color=false');

  // `entra-portal help [verb]`, as git and npm take it: the same as `--help` / `<verb> --help`
  const verbNames = commands.map((c) => c.command.split(' ')[0]!);
  if (argv[0] === 'help' && argv.length <= 2) {
    const verb = argv[1];
    if (verb !== undefined && !verbNames.includes(verb)) {
      const hint = usageHint('', [verb], verbNames);
      return reportError(new UsageError(hint?.message ?? `unknown verb '${verb}'`, hint?.remedy ? { remedy: hint.remedy } : {}), createContext(options), false, false, stdout);
    }
    argv = verb !== undefined ? [verb, '--help'] : ['--help'];
  }
  // Fast path: top-level help and version without loading yargs (src/help.ts).
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    stdout.write(topLevelHelp(commands, columns(stdout)));
    return ExitCode.Ok;
  }
  if (argv.length === 1 && argv[0] === '--version') {
    stdout.write(`${packageVersion()}\n`);
    return ExitCode.Ok;
  }
  if (argv.length === 0) return reportError(new UsageError(NO_VERB), createContext(options), false, false, stdout);

  const { default: yargs } = await import('yargs');
  // the matched verb's options, captured in its builder (yargs runs it before validating)
  let matchedVerb: VerbOptions | undefined;
  let parser = yargs().scriptName('entra-portal').usage(USAGE) as unknown as Argv<GlobalArgs>;
  for (const o of GLOBAL_OPTIONS) {
    parser = parser.option(o.name, {
      type: o.type,
      describe: o.describe,
      global: true,
      ...(o.alias ? { alias: o.alias } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      ...(o.type === 'string' ? { requiresArg: true } : {}),
    }) as unknown as Argv<GlobalArgs>;
  }
  parser = parser
    .conflicts('verbose', 'quiet')
    .strict()
    .recommendCommands()
    .demandCommand(1, NO_VERB)
    .exitProcess(false)
    .wrap(Math.min(110, columns(stdout)))
    .version(packageVersion())
    .alias('help', 'h')
    .epilog(EPILOG)
    .fail((msg, err) => {
      if (!err || err.name === 'YError') {
        const yargsMessage = msg || err?.message || 'invalid usage';
        const hint = usageHint(yargsMessage, argv, verbNames, matchedVerb);
        throw new UsageError(hint?.message ?? yargsMessage, hint?.remedy ? { remedy: hint.remedy } : {});
      }
      throw err;
    }) as unknown as Argv<GlobalArgs>;

  for (const spec of commands as CommandSpec<any, any>[]) {
    parser.command(
      spec.command,
      spec.describe,
      (y) => {
        // examples first in the epilog (before the verb's own notes), laid out to be copied (src/help.ts)
        if (spec.examples?.length) y.epilog(formatExamples(spec.examples));
        const built = spec.builder ? spec.builder(y as Argv<GlobalArgs>) : y;
        skipHelpCache(built);
        matchedVerb = verbOptions(spec, built);
        return built as Argv<GlobalArgs>;
      },
      async (args) => {
        const globals = args as unknown as GlobalArgs;
        parsedGlobals = globals;
        const ctx = createContext({
          ...options,
          verbosity: globals.quiet ? 'quiet' : globals.verbose ? 'verbose' : 'normal',
          colorEnabled: globals.color === false ? false : options.colorEnabled,
        });
        if (typeof globals.config === 'string' && globals.config.trim() === '') {
          // `-c "$TENANT_CONFIG"` with the variable unset must not fall back to ./entra-portal.json5
          throw new UsageError(`${spec.command.split(' ')[0]}: -c/--config is empty`, {
            remedy: 'Name the config file (is the variable you passed unset?), or leave out -c for ./entra-portal.json5 or $ENTRA_PORTAL_CONFIG.',
          });
        }
        const result = await spec.run(args as never, ctx);
        if (spec.printsOwnOutput) {
          // already on stdout (e.g. `emulator` prints its start-up document, then runs until a signal)
        } else if (globals.json) {
          stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          const text = spec.render?.(result, ctx, args as never);
          if (text) stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        }
        exitCode = spec.exitCode?.(result, args as never) ?? ExitCode.Ok;
      },
    );
  }

  try {
    // with a parse callback yargs hands over what it would print (help, version) instead of
    // writing it to process.stdout itself: it goes to this run's stdout
    let printed = '';
    await parser.parseAsync(argv, {}, (_err, _args, output) => {
      printed = output;
    });
    if (printed) stdout.write(`${printed}\n`); // as console.log, which yargs uses otherwise
    return exitCode;
  } catch (err) {
    const ctx = createContext({ ...options, colorEnabled: parsedGlobals.color === false || noColor ? false : options.colorEnabled });
    return reportError(err, ctx, wantsJson || parsedGlobals.json === true, parsedGlobals.verbose === true, stdout, matchedVerb?.verb);
  }
}

/** The width to lay help out for: this run's terminal, or 100 columns off a terminal. */
function columns(stdout: { columns?: number }): number {
  return stdout.columns || 100;
}

/**
 * yargs 18 lays out the matched verb's whole help before running its handler
 * (`usage.cacheHelpMessage()` in lib/command.js, for `showHelp()` inside handlers, which entra-portal
 * never calls): ~50 ms of string-width work on every run. `--help` still renders it on demand.
 * Internal API, pinned yargs version: if it is not there, nothing changes.
 */
function skipHelpCache(y: unknown): void {
  const internal = (y as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

function verbOptions(spec: CommandSpec<any, any>, y: unknown): VerbOptions {
  const options = (y as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; boolean: string[] } }).getOptions();
  const names = new Set([...Object.keys(options.key), ...Object.values(options.alias).flat(), 'h']);
  const example = spec.examples?.[0]?.[0].replace('$0', 'entra-portal');
  const positionals = [...spec.command.matchAll(/<([\w-]+)>/g)].map((m) => m[1]!);
  return { verb: spec.command.split(' ')[0]!, names: [...names], booleans: options.boolean, positionals, ...(example ? { example } : {}) };
}

function reportError(err: unknown, ctx: Context, json: boolean, verbose: boolean, stdout: { write(s: string): unknown }, verb?: string): number {
  const code = exitCodeFor(err);
  const { color } = ctx;
  if (json) {
    const body =
      err instanceof EntraPortalError
        ? err.toJSON()
        : { code: 'internal', message: err instanceof Error ? err.message : String(err), exitCode: code };
    stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
  }
  let text: string;
  if (err instanceof InputError && err.problems.length > 0) {
    text = `${color.red('error:')} ${err.message}\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
  } else if (err instanceof EntraPortalError) {
    text = `${color.red('error:')} ${err.message}`;
  } else {
    const e = err instanceof Error ? err : new Error(String(err));
    text = `${color.red('error:')} ${e.message}${verbose && e.stack ? `\n${e.stack}` : '\n(run with --verbose for details)'}`;
  }
  if (err instanceof EntraPortalError && err.remedy) text += `\n${color.cyan('hint:')} ${err.remedy}`;
  if (err instanceof UsageError && !err.remedy) {
    text += verb ? `\nSee "entra-portal ${verb} --help" for its options and examples.` : '\nRun "entra-portal --help" or "entra-portal <verb> --help" for usage.';
  }
  if (verbose && err instanceof EntraPortalError && err.cause instanceof Error && err.cause.stack) {
    text += `\n${color.dim(`caused by: ${err.cause.stack}`)}`;
  }
  ctx.stderr.write(`${text}\n`);
  return code;
}
