/**
 * Graph v1.0 dispatch for one call (top level or a `$batch` item): faults (throttle, unavailable),
 * routing to the resource handlers, commit of the change before the answer, and Graph's error body.
 */
import { randomUUID } from 'node:crypto';
import { errorResult, GraphError, type GraphResult } from '../http.js';
import { handleApplications, lookup } from './applications.js';
import { handleDirectory } from './deleted-items.js';
import { handlePolicies } from './policies.js';
import { handleMe, handleOrganization } from './directory-objects.js';
import { parseSegment, splitPath, unknownSegment, type GraphCall, type Segment } from './call.js';
import { handleGrants } from './grants.js';
import { keyReadLimit } from './limits.js';
import { handleServicePrincipals, lookupSp } from './service-principals.js';

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

/**
 * A write's safety net for the journal (table.ts): the object its path addresses is marked changed,
 * whether or not its handler changed it in place without saying so (e.g. a collection inside an
 * application). Cheap: one lookup by the path's key.
 */
function touchAddressed(call: GraphCall): void {
  const { seg, rest } = parsePath(call.path);
  const key = seg.key ?? (rest[0] !== undefined ? { prop: 'id' as const, value: rest[0] } : undefined);
  if (!key) return;
  const keyed = { name: seg.name, key };
  const { tenant } = call;
  switch (seg.name.toLowerCase()) {
    case 'applications': {
      const app = lookup(tenant, keyed);
      if (app) tenant.apps.touch(app.id);
      break;
    }
    case 'serviceprincipals': {
      const sp = key.prop === 'uniqueName' ? undefined : lookupSp(tenant, keyed);
      if (sp) tenant.sps.touch(sp.id);
      break;
    }
    case 'oauth2permissiongrants':
      tenant.grants.touch(key.value);
      break;
  }
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
    case 'directory':
      if (seg.key) throw unknownSegment(seg.name);
      return handleDirectory(call, rest);
    case 'policies':
      if (seg.key) throw unknownSegment(seg.name);
      return handlePolicies(call, rest);
    case 'me':
      return handleMe(call, rest);
    case 'organization':
      return handleOrganization(call, seg.key ? [seg.key.value, ...rest] : rest);
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
    const fault = drawFault(call) ?? keyReadLimit(call);
    if (fault) throw fault;
    // route() is synchronous: every change it makes to stored objects follows this bump at once
    if (call.method !== 'GET') call.engine.epoch++;
    // deleted items past their 30 days are purged first (a change to commit even on a read)
    const expired = call.tenant.expireDeleted(call.engine.clock.now());
    if (expired) call.engine.epoch++;
    const result = route(call);
    const engine = call.engine;
    if (result.write) {
      touchAddressed(call);
      engine.writes++;
      if (engine.writes === engine.faults.dropAfterWrite) engine.dropRoots.add(call.rootId);
    }
    if (result.write || expired) await engine.store.commit();
    return result;
  } catch (err) {
    if (err instanceof GraphError) return errorResult(err, requestId, clientRequestId);
    throw err;
  }
}
