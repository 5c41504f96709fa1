/**
 * The HTTPS request handler: login routes (`/{tenant}/…`), Graph (`/v1.0/…`), latency,
 * drop-after-write and the request log. Loopback only; the listening happens in index.ts.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from './engine.js';
import { BodyTooLarge, errorResult, GRAPH_JSON, GraphError, readBody, type GraphResult } from './http.js';
import { authenticate } from './graph/auth.js';
import { runBatch } from './graph/batch.js';
import { runGraphCall } from './graph/router.js';
import { tenantNotFound, aadError } from './identity/errors.js';
import { adminConsent, isAdminConsentPath } from './identity/admin-consent.js';
import { instanceDiscovery, jwks, openidConfiguration } from './identity/metadata.js';
import { approveDeviceLogin, basicClientAuth, deviceCodeEndpoint, tokenEndpoint } from './identity/token.js';
import { parseTarget, type Target } from './target.js';
import { arm, isArmPath } from './arm.js';
import type { RequestLogEntry } from './types.js';

interface Outcome {
  result: GraphResult;
  tenant?: string;
  write?: boolean;
  batchItems?: number;
  /** Graph responses use Graph's JSON content type and request-id headers */
  graph?: boolean;
}

const MULTI = new Set(['common', 'organizations', 'consumers']);

