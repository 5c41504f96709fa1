/**
 * JSON batching: `POST /v1.0/$batch` (docs/graph.md, "JSON batching";
 * https://learn.microsoft.com/graph/json-batching).
 *
 * - At most 20 requests per batch: longer lists are chunked (one round trip per chunk).
 * - Item URLs are relative to the version root (`/applications(appId='…')`), as our paths already are.
 * - Responses may come back in any order: results are returned in the order of the requests.
 * - Each item is throttled on its own (429 per item): throttled or unavailable items (429/503/504)
 *   are re-sent, alone, in a further batch under the same retry policy (waiting for the largest
 *   Retry-After among them). Other item errors become a `GraphCallError` in that item's result.
 */
import { GraphCallError, graphErrorFrom, isThrottleStatus } from './errors.js';
import { graphCall, type HttpMethod } from './request.js';
import { paceKeyCredentialReads, selectsKeyCredentials } from './pacing.js';
import { describe, withRetry } from './retry.js';
import type { GraphSession } from './session.js';

export const BATCH_LIMIT = 20;

export interface BatchItem {
  method: HttpMethod;
  /** relative to `{graph}/v1.0` */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export type BatchResult<T = unknown> =
  | { ok: true; status: number; headers: Record<string, string>; body: T }
  | { ok: false; status: number; error: GraphCallError };

interface WireResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Send independent requests in as few round trips as Graph allows; results in request order. */
export async function graphBatch(session: GraphSession, items: readonly BatchItem[]): Promise<BatchResult[]> {
  const results: BatchResult[] = new Array(items.length);
  for (let start = 0; start < items.length; start += BATCH_LIMIT) {
    const chunk = items.slice(start, start + BATCH_LIMIT);
    const chunkResults = await sendChunk(session, chunk);
    chunkResults.forEach((r, i) => (results[start + i] = r));
  }
  return results;
}

async function sendChunk(session: GraphSession, chunk: readonly BatchItem[]): Promise<BatchResult[]> {
  const results: (BatchResult | undefined)[] = new Array(chunk.length).fill(undefined);
  let pending = chunk.map((_, i) => i);
  const idempotent = chunk.every((it) => it.method !== 'POST');
  const what = `$batch of ${chunk.length} (${chunk.map((c) => describe(c.method, c.path)).slice(0, 3).join(', ')}${chunk.length > 3 ? ', …' : ''})`;

  await withRetry(session.ctx, session.retry, { what, idempotent }, async () => {
    // each item counts against Graph's per-tenant limits on its own
    const answered = await paceKeyCredentialReads(session, pending.filter((i) => selectsKeyCredentials(chunk[i]!.method, chunk[i]!.path)).length);
    const requests = pending.map((index) => {
      const it = chunk[index] as BatchItem;
      const headers = { ...(it.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...it.headers };
      return {
        id: String(index + 1),
        method: it.method,
        url: it.path.startsWith('/') ? it.path : `/${it.path}`,
        ...(Object.keys(headers).length ? { headers } : {}),
        ...(it.body !== undefined ? { body: it.body } : {}),
      };
    });
    let answer: Awaited<ReturnType<typeof graphCall<{ responses?: WireResponse[] }>>>;
    try {
      answer = await graphCall<{ responses?: WireResponse[] }>(session, { method: 'POST', path: '/$batch', body: { requests }, idempotent });
    } finally {
      answered();
    }
    const responses = answer.body?.responses ?? [];
    let throttled: GraphCallError | undefined;
    const stillPending: number[] = [];
    for (const index of pending) {
      const it = chunk[index] as BatchItem;
      const wire = responses.find((r) => r.id === String(index + 1));
      const ref = { method: it.method, path: it.path };
      if (!wire) {
        results[index] = { ok: false, status: 0, error: graphErrorFrom(502, undefined, { error: { code: 'BatchItemMissing', message: 'no response for this item in the $batch answer' } }, ref) };
        continue;
      }
      if (wire.status >= 200 && wire.status < 300) {
        results[index] = { ok: true, status: wire.status, headers: wire.headers ?? {}, body: wire.body };
        continue;
      }
      const error = graphErrorFrom(wire.status, wire.headers, wire.body, ref, session.ctx.clock.now());
      if (isThrottleStatus(wire.status)) {
        stillPending.push(index);
        if (!throttled || (error.retryAfterMs ?? 0) > (throttled.retryAfterMs ?? 0)) throttled = error;
      }
      results[index] = { ok: false, status: wire.status, error };
    }
    pending = stillPending;
    // throwing a throttle error makes withRetry wait (its Retry-After) and send the pending items again
    if (throttled) throw throttled;
  });
  return results as BatchResult[];
}
