/**
 * The last link of our Graph client middleware chain: fetch, with a timeout, keeping the cause of a
 * failed fetch. The SDK's own HTTPMessageHandler lets `TypeError: fetch failed` through and its
 * GraphErrorHandler then keeps only the error's *name* and message (statusCode -1) — the cause
 * (ECONNRESET, "other side closed", an untrusted certificate) would be lost. We throw an error named
 * after the errno instead, so `fromClientError` (errors.ts) can tell a reset (retry) from a refusal.
 */
import type { Context as MiddlewareContext, Middleware } from '@microsoft/microsoft-graph-client';
import { errnoOf } from '../util/errno.js';
import { TransportFailure } from './errors.js';

/** The default bound of one Graph request when the session gives none (it gives the run's budget). */
export const REQUEST_TIMEOUT_MS = 100_000;

/**
 * `timeoutMs`: one request (connect, TLS, the whole answer) may take this long — the run's budget
 * (--propagation-timeout). A server that accepts the connection and never answers becomes a
 * TimeoutError naming its host.
 */
export class FetchHandler implements Middleware {
  /** `stop`: the run's signal (Ctrl-C): a request in flight is abandoned at once */
  constructor(
    private readonly timeoutMs: number = REQUEST_TIMEOUT_MS,
    private readonly stop?: AbortSignal,
  ) {}

  async execute(context: MiddlewareContext): Promise<void> {
    const options = { ...(context.options ?? {}) } as RequestInit;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signals = [options.signal, timeout, this.stop].filter((s): s is AbortSignal => !!s);
    options.signal = signals.length === 1 ? timeout : AbortSignal.any(signals);
    try {
      context.response = await fetch(context.request, options);
    } catch (err) {
      if (timeout.aborted) throw new TransportFailure('TimeoutError', `${hostOf(context.request)} did not answer within ${Math.round(this.timeoutMs / 100) / 10} s`);
      const { errno, detail } = errnoOf(err);
      throw new TransportFailure(errno, detail);
    }
  }
}

function hostOf(request: RequestInfo): string {
  try {
    return new URL(typeof request === 'string' ? request : request.url).host;
  } catch {
    return 'Microsoft Graph';
  }
}

/** The TokenCredential the Graph SDK's auth provider calls: our typed sign-in errors survive the SDK
 *  (it re-wraps any other error as a GraphError with statusCode -1) by riding in a GraphClientError's
 *  `customError`, which the SDK passes through untouched; `fromClientError` unwraps it. */
export function credentialForGraphSdk<T extends { getToken: (...a: never[]) => Promise<unknown> }>(
  credential: T,
  GraphClientError: new (message?: string) => Error & { customError?: unknown },
): T {
  return {
    getToken: async (...args: never[]) => {
      try {
        return await credential.getToken(...args);
      } catch (err) {
        const wrapped = new GraphClientError(err instanceof Error ? err.message : String(err));
        wrapped.customError = err;
        throw wrapped;
      }
    },
  } as T;
}
