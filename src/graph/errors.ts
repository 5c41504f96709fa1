/**
 * Graph answers → typed errors, parsed ONCE here (docs/architecture.md, "Errors and exit codes").
 *
 * Graph's error body (docs/graph.md, "Requests and error bodies"):
 *   {"error":{"code":"Request_ResourceNotFound","message":"…","innerError":{"date":"…","request-id":"<guid>"}}}
 * The same shape arrives from a plain response, from a `$batch` item (`{id,status,headers,body}`) and,
 * for transport failures, as the Graph SDK's `GraphError` (statusCode -1, `code` = the error's name).
 *
 * Callers catch `GraphRequestError` (from src/errors.ts; `GraphCallError` below is that class plus the
 * request it answered and Retry-After) and look at `status`/`graphCode`. `toPortalError` turns the
 * final answer into what the CLI should exit with: 403 → PermissionError (77) naming the likely right.
 */
import { EntraPortalError, ExitCode, exitCodeForGraphStatus, GraphRequestError, OperationError, PermissionError, TransientError } from '../errors.js';
import { errnoOf } from '../util/errno.js';

/** What was asked, for messages ("GET /applications(appId='…')"). */
export interface RequestRef {
  method: string;
  /** the path relative to `{graph}/v1.0`, with its query */
  path: string;
}

/** A Graph error answer plus the request and the server's Retry-After (ms), if any. */
export class GraphCallError extends GraphRequestError {
  readonly method: string;
  readonly path: string;
  /** the server's Retry-After, in ms (0 = retry at once); undefined when absent */
  readonly retryAfterMs?: number;
  /** the raw error body (for --verbose); never contains a secret: Graph does not echo them */
  readonly body?: unknown;

  constructor(args: {
    status: number;
    graphCode: string;
    message: string;
    requestId?: string;
    request: RequestRef;
    retryAfterMs?: number;
    body?: unknown;
  }) {
    super(`${args.request.method} ${shortPath(args.request.path)}: ${args.status} ${args.graphCode}: ${args.message}`, {
      status: args.status,
      graphCode: args.graphCode,
      graphMessage: args.message,
      ...(args.requestId ? { requestId: args.requestId } : {}),
    });
    this.method = args.request.method;
    this.path = args.request.path;
    if (args.retryAfterMs !== undefined) this.retryAfterMs = args.retryAfterMs;
    if (args.body !== undefined) this.body = args.body;
  }
}

/**
 * The connection failed before an answer arrived (reset, refused, TLS, timeout).
 * `mayHaveCommitted`: a write whose connection dropped may or may not have been carried out —
 * re-observe before trying again (the emulator's `drop-after-write` fault does exactly this).
 */
export class GraphConnectionError extends OperationError {
  readonly method: string;
  readonly path: string;
  /** errno-like code: ECONNRESET, UND_ERR_SOCKET, ECONNREFUSED, TimeoutError, CERT_… */
  readonly errno: string;
  /** what failed, in words (for a timeout: which host did not answer within how long) */
  readonly detail: string;
  readonly mayHaveCommitted: boolean;
  /** a reset or a timeout: worth retrying (a refused connection or an untrusted certificate is not) */
  readonly transient: boolean;

  constructor(args: { errno: string; detail: string; request: RequestRef; cause?: unknown }) {
    const transient = TRANSIENT_ERRNO.has(args.errno);
    const write = args.request.method !== 'GET';
    super(`${args.request.method} ${shortPath(args.request.path)}: connection failed (${args.errno}: ${args.detail})`, {
      code: 'connection-failed',
      cause: args.cause,
      remedy: args.errno.startsWith('CERT') || /certificate/i.test(args.detail)
        ? 'The server certificate is not trusted. For a private CA set NODE_EXTRA_CA_CERTS to its PEM file.'
        : transient ? undefined : 'Check the network path to Microsoft Graph (proxy, firewall, DNS).',
    });
    this.method = args.request.method;
    this.path = args.request.path;
    this.errno = args.errno;
    this.detail = args.detail;
    this.transient = transient;
    this.mayHaveCommitted = write && transient;
  }
}

const TRANSIENT_ERRNO = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET', // undici: "other side closed" / socket hang up
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'AbortError',
  'SocketError',
]);

/** Graph's error codes that mean "retry later". */
export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

