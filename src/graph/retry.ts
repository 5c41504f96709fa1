/**
 * The one bounded retry policy for Graph calls (docs/graph.md, "Throttling and Retry-After" and
 * "Replication lag").
 *
 * Retries: 429/503/504 (honouring Retry-After, seconds or HTTP date) and
 * transient connection failures (reset, "other side closed", timeout) — the latter only for
 * idempotent requests: a non-idempotent POST whose connection dropped may have been carried out, so
 * it surfaces as `GraphConnectionError { mayHaveCommitted }` and the caller re-observes (api.ts does).
 *
 * Bounds: `maxAttempts` and a wall-clock budget (`--propagation-timeout`, default 120 s) per operation.
 * A consistency wait (consistency.ts) shares its deadline with the calls inside it (via
 * AsyncLocalStorage), so nesting never exceeds the budget. Exponential backoff with full jitter,
 * at least the server's Retry-After. The clock is `ctx.clock` so unit tests never sleep.
 *
 * The Graph SDK's own RetryHandler is NOT in our middleware chain (session.ts builds the chain
 * without it): it would retry 3× inside each of our attempts (3×N), ignore our budget and clock, and
 * it does not know which requests are idempotent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '../context.js';
import { InterruptedError, TransientError } from '../errors.js';
import { GraphCallError, GraphConnectionError, isThrottleStatus, shortPath } from './errors.js';

export const DEFAULT_PROPAGATION_TIMEOUT_S = 120;

export interface RetryPolicy {
  /** wall-clock budget per operation, ms (default 120 000 = --propagation-timeout 120) */
  budgetMs: number;
  /** attempts in total, first included (default 15: a 50 % throttle rate still passes 99.99 % of calls) */
  maxAttempts: number;
  /** first backoff step, ms (default 500); doubles each attempt */
  baseDelayMs: number;
  /** backoff cap, ms (default 30 000); a server Retry-After may exceed it (within the budget) */
  maxDelayMs: number;
  /** jitter source in [0,1); injectable for tests */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: DEFAULT_PROPAGATION_TIMEOUT_S * 1000,
  maxAttempts: 15,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  random: Math.random,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

export interface RetryCallOptions {
  /** what is being done, for progress and errors (e.g. "GET /applications(appId='…')") */
  what: string;
  /** may a dropped connection be retried? GET/PATCH/PUT/DELETE yes; POST no (default: true) */
  idempotent?: boolean;
}

type RetryCtx = Pick<Context, 'clock' | 'log' | 'signal'>;

/** The run was stopped (Ctrl-C): no further attempt, no further wait. */
export function stopIfAborted(ctx: Pick<Context, 'signal'>): void {
  if (ctx.signal?.aborted) throw InterruptedError.from(ctx.signal.reason);
}

/** The absolute deadline (ctx.clock ms) of the enclosing consistency wait, if any. */
const deadlineStore = new AsyncLocalStorage<number>();

/** Run `fn` with every retry inside it bounded by `deadline` (an absolute ctx.clock time). */
export function withDeadline<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
  const outer = deadlineStore.getStore();
  return deadlineStore.run(outer === undefined ? deadline : Math.min(outer, deadline), fn);
}

/** The deadline for an operation starting now: min(now + budget, the enclosing deadline). */
export function deadlineFor(ctx: RetryCtx, policy: RetryPolicy): number {
  const own = ctx.clock.now() + policy.budgetMs;
  const outer = deadlineStore.getStore();
  return outer === undefined ? own : Math.min(own, outer);
}

/** Exponential backoff with full jitter: uniform in [step/2, step], step = base·2^(attempt-1) capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (policy.random() * step) / 2);
}

export type RetryDecision = { retry: false } | { retry: true; delayMs?: number; reason: string };

/** Is this failure worth another attempt, and how long does the server want us to wait? */
export function classifyForRetry(err: unknown, idempotent: boolean): RetryDecision {
  if (err instanceof GraphCallError && isThrottleStatus(err.status)) {
    const reason = err.status === 429 ? 'throttled (429)' : `unavailable (${err.status})`;
    return err.retryAfterMs !== undefined ? { retry: true, delayMs: err.retryAfterMs, reason } : { retry: true, reason };
  }
  if (err instanceof GraphConnectionError && err.transient && idempotent) {
    return { retry: true, reason: err.errno === 'TimeoutError' ? `no answer (${err.detail})` : `connection ${err.errno}` };
  }
  return { retry: false };
}

/** Waits longer than this show a progress line on stderr; shorter ones only in --verbose. */
export const PROGRESS_THRESHOLD_MS = 2000;

/**
 * Call `fn` until it succeeds, fails for good, or the attempts/budget run out. Throttling or
 * resets that outlast the budget become TransientError (exit 75) with the last error as cause.
 */
export async function withRetry<T>(ctx: RetryCtx, policy: RetryPolicy, options: RetryCallOptions, fn: (attempt: number) => Promise<T>): Promise<T> {
  const idempotent = options.idempotent ?? true;
  const deadline = deadlineFor(ctx, policy);
  for (let attempt = 1; ; attempt++) {
    stopIfAborted(ctx);
    try {
      return await fn(attempt);
    } catch (err) {
      stopIfAborted(ctx); // an aborted request is the stop, not a connection failure to retry
      const decision = classifyForRetry(err, idempotent);
      if (!decision.retry) throw err;
      const delay = decision.delayMs ?? backoffDelay(attempt, policy);
      const remaining = deadline - ctx.clock.now();
      if (attempt >= policy.maxAttempts || delay > remaining) {
        const why =
          attempt >= policy.maxAttempts
            ? `after ${attempt} attempts`
            : decision.delayMs !== undefined
              ? `the server asked to wait ${seconds(delay)} but only ${seconds(Math.max(0, remaining))} of the ${seconds(policy.budgetMs)} budget remained`
              : `with ${seconds(Math.max(0, remaining))} of the ${seconds(policy.budgetMs)} budget left`;
        throw new TransientError(`${options.what}: still ${decision.reason} ${why}`, {
          cause: err,
          remedy: 'Microsoft Graph is busy or unreachable: try again later, or raise --propagation-timeout.',
        });
      }
      const note = `${options.what}: ${decision.reason}; retrying in ${seconds(delay)} (attempt ${attempt + 1}/${policy.maxAttempts})`;
      if (delay > PROGRESS_THRESHOLD_MS) ctx.log.progress(note);
      else ctx.log.verbose(note);
      await ctx.clock.sleep(delay, ctx.signal).catch(() => stopIfAborted(ctx));
      if (delay > PROGRESS_THRESHOLD_MS) ctx.log.done();
    }
  }
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`;
}

/** "GET /applications(...)" for a request */
export function describe(method: string, path: string): string {
  return `${method} ${shortPath(path)}`;
}
