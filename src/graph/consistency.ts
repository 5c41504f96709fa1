/**
 * Waiting out Microsoft Entra's replication lag after a create: a bounded check, with a deadline and
 * the run's clock, for the one quirk described here.
 *
 * The quirk: the directory is eventually consistent and documents no SLA. Right after
 * `POST /applications` (or an upsert that created), for seconds:
 *   - reads of the new object answer 404 `Request_ResourceNotFound` (azure-cli#1332);
 *   - `POST /servicePrincipals {appId}` answers 400 "The appId '…' of the service principal does not
 *     reference a valid application object." (`NoBackingApplicationObject`, vault-plugin-secrets-azure#8);
 *   - grants that reference a just-created service principal answer 400/404 on `clientId`/`resourceId`.
 * (docs/graph.md, "Replication lag", has the sources.) Same approach as terraform-provider-azuread
 * `internal/helpers/consistency`: retry with bounded exponential backoff until a deadline
 * (`--propagation-timeout`), then give up with TransientError (exit 75).
 *
 * Only objects *this session created* are waited for (`markFresh`): a 404 for anything else means
 * "absent" and is answered at once — we never wait 120 s for an object that simply does not exist.
 */
import type { Context } from '../context.js';
import { TransientError } from '../errors.js';
import { stopIfAborted } from './retry.js';
import { GraphCallError } from './errors.js';
import { deadlineFor, PROGRESS_THRESHOLD_MS, seconds, withDeadline, type RetryPolicy } from './retry.js';

/** Does this error look like replication lag (the object or its reference is not visible yet)? */
export function isReplicationLag(err: unknown): boolean {
  if (!(err instanceof GraphCallError)) return false;
  if (err.status === 404) return true;
  if (err.status !== 400) return false;
  const text = `${err.graphCode} ${err.graphMessage} ${JSON.stringify(err.body ?? '')}`;
  return (
    /NoBackingApplicationObject|does not reference a valid application object/i.test(text) ||
    /Request_ResourceNotFound/i.test(text) ||
    // oauth2PermissionGrants: "Invalid value specified for property 'clientId'/'resourceId'"
    // (not a malformed body: "Property 'clientId' is required and must be a GUID." is no lag)
    (/oauth2PermissionGrants/i.test(err.path) && /\b(clientId|resourceId)\b/i.test(text) && !/is required|must be a GUID/i.test(text))
  );
}

/** Consistency steps: 1, 2, 4, 8 s… capped at 10 s (Microsoft Q&A's 1-2-4-8-16; azure-cli uses 5 s × 36). */
export const CONSISTENCY_BASE_MS = 1000;
export const CONSISTENCY_MAX_MS = 10_000;

export interface ConsistencyCtx {
  ctx: Pick<Context, 'clock' | 'log' | 'signal'>;
  retry: RetryPolicy;
}

/** Thrown by a `read` to say "not there yet" without an HTTP error (e.g. an empty $filter result). */
export class NotYetVisible extends Error {
  constructor(what: string) {
    super(`${what}: not visible yet`);
    this.name = 'NotYetVisible';
  }
}

/**
 * Call `fn` until it stops failing with replication lag (or `isPending` says so), within the budget.
 * Calls inside share the deadline (their own throttling retries cannot outlast it).
 */
export async function waitForConsistency<T>(
  s: ConsistencyCtx,
  what: string,
  fn: () => Promise<T>,
  isPending: (err: unknown) => boolean = isReplicationLag,
): Promise<T> {
  const { ctx, retry } = s;
  const started = ctx.clock.now();
  const deadline = deadlineFor(ctx, retry);
  let shown = false;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withDeadline(deadline, fn);
      } catch (err) {
        stopIfAborted(ctx);
        if (!(err instanceof NotYetVisible) && !isPending(err)) throw err;
        const step = Math.min(CONSISTENCY_MAX_MS, CONSISTENCY_BASE_MS * 2 ** (attempt - 1));
        const delay = Math.round(step * (0.75 + retry.random() * 0.25));
        const now = ctx.clock.now();
        if (now + delay > deadline) {
          throw new TransientError(
            `${what}: Microsoft Entra had not replicated the change after ${seconds(now - started)} (${describeLag(err)})`,
            { cause: err, remedy: 'Replication is slow right now: run the same command again later (it resumes where it stopped), or raise --propagation-timeout.' },
          );
        }
        const note = `Waiting for Microsoft Entra to replicate: ${what} (${describeLag(err)}); next check in ${seconds(delay)}`;
        if (delay > PROGRESS_THRESHOLD_MS || now - started > PROGRESS_THRESHOLD_MS) {
          ctx.log.progress(note);
          shown = true;
        } else ctx.log.verbose(note);
        await ctx.clock.sleep(delay, ctx.signal).catch(() => stopIfAborted(ctx));
      }
    }
  } finally {
    if (shown) ctx.log.done();
  }
}

function describeLag(err: unknown): string {
  if (err instanceof GraphCallError) return `${err.status} ${err.graphCode}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/* ------------------------------------------------------------------ objects created by this session */

const freshBySession = new WeakMap<object, Set<string>>();

/** Remember that this session created the object (object id or appId): its 404s are lag, not absence. */
export function markFresh(session: object, ...ids: (string | undefined)[]): void {
  let set = freshBySession.get(session);
  if (!set) freshBySession.set(session, (set = new Set()));
  for (const id of ids) if (id) set.add(id.toLowerCase());
}

export function isFresh(session: object, id: string | undefined): boolean {
  return !!id && !!freshBySession.get(session)?.has(id.toLowerCase());
}
