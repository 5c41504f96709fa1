/**
 * Side effects enter through a context object: streams, environment, clock, cwd
 * (docs/architecture.md, "The context object").
 * Cmdlets take an optional `Partial<Context>`; tests pass their own streams and clock rather
 * than patching module singletons.
 */
import { createColors, type Colors } from './color.js';

export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** a terminal's width (tty.WriteStream) */
  columns?: number;
}

/**
 * A progress line must fit on one terminal row: `\r\x1b[K` clears only the row the cursor is on,
 * so the first row of a wrapped line would stay behind, cut off mid-word, under the next output.
 */
export function fitProgressLine(message: string, columns: number | undefined): string {
  if (!columns || columns < 10) return message;
  const visible = message.replace(/\x1b\[[0-9;]*m/g, '');
  if (visible.length <= columns - 1) return message;
  return `${visible.slice(0, columns - 2)}…`;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** The conversation with the user: everything here goes to stderr, never stdout. */
export interface Logger {
  /** a step or a note; hidden by --quiet */
  info(message: string): void;
  /** something the user should know; shown even with --quiet */
  warn(message: string): void;
  /** something the user must act on now (a device-code sign-in); shown even with --quiet, no prefix */
  notice(message: string): void;
  /** detail for --verbose only */
  verbose(message: string): void;
  /** a transient line for long waits (overwritten on a TTY) */
  progress(message: string): void;
  /** end a progress line, if any */
  done(): void;
}

export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  clock: Clock;
  verbosity: Verbosity;
  /** colours for stderr text (level 0 when not a TTY, NO_COLOR or --no-color) */
  color: Colors;
  log: Logger;
  /**
   * Aborted when the user stops the run (bin/ turns SIGINT/SIGTERM into it; the reason is the
   * signal's name). Long operations stop at their next step and say what was done; only bin/ exits.
   */
  signal?: AbortSignal;
}

export interface ContextOptions extends Partial<Omit<Context, 'log' | 'color'>> {
  /** `--no-color` gives false; undefined means decide from the terminal and NO_COLOR */
  colorEnabled?: boolean;
}

/** Colour only on a TTY, and never when NO_COLOR is set and non-empty (the usual libraries ignore it on a TTY). */
export function colorLevel(stream: TextSink, env: NodeJS.ProcessEnv, enabled?: boolean): 0 | 1 | 2 | 3 {
  if (enabled === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return 1;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

export function createLogger(stderr: TextSink, verbosity: Verbosity, color: Colors): Logger {
  let progressShown = false;
  const clear = () => {
    if (progressShown && stderr.isTTY) stderr.write('\r\x1b[K');
    progressShown = false;
  };
  return {
    info(message) {
      if (verbosity === 'quiet') return;
      clear();
      stderr.write(`${message}\n`);
    },
    warn(message) {
      clear();
      stderr.write(`${color.yellow('warning:')} ${message}\n`);
    },
    notice(message) {
      clear();
      stderr.write(`${color.bold(message)}\n`);
    },
    verbose(message) {
      if (verbosity !== 'verbose') return;
      clear();
      stderr.write(`${color.dim(message)}\n`);
    },
    progress(message) {
      if (verbosity === 'quiet') return;
      if (stderr.isTTY) {
        stderr.write(`\r\x1b[K${fitProgressLine(message, stderr.columns)}`);
        progressShown = true;
      } else {
        stderr.write(`${message}\n`);
      }
    },
    done() {
      clear();
    },
  };
}

/** The contexts createContext made: complete by construction (toContext need not look inside, which would build the streams). */
const made = new WeakSet<Context>();

/**
 * A context on the given streams, else the process's. process.stderr, process.stdin and the colours
 * (which ask whether stderr is a terminal) are made when first used: a run that never writes to
 * stderr (--quiet, no warning) never builds those streams — on a pipe or a terminal that loads
 * Node's networking modules, a tenth of a short run (docs/cli.md, "Start-up").
 */
export function createContext(options: ContextOptions = {}): Context {
  const env = options.env ?? process.env;
  const verbosity = options.verbosity ?? 'normal';
  const stderr = (): TextSink => options.stderr ?? process.stderr;
  let colors: Colors | undefined;
  const color = (): Colors => (colors ??= createColors(colorLevel(stderr(), env, options.colorEnabled)));
  const lazySink: TextSink = {
    write: (chunk) => stderr().write(chunk),
    get isTTY() {
      return stderr().isTTY;
    },
    get columns() {
      return stderr().columns;
    },
  };
  const ctx: Context = {
    cwd: options.cwd ?? process.cwd(),
    env,
    stdout: options.stdout ?? process.stdout,
    get stderr() {
      return stderr();
    },
    get stdin() {
      return options.stdin ?? process.stdin;
    },
    clock: options.clock ?? systemClock,
    verbosity,
    get color() {
      return color();
    },
    log: createLogger(lazySink, verbosity, new Proxy({} as Colors, { get: (_, style) => color()[style as keyof Colors] })),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  made.add(ctx);
  return ctx;
}

/** Accept a full context, a partial one, or nothing (the public API's convenience). */
export function toContext(ctx?: Partial<Context> | Context): Context {
  if (ctx && (made.has(ctx as Context) || ('log' in ctx && ctx.log && 'color' in ctx && ctx.color))) return ctx as Context;
  return createContext(ctx as ContextOptions | undefined);
}