/** Parse `{"error":{code,message,innerError}}` from a body that may be text, an object or empty. */
export function parseGraphErrorBody(body: unknown): { code?: string; message?: string; requestId?: string } {
  let obj: unknown = body;
  if (typeof body === 'string') {
    try {
      obj = body.trim() ? JSON.parse(body) : undefined;
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (!obj || typeof obj !== 'object') return {};
  const error = (obj as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return {};
  const e = error as { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> };
  const inner = e.innerError ?? e.innererror;
  const requestId = inner && typeof inner['request-id'] === 'string' ? inner['request-id'] : undefined;
  return {
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.message === 'string' ? { message: e.message } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** A header getter over fetch Headers or a `$batch` item's plain object (case-insensitive). */
export function headerOf(headers: Headers | Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower && v != null) return String(v);
  return undefined;
}

/** Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3) → ms from `nowMs`; undefined if absent/invalid. */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  424: 'FailedDependency',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Build the one error type from a status, headers and body (plain response or `$batch` item). */
export function graphErrorFrom(
  status: number,
  headers: Headers | Record<string, unknown> | undefined,
  body: unknown,
  request: RequestRef,
  nowMs: number = Date.now(),
): GraphCallError {
  const parsed = parseGraphErrorBody(body);
  const requestId = parsed.requestId ?? headerOf(headers, 'request-id') ?? headerOf(headers, 'client-request-id');
  const retryAfterMs = parseRetryAfter(headerOf(headers, 'retry-after'), nowMs);
  return new GraphCallError({
    status,
    graphCode: parsed.code ?? STATUS_TEXT[status] ?? `HTTP${status}`,
    message: parsed.message ?? `HTTP ${status}`,
    ...(requestId ? { requestId } : {}),
    request,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(body !== undefined && body !== '' ? { body } : {}),
  });
}

/** The error our transport middleware throws for a failed fetch: `name` carries the errno code. */
export class TransportFailure extends Error {
  constructor(
    readonly errno: string,
    message: string,
  ) {
    super(message);
    this.name = errno;
  }
}

/**
 * Anything the Graph client threw → GraphCallError / GraphConnectionError. The SDK turns a failed fetch
 * into a `GraphError` with statusCode -1 and `code` = the thrown error's name — our transport names
 * it after the errno, so the code survives (see transport.ts).
 */
export function fromClientError(err: unknown, request: RequestRef): unknown {
  if (err instanceof GraphRequestError || err instanceof GraphConnectionError) return err;
  // a sign-in failure carried through the SDK in a GraphClientError (transport.ts credentialForGraphSdk)
  const custom = (err as { customError?: unknown } | null)?.customError;
  if (custom instanceof EntraPortalError) return custom;
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown; body?: unknown; headers?: Headers };
  if (e && typeof e === 'object' && typeof e.statusCode === 'number') {
    if (e.statusCode <= 0) {
      const errno = typeof e.code === 'string' && e.code ? e.code : 'ENETWORK';
      return new GraphConnectionError({ errno, detail: String(e.message ?? ''), request, cause: err });
    }
    const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
    // the SDK's GraphError.body is JSON of the inner `error` object, not the whole envelope
    const envelope = body && typeof body === 'object' && !('error' in body) ? { error: body } : body;
    return graphErrorFrom(e.statusCode, e.headers, envelope, request);
  }
  if (err instanceof TransportFailure) return new GraphConnectionError({ errno: err.errno, detail: err.message, request, cause: err });
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) {
    const { errno, detail } = errnoOf(err);
    return new GraphConnectionError({ errno, detail, request, cause: err });
  }
  return err;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Which right a 403 on this request most likely lacks: the least-privileged application permission
 * Graph documents for it — a read names a read right, never a write one.
 */
export function likelyMissingRight(request: RequestRef): string {
  const p = request.path.toLowerCase();
  const write = request.method.toUpperCase() !== 'GET';
  if (p.includes('oauth2permissiongrants')) return write ? 'DelegatedPermissionGrant.ReadWrite.All' : 'Directory.Read.All';
  if (p.includes('approleassignedto') || p.includes('approleassignments')) return write ? 'AppRoleAssignment.ReadWrite.All' : 'Application.Read.All';
  return write ? 'Application.ReadWrite.All' : 'Application.Read.All';
}

/**
 * The final error for the CLI, presented for what the status means (src/errors.ts
 * exitCodeForGraphStatus decides the exit code): 77 → PermissionError naming the likely right;
 * 75 → TransientError (the retries are exhausted); 401 → an authentication failure (1) with a remedy;
 * anything else unchanged. The Graph answer stays the cause: its raw fields are in --json.
 */
export function toPortalError(err: unknown): unknown {
  if (err instanceof GraphCallError) {
    const exitCode = exitCodeForGraphStatus(err.status);
    if (exitCode === ExitCode.NoPermission) {
      const right = likelyMissingRight(err);
      return new PermissionError(`Microsoft Graph refused ${err.method} ${shortPath(err.path)} (403 ${err.graphCode}): the signed-in identity likely lacks ${right}`, {
        missing: [right],
        cause: err,
        remedy: `Grant ${right} to the identity that runs entra-portal (application permission with admin consent, or a directory role such as Application Administrator).`,
      });
    }
    if (err.status === 401) {
      return new OperationError(`Microsoft Graph did not accept the access token (${err.graphCode}: ${err.graphMessage})`, {
        code: 'authentication-failed',
        cause: err,
        remedy: 'Sign in again for the region configured (the token must be issued by that cloud for its Graph root).',
      });
    }
    if (exitCode === ExitCode.TempFail) {
      return new TransientError(`${err.message} (retry budget exhausted)`, { cause: err, remedy: 'Try again later, or raise --propagation-timeout.' });
    }
  }
  return err;
}

/** Keep long paths readable in messages. */
export function shortPath(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return p.length > 160 ? `${p.slice(0, 157)}…` : p;
}
