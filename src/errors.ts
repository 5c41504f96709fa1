/**
 * Typed errors and the one mapping from error to exit code (docs/architecture.md, "Errors and
 * exit codes"; the codes are interface: docs/cli.md).
 *
 * Library code throws these; `src/cli/main.ts` renders them and returns `exitCodeFor(err)`;
 * only `bin/entra-portal.js` ends the process. A user error (bad input) prints no stack.
 */

/** Exit codes are part of the interface: documented in the README, never renumbered. */
export const ExitCode = {
  /** success; in sync; all checks passed */
  Ok: 0,
  /** the operation failed (Entra, network, file system, unexpected) */
  Failed: 1,
  /** drift/changes pending, or test-portal found a failing check */
  Drift: 2,
  /** usage error: unknown verb or option, missing or conflicting options */
  Usage: 64,
  /** invalid input: bad config file, bad URL, bad certificate/PFX, wrong PFX password */
  InvalidInput: 65,
  /** temporary failure: throttling or propagation did not settle within the retry budget */
  TempFail: 75,
  /** insufficient privileges in Entra */
  NoPermission: 77,
  /** interrupted by the user (SIGINT, Ctrl-C): 128 + 2, as a shell reports it */
  Interrupted: 130,
  /** stopped by SIGTERM: 128 + 15 */
  Terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A position in a file, for messages like `entra-portal.json5:12:5: portal.url: must use https`. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One problem found in an input (a config file usually holds several). */
export interface Problem {
  /** dotted path in the config, e.g. `portal.url`; empty for the whole document */
  path: string;
  message: string;
  location?: SourceLocation;
}

export function formatProblem(p: Problem): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.column}: ` : '';
  return `${where}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export interface ErrorOptions {
  cause?: unknown;
  /** what the user can do about it; printed under the message */
  remedy?: string;
}

/** Base of every error entra-portal raises on purpose. */
export abstract class EntraPortalError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** stable machine-readable code for `--json` output */
  abstract readonly code: string;
  readonly remedy?: string;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.remedy !== undefined) this.remedy = options.remedy;
  }

  /**
   * The JSON shape printed on stdout under `--json` when a command fails. An error that a Graph answer
   * caused keeps that answer's raw fields (status, Graph's code and message, request-id) for a support case.
   */
  toJSON(): Record<string, unknown> {
    const graph = graphAnswerOf(this);
    return {
      code: this.code,
      message: this.message,
      exitCode: this.exitCode,
      ...(this.remedy ? { remedy: this.remedy } : {}),
      ...(graph
        ? { status: graph.status, graphCode: graph.graphCode, graphMessage: graph.graphMessage, ...(graph.requestId ? { requestId: graph.requestId } : {}) }
        : {}),
    };
  }
}

/**
 * The command line is wrong: an unknown verb or option, a missing, repeated or conflicting one, or
 * a value the option (or argument, or the environment variable standing in for one) does not accept.
 * Never exit 2. `code` is 'usage' unless a more specific one helps a script (e.g. 'invalid-url').
 */
export class UsageError extends EntraPortalError {
  readonly exitCode = ExitCode.Usage;
  readonly code: string;

  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'usage';
  }
}

/** Bad config file, bad URL, bad certificate or PFX, wrong password. */
export class InputError extends EntraPortalError {
  readonly exitCode = ExitCode.InvalidInput;
  readonly code: string;
  readonly problems: Problem[];

  constructor(message: string, options: ErrorOptions & { problems?: Problem[]; code?: string } = {}) {
    super(message, options);
    this.problems = options.problems ?? [];
    this.code = options.code ?? 'invalid-input';
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...(this.problems.length ? { problems: this.problems } : {}) };
  }
}

/** The operator lacks a right in Entra (403, missing role); the message names the right. */
export class PermissionError extends EntraPortalError {
  readonly exitCode = ExitCode.NoPermission;
  readonly code = 'insufficient-privileges';
  readonly missing: string[];

  constructor(message: string, options: ErrorOptions & { missing?: string[] } = {}) {
    super(message, options);
    this.missing = options.missing ?? [];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), missing: this.missing };
  }
}

/** Throttling or replication did not settle within the retry budget; a lock another run holds. */
export class TransientError extends EntraPortalError {
  readonly exitCode = ExitCode.TempFail;
  readonly code: string;

  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'temporary-failure';
  }
}

/** Who holds a lock file (what `<file>.lock` records). */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO 8601, when it was taken */
  time: string;
  /** what holds it, when the holder said: e.g. 'emulator' for a standalone `entra-portal emulator` */
  purpose?: string;
}

/**
 * Another process holds a lock this run needs (the config file's, the emulator state's): temporary
 * (75), since a rerun after the other one finishes succeeds. The holder is data, not text to parse.
 */
export class LockedError extends TransientError {
  readonly lockPath: string;
  readonly holder?: LockHolder;

