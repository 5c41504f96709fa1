/**
 * `/applications`: create (201), read by id / appId / uniqueName, list, PATCH (204, collections
 * replaced whole), the uniqueName upsert (201/204/404 by `Prefer: create-if-missing`; a uniqueName
 * still held by a deleted application is refused like any taken one), DELETE (204: to deleted items
 * with its home-tenant service principal, docs/emulator.md "Soft delete") and the key actions.
 */
import type { Tenant } from '../directory.js';
import { badRequest, notFound, type GraphResult } from '../http.js';
import { newApplication, syncServicePrincipal } from '../shapes.js';
import type { Application } from '../types.js';
import { addKey, addPassword, removeKey, removePassword } from './app-actions.js';
import { handleFederated } from './federated.js';
import { applyApplicationBody } from './app-body.js';
import { handleAppPolicies } from './policies.js';
import { handleOwners, ownersOf } from './directory-objects.js';
import { requireAny, ROLES } from './auth.js';
import { checkKey, methodNotAllowed, objectBody, unknownSegment, type GraphCall, type Segment } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';

export const APPLICATION: ResourceType = {
  set: 'applications',
  resource: 'Application',
  odataType: 'microsoft.graph.application',
  filterable: new Set(['id', 'appId', 'displayName', 'uniqueName', 'signInAudience', 'publisherDomain', 'createdDateTime']),
  filterableCollections: new Set(['identifierUris', 'tags']),
  searchable: new Set(['displayName', 'appId', 'uniqueName']),
  expand: { owners: ownersOf },
};

/** The stored application a key addresses (ignoring replication lag: writes go to the primary). */
export function lookup(tenant: Tenant, seg: Segment): Application | undefined {
  const k = seg.key!;
  if (k.prop === 'appId') return tenant.appsByAppId.get(k.value.toLowerCase());
  if (k.prop === 'uniqueName') return tenant.appsByUniqueName.get(k.value.toLowerCase());
  return tenant.apps.get(k.value.toLowerCase());
}

/** Keeps service principals of this app (in every tenant) in step with it. */
function syncSps(call: GraphCall, app: Application): void {
  for (const t of call.engine.store.tenants.values()) {
    const sp = t.spsByAppId.get(app.appId);
    if (sp) {
      syncServicePrincipal(sp, app);
      t.sps.touch(sp.id);
    }
  }
}

function create(call: GraphCall, body: Record<string, unknown>, uniqueName?: string): Application {
  const { tenant } = call;
  const app = newApplication(tenant.domain, '', call.engine.clock.now());
  if (uniqueName !== undefined) {
    if (body.uniqueName !== undefined && body.uniqueName !== uniqueName) throw badRequest('The uniqueName in the body does not match the one in the URL.');
    applyApplicationBody(tenant, app, { ...body, uniqueName }, true);
  } else {
    if (typeof body.displayName !== 'string') throw badRequest("Property 'displayName' is required.");
    applyApplicationBody(tenant, app, body, true);
  }
  tenant.indexApp(app);
  // a user who registers an application owns it (an application identity does not)
  if (call.principal.kind === 'user') tenant.setOwners(app.id, [call.principal.oid]);
  call.engine.noteCreated(tenant, app.id);
  return app;
}

/** PATCH on a draft copy, then swapped in: a refused body changes nothing. */
function update(call: GraphCall, app: Application, body: Record<string, unknown>): void {
  const draft = structuredClone(app);
  applyApplicationBody(call.tenant, draft, body, false);
  if (draft.uniqueName !== app.uniqueName && draft.uniqueName) call.tenant.appsByUniqueName.set(draft.uniqueName.toLowerCase(), app);
  Object.assign(app, draft);
  call.tenant.apps.touch(app.id);
  syncSps(call, app);
}

