/**
 * yargs wiring, global options, output rendering, and error → exit code.
 * `main()` never exits the process: it returns the exit code (bin/ exits).
 */
import yargs, { type Argv } from 'yargs';
import { readFileSync } from 'node:fs';
import { commands } from '../commands/index.js';
import type { CommandSpec, GlobalArgs } from './command.js';
import { createContext, type ContextOptions, type Context } from './context.js';
import { EntraPortalError, ExitCode, InputError, UsageError, exitCodeFor, formatProblem } from './errors.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface MainOptions extends ContextOptions {}

/** Run the CLI with these arguments (without `node` and the script); resolve to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  let parsedGlobals: Partial<GlobalArgs> = {};
  const stdout = options.stdout ?? process.stdout;
  const wantsJson = argv.includes('--json');

  const parser: Argv<GlobalArgs> = yargs()
    .scriptName('entra-portal')
    .usage(
      '$0 <verb> [options]\n\n' +
        'Register or configure the Microsoft Entra application behind the Veeam Backup for\n' +
        'Microsoft 365 Restore Portal from a declarative JSON5 file, keep Entra in sync with it,\n' +
        'and prove that the portal works.',
    )
    .option('config', {
      alias: 'c',
      type: 'string',
      describe: 'config file (default ./entra-portal.json5, or $ENTRA_PORTAL_CONFIG)',
      global: true,
      requiresArg: true,
    })
    .option('json', { type: 'boolean', default: false, describe: 'print exactly one JSON document on stdout', global: true })
    .option('what-if', { type: 'boolean', default: false, describe: 'show what would change; change nothing', global: true })
    .option('verbose', { type: 'boolean', describe: 'more detail on stderr', global: true })
    .option('quiet', { type: 'boolean', describe: 'only warnings and errors on stderr', global: true })
    .option('color', { type: 'boolean', default: true, describe: 'colour on a terminal (--no-color to disable; NO_COLOR honoured)', global: true })
    .conflicts('verbose', 'quiet')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a verb: entra-portal <verb> [options]. Run "entra-portal --help" for the list.')
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .version(packageVersion())
    .alias('help', 'h')
    .epilog(
      'Exit codes: 0 success or in sync · 1 failed · 2 drift or a failing check · 64 usage\n' +
        '65 invalid input · 75 temporary failure (throttling, propagation) · 77 insufficient rights in Entra\n' +
        'Docs: README.md. Every verb takes --help with examples.',
    )
    .fail((msg, err) => {
      if (!err || err.name === 'YError') throw new UsageError(msg || err?.message || 'invalid usage');
      throw err;
    }) as unknown as Argv<GlobalArgs>;

  for (const spec of commands as CommandSpec<any, any>[]) {
    parser.command(
      spec.command,
      spec.describe,
      (y) => {
        const built = spec.builder ? spec.builder(y as Argv<GlobalArgs>) : y;
        for (const [cmd, what] of spec.examples ?? []) built.example(cmd, what);
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
    await parser.parseAsync(argv);
    return exitCode;
  } catch (err) {
    const ctx = createContext({ ...options, colorEnabled: parsedGlobals.color === false ? false : options.colorEnabled });
    return reportError(err, ctx, wantsJson || parsedGlobals.json === true, parsedGlobals.verbose === true, stdout);
  }
}

function reportError(err: unknown, ctx: Context, json: boolean, verbose: boolean, stdout: { write(s: string): unknown }): number {
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
  if (err instanceof UsageError) text += '\nRun "entra-portal --help" or "entra-portal <verb> --help" for usage.';
  if (verbose && err instanceof EntraPortalError && err.cause instanceof Error && err.cause.stack) {
    text += `\n${color.dim(`caused by: ${err.cause.stack}`)}`;
  }
  ctx.stderr.write(`${text}\n`);
  return code;
}