  constructor(message: string, options: ErrorOptions & { code?: string; lockPath: string; holder?: LockHolder }) {
    super(message, { code: 'locked', ...options });
    this.lockPath = options.lockPath;
    if (options.holder) this.holder = options.holder;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), lockPath: this.lockPath, ...(this.holder ? { holder: this.holder } : {}) };
  }
}

/**
 * The run was stopped by a signal (Ctrl-C: SIGINT → 130; SIGTERM → 143). What was done before it
 * is in the message, so the user knows whether to rerun (every verb is safe to rerun).
 */
export class InterruptedError extends EntraPortalError {
  readonly exitCode: ExitCodeValue;
  readonly code = 'interrupted';
  readonly signal: string;

  constructor(message: string, options: ErrorOptions & { signal?: string } = {}) {
    super(message, options);
    this.signal = options.signal ?? 'SIGINT';
    this.exitCode = this.signal === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted;
  }

  /** The error for an aborted run: the abort's reason (bin/ aborts with the signal's name) kept as-is when it already is one. */
  static from(reason: unknown, message?: string, options: ErrorOptions = {}): InterruptedError {
    const signal = reason instanceof InterruptedError ? reason.signal : typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? reason : 'SIGINT';
    if (reason instanceof InterruptedError && message === undefined) return reason;
    return new InterruptedError(message ?? `interrupted (${signal})`, { ...options, signal });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), signal: this.signal };
  }
}

/** Anything else that failed: file system, network, an unexpected Graph answer. */
export class OperationError extends EntraPortalError {
  readonly exitCode = ExitCode.Failed;
  readonly code: string;

  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'failed';
  }
}

/**
 * The one mapping from a Graph answer's HTTP status to an exit code: 403 → 77 (a right is missing),
 * 429/503/504 → 75 (throttled or unavailable past the retry budget), anything else → 1. Both a raw
 * GraphRequestError and the error graph/errors.ts `toPortalError` presents it as follow it.
 */
export function exitCodeForGraphStatus(status: number): ExitCodeValue {
  if (status === 403) return ExitCode.NoPermission;
  if (status === 429 || status === 503 || status === 504) return ExitCode.TempFail;
  return ExitCode.Failed;
}

/** What Graph answered, as it said it: kept on the error, never re-read from the error's own text. */
export interface GraphAnswer {
  status: number;
  /** Graph's error code, e.g. Request_ResourceNotFound */
  graphCode: string;
  /** Graph's error message */
  graphMessage: string;
  /** Graph's request-id (innerError or response header), for a support case */
  requestId?: string;
}

/**
 * An error answer from Microsoft Graph, parsed once from its body
 * (`{"error":{"code","message","innerError":{"request-id","date"}}}`).
 */
export class GraphRequestError extends EntraPortalError implements GraphAnswer {
  readonly code = 'graph-error';
  readonly exitCode: ExitCodeValue;
  readonly status: number;
  readonly graphCode: string;
  readonly graphMessage: string;
  readonly requestId?: string;

  constructor(message: string, answer: GraphAnswer, options: ErrorOptions = {}) {
    super(message, options);
    this.status = answer.status;
    this.graphCode = answer.graphCode;
    this.graphMessage = answer.graphMessage;
    if (answer.requestId !== undefined) this.requestId = answer.requestId;
    this.exitCode = exitCodeForGraphStatus(answer.status);
  }
}

/** The Graph answer behind an error: the error itself or one of its causes. */
export function graphAnswerOf(err: unknown): GraphAnswer | undefined {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof GraphRequestError) return e;
  }
  return undefined;
}

/**
 * A value the caller passed (an option, an argument: what the user typed) that the rules for the
 * data refuse — a URL, a GUID, a region, a name. The same rules judge the config file, where a bad
 * value is invalid input (65); on the command line it is a usage error (64): the fix is there.
 */
export function asArgument<T>(check: () => T, source?: string): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // `source` names where the value came from when the message cannot: an environment variable
    const message = source ? `${source}: ${err.message}` : err.message;
    throw new UsageError(message, { code: err.code, cause: err, ...(err.remedy ? { remedy: err.remedy } : {}) });
  }
}

/** The single mapping from anything thrown to an exit code. */
export function exitCodeFor(err: unknown): ExitCodeValue {
  if (err instanceof EntraPortalError) return err.exitCode;
  return ExitCode.Failed;
}

/**
 * The exit code of a run made of several parts (the provider's application and its customer tenants):
 * the worst one — a failure (1), then what needs a person (65 invalid input, 77 rights or consent),
 * then what a rerun may settle (75), then drift (2), then success.
 */
const SEVERITY: readonly number[] = [ExitCode.Ok, ExitCode.Drift, ExitCode.TempFail, ExitCode.NoPermission, ExitCode.InvalidInput, ExitCode.Failed];

export function worstExitCode(codes: readonly number[]): number {
  const rank = (c: number) => (SEVERITY.includes(c) ? SEVERITY.indexOf(c) : SEVERITY.length);
  return codes.reduce((worst, c) => (rank(c) > rank(worst) ? c : worst), ExitCode.Ok as number);
}