export function handleApplications(call: GraphCall, seg: Segment, rest: string[]): GraphResult {
  const { tenant, principal, method, engine } = call;
  if (!seg.key && rest.length === 0) {
    if (method === 'GET') {
      requireAny(principal, ROLES.appRead);
      return listResult(call, visibleApps(call), APPLICATION);
    }
    if (method === 'POST') {
      requireAny(principal, ROLES.appWrite, [principal.oid]);
      const app = create(call, objectBody(call));
      return { ...entityResult({ ...call, query: new URLSearchParams() }, app, APPLICATION, 201), write: true, headers: { Location: `${call.origin}/v1.0/applications/${app.id}` } };
    }
    throw methodNotAllowed();
  }
  if (!seg.key && rest[0] === '$count' && rest.length === 1) {
    if (method !== 'GET') throw methodNotAllowed();
    requireAny(principal, ROLES.appRead);
    return listResult(call, visibleApps(call), APPLICATION, { count: true });
  }
  // /applications/{id}/… is the same as /applications('{id}')/…
  let keyed = seg;
  let tail = rest;
  if (!seg.key) keyed = { name: seg.name, key: { prop: 'id', value: rest[0]! } };
  if (!seg.key) tail = rest.slice(1);
  checkKey(keyed.key!);
  const stored = lookup(tenant, keyed);
  const keyText = keyed.key!.value;
  const upsert = keyed.key!.prop === 'uniqueName' && method === 'PATCH' && (call.headers['prefer'] ?? '').toLowerCase().split(/\s*,\s*/).includes('create-if-missing');
  // an application created moments ago is not there yet for reads, writes or actions (the `lag`
  // fault); an upsert by uniqueName meets it on the primary, where the unique key is enforced
  const app = stored && (upsert || engine.visible(tenant, stored.id)) ? stored : undefined;

  if (tail.length === 0) {
    if (method === 'GET') {
      requireAny(principal, ROLES.appRead);
      if (!app) throw notFound(keyText);
      return entityResult(call, app, APPLICATION);
    }
    if (method === 'PATCH') {
      requireAny(principal, ROLES.appWrite, app ? tenant.ownersOf(app.id) : [principal.oid]);
      const body = objectBody(call);
      if (!app) {
        if (upsert) {
          if (typeof body.displayName !== 'string') throw badRequest("Property 'displayName' is required.");
          const created = create(call, body, keyText);
          const r = entityResult({ ...call, query: new URLSearchParams() }, created, APPLICATION, 201);
          return { ...r, write: true, headers: { Location: `${call.origin}/v1.0/applications/${created.id}`, 'Preference-Applied': 'create-if-missing' } };
        }
        throw notFound(keyText);
      }
      update(call, app, body);
      return { status: 204, write: true };
    }
    if (method === 'DELETE') {
      requireAny(principal, ROLES.appWrite, app ? tenant.ownersOf(app.id) : []);
      if (!app) throw notFound(keyText);
      const now = engine.clock.now();
      // its service principal in the home tenant goes too, and is not restored with it
      const sp = tenant.spsByAppId.get(app.appId);
      if (sp) tenant.softDeleteSp(sp, now);
      tenant.softDeleteApp(app, now);
      return { status: 204, write: true };
    }
    throw methodNotAllowed();
  }
  if (tail[0]?.toLowerCase() === 'federatedidentitycredentials') {
    if (!app || !engine.visible(tenant, app.id)) throw notFound(keyText);
    return handleFederated(call, app, tail.slice(1));
  }
  if (tail[0]?.toLowerCase() === 'owners') {
    if (!app) throw notFound(keyText);
    return handleOwners(call, app, tail.slice(1));
  }
  if (tail[0]?.toLowerCase() === 'appmanagementpolicies') {
    if (!app) throw notFound(keyText);
    return handleAppPolicies(call, app, tail.slice(1));
  }
  if (tail.length === 1) {
    const action = tail[0]!.replace(/^microsoft\.graph\./, '');
    const fn = { addKey, removeKey, addPassword, removePassword }[action];
    if (!fn) throw unknownSegment(tail[0]!);
    if (method !== 'POST') throw methodNotAllowed();
    if (!app) throw notFound(keyText);
    return fn(call, app);
  }
  throw unknownSegment(tail[1]!);
}

function* visibleApps(call: GraphCall): Iterable<Application> {
  for (const a of call.tenant.apps.values()) if (call.engine.visible(call.tenant, a.id)) yield a;
}
