/**
 * Graph v1.0 dispatch for one call (top level or a `$batch` item): faults (throttle, unavailable),
 * routing to the resource handlers, commit of the change before the answer, and Graph's error body.
 */
import { randomUUID } from 'node:crypto';
import { errorResult, GraphError, type GraphResult } from '../http.js';
import { handleApplications } from './applications.js';
import { parseSegment, splitPath, unknownSegment, type GraphCall, type Segment } from './call.js';
import { handleGrants } from './grants.js';
import { handleServicePrincipals } from './service-principals.js';

/**
 * Paths recently routed → their first segment parsed and the segments after it (clients repeat the
 * same few paths). Only paths that parsed are kept; handlers read `seg` and `rest`, never write them.
 */
const parsedPaths = new Map<string, { seg: Segment; rest: string[] }>();
const PARSED_MAX = 256;

function parsePath(path: string): { seg: Segment; rest: string[] } {
  let parsed = parsedPaths.get(path);
  if (!parsed) {
    const segs = splitPath(path);
    if (segs.length === 0) throw unknownSegment('');
    parsed = { seg: parseSegment(segs[0]!), rest: segs.slice(1) };
    if (parsedPaths.size >= PARSED_MAX) parsedPaths.clear();
    parsedPaths.set(path, parsed);
  }
  return parsed;
}

function route(call: GraphCall): GraphResult {
  const { seg, rest } = parsePath(call.path);
  switch (seg.name.toLowerCase()) {
    case 'applications':
      return handleApplications(call, seg, rest);
    case 'serviceprincipals':
      return handleServicePrincipals(call, seg, rest);
    case 'oauth2permissiongrants':
      return handleGrants(call, seg, rest);
    default:
      throw unknownSegment(seg.name);
  }
}

/** Draws the throttle/unavailable faults for one Graph request (or batch item). */
export function drawFault(call: GraphCall): GraphError | undefined {
  const f = call.engine.faults;
  if (f.throttle > 0 && call.engine.random() < f.throttle) {
    return new GraphError(429, 'TooManyRequests', 'Too many requests. The emulator is throttling (fault injection).', {
      headers: { 'Retry-After': String(f.retryAfter), 'x-ms-throttle-scope': 'Tenant_Application/ReadWrite/Emulator', 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' },
    });
  }
  if (f.unavailable > 0 && call.engine.random() < f.unavailable) {
    return new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable (fault injection).', {
      headers: { 'Retry-After': String(f.retryAfter) },
    });
  }
  return undefined;
}

/**
 * Runs one call to completion. A committed change is on disk before this resolves, so the
 * `drop-after-write` fault (and a crash) can only lose the answer, never the write.
 */
export async function runGraphCall(call: GraphCall, requestId: string = randomUUID()): Promise<GraphResult> {
  const clientRequestId = call.headers['client-request-id'];
  try {
    const fault = drawFault(call);
    if (fault) throw fault;
    // route() is synchronous: every change it makes to stored objects follows this bump at once
    if (call.method !== 'GET') call.engine.epoch++;
    const result = route(call);
    if (result.write) {
      const engine = call.engine;
      engine.writes++;
      if (engine.writes === engine.faults.dropAfterWrite) engine.dropRoots.add(call.rootId);
      await engine.store.commit();
    }
    return result;
  } catch (err) {
    if (err instanceof GraphError) return errorResult(err, requestId, clientRequestId);
    throw err;
  }
}