async function login(engine: Engine, req: IncomingMessage, url: Target, origin: string): Promise<Outcome> {
  const segs = url.pathname.split('/').filter(Boolean);
  const tenantSeg = segs[0] ?? '';
  const rest = segs.slice(1).join('/');
  const corr = (req.headers['client-request-id'] as string | undefined) ?? url.searchParams.get('client-request-id') ?? undefined;
  if (tenantSeg === 'common' && rest === 'discovery/instance' && req.method === 'GET') return { result: instanceDiscovery(origin, url.searchParams) };
  if (isAdminConsentPath(rest)) return adminConsent(engine, req, tenantSeg, rest, url, origin);
  const tenant = engine.store.find(tenantSeg);
  if (!tenant && !MULTI.has(tenantSeg.toLowerCase())) {
    if (['v2.0/.well-known/openid-configuration', '.well-known/openid-configuration', 'oauth2/v2.0/token', 'oauth2/v2.0/devicecode', 'discovery/v2.0/keys'].includes(rest)) {
      return { result: tenantNotFound(tenantSeg, corr) };
    }
    return { result: { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' } };
  }
  if (req.method === 'GET' && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')) {
    return { result: openidConfiguration(origin, tenant ? tenant.id : tenantSeg, tenant?.id), tenant: tenant?.id };
  }
  if (req.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) return { result: jwks(engine), tenant: tenant?.id };
  if (rest === 'oauth2/v2.0/token' || rest === 'oauth2/v2.0/devicecode' || rest === 'oauth2/token' || rest === 'oauth2/devicecode') {
    if (req.method !== 'POST') return { result: aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.', corr) };
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const basic = basicClientAuth(form, req.headers.authorization, corr);
    if (basic) return { result: basic };
    // `common`/`organizations` act on the client's home tenant (or the first tenant).
    const t = tenant ?? [...engine.store.tenants.values()].find((x) => x.appsByAppId.has(form.get('client_id') ?? '')) ?? [...engine.store.tenants.values()][0]!;
    const tokenReq = { engine, tenant: t, origin, form, ...(corr ? { correlationId: corr } : {}) };
    const result = rest.endsWith('token') ? await tokenEndpoint(tokenReq) : deviceCodeEndpoint(tokenReq);
    return { result, tenant: t.id };
  }
  return { result: { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' } };
}

/**
 * Request headers as one string each. Node already joins repeated request headers into one value,
 * except `set-cookie` (an array), so the parsed object serves as is unless that one is present.
 */
function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const h = req.headers;
  if (h['set-cookie'] === undefined) return h as Record<string, string | undefined>;
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * A request without Content-Length and Transfer-Encoding has no body (RFC 9112 §6.3), nor has one
 * with Content-Length: 0; such a request is answered without reading its (empty) stream: Node
 * discards what is left of it when the response finishes.
 */
function hasBody(req: IncomingMessage): boolean {
  const h = req.headers;
  return h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
}

async function graph(engine: Engine, req: IncomingMessage, url: Target, origin: string, requestId: string): Promise<Outcome> {
  const headers = flatHeaders(req);
  const clientRequestId = headers['client-request-id'];
  let tenantId: string | undefined;
  try {
    const principal = authenticate(engine, headers.authorization);
    tenantId = principal.tenant.id;
    const raw = hasBody(req) ? await readBody(req) : undefined;
    let body: unknown;
    if (raw && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
      }
    }
    const path = url.pathname.slice('/v1.0'.length) || '/';
    const call = { engine, method: req.method ?? 'GET', path, query: url.searchParams, headers, body, origin, principal, tenant: principal.tenant, rootId: requestId };
    if (/^\/\$batch\/?$/i.test(path)) {
      if (call.method !== 'POST') throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      const outcome = await runBatch(call);
      for (const it of outcome.items) {
        engine.log({ method: it.method, path: it.path, status: it.status, durationMs: it.durationMs, tenant: tenantId, write: it.write, inBatch: true });
      }
      return { result: outcome.result, tenant: tenantId, write: outcome.items.some((i) => i.write), batchItems: outcome.items.length, graph: true };
    }
    const result = await runGraphCall(call, requestId);
    return { result, tenant: tenantId, write: Boolean(result.write), graph: true };
  } catch (err) {
    if (err instanceof GraphError) return { result: errorResult(err, requestId, clientRequestId), ...(tenantId ? { tenant: tenantId } : {}), graph: true };
    throw err;
  }
}

export function createHandler(engine: Engine): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const requestId: string = randomUUID();
    void (async () => {
      let outcome: Outcome;
      try {
        if (engine.faults.latency > 0) await new Promise((r) => setTimeout(r, engine.faults.latency));
        const url = parseTarget(req.url ?? '/');
        const origin = engine.originOf(req.headers.host);
        if (url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/')) {
          outcome = await graph(engine, req, url, origin, requestId);
        } else if (isArmPath(url.pathname)) {
          outcome = { ...arm(engine, req, url), graph: true };
        } else if (url.pathname.startsWith('/beta/')) {
          outcome = { result: errorResult(new GraphError(400, 'BadRequest', 'The entra-portal emulator serves Graph v1.0 only.'), requestId, undefined), graph: true };
        } else if (url.pathname === '/devicelogin') {
          outcome = { result: approveDeviceLogin({ engine }, url.searchParams) };
        } else {
          outcome = await login(engine, req, url, origin);
        }
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          outcome = { result: errorResult(new GraphError(413, 'Request_EntityTooLarge', 'The request body is too large.'), requestId, undefined), graph: true };
        } else {
          outcome = { result: errorResult(new GraphError(500, 'InternalServerError', `Emulator error: ${(err as Error).message}`), requestId, undefined), graph: true };
        }
      }
      const entry: Omit<RequestLogEntry, 'seq'> = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        status: outcome.result.status,
        durationMs: performance.now() - started,
        write: Boolean(outcome.write),
      };
      if (outcome.tenant) entry.tenant = outcome.tenant;
      if (outcome.batchItems !== undefined) entry.batchItems = outcome.batchItems;
      if (engine.dropRoots.delete(requestId)) {
        // the write is committed (and on disk); the client never hears about it
        entry.status = 0;
        engine.log(entry);
        req.socket.destroy();
        return;
      }
      engine.log(entry);
      send(res, outcome, requestId, req.headers['client-request-id'] as string | undefined);
    })();
  };
}

function send(res: ServerResponse, outcome: Outcome, requestId: string, clientRequestId: string | undefined): void {
  const { result } = outcome;
  const headers: Record<string, string> = {};
  if (outcome.graph) {
    headers['request-id'] = requestId;
    headers['client-request-id'] = clientRequestId ?? requestId;
    headers['x-ms-ags-diagnostic'] = '{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"entra-portal-emulator"}}';
    headers['OData-Version'] = '4.0';
    headers['Cache-Control'] = 'no-cache';
  }
  Object.assign(headers, result.headers ?? {});
  let payload: string | undefined;
  let bytes = 0;
  if (result.body !== undefined && result.status !== 204) {
    if (typeof result.body === 'string') {
      payload = result.body;
      headers['Content-Type'] ??= 'text/plain';
    } else {
      payload = result.serialized?.text ?? JSON.stringify(result.body);
      headers['Content-Type'] ??= outcome.graph ? GRAPH_JSON : 'application/json; charset=utf-8';
    }
    bytes = result.serialized?.bytes ?? Buffer.byteLength(payload);
  }
  if (payload !== undefined) headers['Content-Length'] = String(bytes);
  res.writeHead(result.status, headers);
  res.end(payload);
}
