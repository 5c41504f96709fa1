/**
 * `POST /v1.0/$batch` (docs/graph.md, "JSON batching"): at most 20 requests, unique ids, a body
 * needs a Content-Type header, `dependsOn` honoured (424 when a dependency failed). Each item goes
 * through the same roles, faults and commit path as a top-level call, and carries
 * `"Content-Type": "application/json"` in its headers whenever it has a JSON body — the Graph
 * client's BatchResponseContent re-serialises an item body only with that exact header.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, innerError, type GraphResult } from '../http.js';
import type { GraphCall } from './call.js';
import { runGraphCall } from './router.js';

interface Item {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

export interface BatchOutcome {
  result: GraphResult;
  /** per item, for the request log */
  items: { method: string; path: string; status: number; write: boolean; durationMs: number }[];
}

function parseItems(body: unknown): Item[] {
  const reqs = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(reqs)) throw badRequest('Invalid batch payload format.', 'BadRequest');
  if (reqs.length === 0) throw badRequest('The batch must contain at least one request.', 'BadRequest');
  if (reqs.length > 20) throw badRequest('The number of requests in the batch exceeds the limit of 20.', 'BadRequest');
  const items: Item[] = [];
  const ids = new Set<string>();
  for (const r of reqs as Record<string, unknown>[]) {
    if (!r || typeof r !== 'object') throw badRequest('Invalid batch payload format.', 'BadRequest');
    const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : '';
    if (!id) throw badRequest('Every request in a batch needs an id.', 'BadRequest');
    if (ids.has(id)) throw badRequest(`Batch request ids must be unique: '${id}' is repeated.`, 'BadRequest');
    ids.add(id);
    const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
    if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method)) throw badRequest(`Invalid method '${String(r.method)}' for request id ${id}.`, 'BadRequest');
    if (typeof r.url !== 'string' || !r.url) throw badRequest(`Missing url for request id ${id}.`, 'BadRequest');
    if (/^[a-z]+:\/\//i.test(r.url)) throw badRequest(`The url of request id ${id} must be relative.`, 'BadRequest');
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && r.body !== null && !headers['content-type']) {
      throw badRequest(`Write request id : ${id} does not contain Content-Type header or body.`, 'BadRequest');
    }
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    items.push({ id, method, url: r.url, headers, body: r.body ?? undefined, dependsOn });
  }
  for (const it of items) {
    for (const d of it.dependsOn) if (!ids.has(d)) throw badRequest(`Request id ${it.id} depends on unknown id '${d}'.`, 'BadRequest');
  }
  return items;
}

export async function runBatch(call: GraphCall): Promise<BatchOutcome> {
  const items = parseItems(call.body);
  const byId = new Map(items.map((i) => [i.id, i]));
  const status = new Map<string, number>();
  const visiting = new Set<string>();
  const responses: unknown[] = [];
  const log: BatchOutcome['items'] = [];

  const run = async (it: Item): Promise<void> => {
    if (status.has(it.id)) return;
    if (visiting.has(it.id)) throw badRequest(`Circular dependsOn at request id ${it.id}.`, 'BadRequest');
    visiting.add(it.id);
    for (const d of it.dependsOn) await run(byId.get(d)!);
    const started = performance.now();
    let result: GraphResult;
    if (it.dependsOn.some((d) => (status.get(d) ?? 0) >= 400)) {
      result = {
        status: 424,
        body: { error: { code: 'FailedDependency', message: 'The request cannot be processed because a request it depends on failed.', innerError: innerError(randomUUID(), call.headers['client-request-id']) } },
      };
    } else if (/^\/?(?:v1\.0\/)?\$batch/i.test(it.url)) {
      result = { status: 400, body: { error: { code: 'BadRequest', message: 'A $batch request cannot be nested.', innerError: innerError(randomUUID(), undefined) } } };
    } else {
      // GSDK 3.0.7 strips only scheme and host (`/v1.0/applications`): accept the version prefix
      const rel = (it.url.startsWith('/') ? it.url : `/${it.url}`).replace(/^\/v1\.0(?=\/|$)/i, '');
      const u = new URL(rel || '/', 'https://batch.invalid');
      result = await runGraphCall({
        ...call,
        method: it.method,
        path: u.pathname,
        query: u.searchParams,
        headers: { ...it.headers, 'client-request-id': call.headers['client-request-id'] },
        body: it.body,
      });
    }
    status.set(it.id, result.status);
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    if (result.body !== undefined && typeof result.body !== 'string') headers['Content-Type'] = 'application/json';
    const entry: Record<string, unknown> = { id: it.id, status: result.status, headers };
    if (result.body !== undefined) entry.body = result.body;
    responses.push(entry);
    log.push({ method: it.method, path: it.url, status: result.status, write: Boolean(result.write), durationMs: performance.now() - started });
  };
  for (const it of items) await run(it);
  return { result: { status: 200, body: { responses } }, items: log };
}

