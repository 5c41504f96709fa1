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

/** No Graph call should take this long; a hung connection becomes a retryable TimeoutError. */
export const REQUEST_TIMEOUT_MS = 100_000;

export class FetchHandler implements Middleware {
  /** `stop`: the run's signal (Ctrl-C): a request in flight is abandoned at once */
  constructor(
    private readonly timeoutMs: number = REQUEST_TIMEOUT_MS,
    private readonly stop?: AbortSignal,
  ) {}

  async execute(context: MiddlewareContext): Promise<void> {
    const options = { ...(context.options ?? {}) } as RequestInit;
    if (!options.signal) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      options.signal = this.stop ? AbortSignal.any([timeout, this.stop]) : timeout;
    }
    try {
      context.response = await fetch(context.request, options);
    } catch (err) {
      const { errno, detail } = errnoOf(err);
      throw new TransportFailure(errno, detail);
    }
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
