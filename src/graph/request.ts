/**
 * One Graph request through the session's Graph client, with the retry policy, returning the raw
 * answer (status, headers, parsed JSON body) or throwing the one error type (errors.ts).
 *
 * We ask the SDK for `ResponseType.RAW`: it then hands back the fetch Response for every status
 * (no throw on 4xx/5xx), so we parse each error exactly once, see 201 vs 204 (the upsert tells
 * "created" from "updated" that way), and read Retry-After ourselves.
 */
import type { ResponseType } from '@microsoft/microsoft-graph-client';
import { fromClientError, graphErrorFrom, type RequestRef } from './errors.js';
import { describe, withRetry } from './retry.js';
import { paceKeyCredentialReads, selectsKeyCredentials } from './pacing.js';
import type { GraphSession } from './session.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphCall {
  method: HttpMethod;
  /** relative to `{graph}/v1.0`, e.g. `/applications(appId='…')?$select=id,appId` (query values already encoded) */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** a dropped connection may be retried (default: true except for POST) */
  idempotent?: boolean;
}

export interface GraphAnswer<T = unknown> {
  status: number;
  headers: Headers;
  /** parsed JSON, or undefined for 204 / an empty body */
  body: T;
}

/** Send once, no retry: the raw answer for any status; transport failures as GraphConnectionError. */
export async function sendOnce<T = unknown>(session: Pick<GraphSession, 'graph'>, call: GraphCall): Promise<GraphAnswer<T>> {
  const ref: RequestRef = { method: call.method, path: call.path };
  let response: Response;
  try {
    // ResponseType.RAW, spelled as its value so this module loads without the SDK
    let req = session.graph.api(call.path).responseType('raw' as ResponseType);
    if (call.headers) req = req.headers(call.headers);
    switch (call.method) {
      case 'GET':
        response = await req.get();
        break;
      case 'POST':
        response = await req.post(call.body ?? {});
        break;
      case 'PATCH':
        response = await req.patch(call.body ?? {});
        break;
      case 'PUT':
        response = await req.put(call.body ?? {});
        break;
      case 'DELETE':
        response = await req.delete();
        break;
    }
  } catch (err) {
    throw fromClientError(err, ref);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    // the connection dropped while the body was streaming
    throw fromClientError(Object.assign(new TypeError('fetch failed'), { cause: err }), ref);
  }
  const body = parseBody(text, response.headers.get('content-type'));
  return { status: response.status, headers: response.headers, body: body as T };
}

/** Send with the session's retry policy; non-2xx → GraphCallError (after retries for 429/503/504). */
export async function graphCall<T = unknown>(session: GraphSession, call: GraphCall): Promise<GraphAnswer<T>> {
  const idempotent = call.idempotent ?? call.method !== 'POST';
  const paced = selectsKeyCredentials(call.method, call.path);
  return withRetry(session.ctx, session.retry, { what: describe(call.method, call.path), idempotent }, async () => {
    const answered = paced ? await paceKeyCredentialReads(session, 1) : undefined;
    let answer: GraphAnswer<T>;
    try {
      answer = await sendOnce<T>(session, call);
    } finally {
      answered?.();
    }
    if (answer.status >= 400) {
      throw graphErrorFrom(answer.status, answer.headers, answer.body, { method: call.method, path: call.path }, session.ctx.clock.now());
    }
    return answer;
  });
}

/** GET a collection and follow `@odata.nextLink` to the end. */
export async function graphList<T>(session: GraphSession, path: string, headers?: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  for (let page = 0; next && page < 1000; page++) {
    const answer: GraphAnswer<{ value?: T[]; '@odata.nextLink'?: string }> = await graphCall(session, {
      method: 'GET',
      path: next,
      ...(headers ? { headers } : {}),
    });
    items.push(...(answer.body?.value ?? []));
    next = answer.body?.['@odata.nextLink'];
  }
  return items;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text) return undefined;
  if (contentType && !/json/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Encode a value for an OData string literal in a path or $filter: quotes doubled, then URI-encoded. */
export function odataString(value: string): string {
  return encodeURIComponent(value.replace(/'/g, "''"));
}
