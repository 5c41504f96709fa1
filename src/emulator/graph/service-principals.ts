/**
 * `/servicePrincipals` (docs/graph.md, "Service principals"): POST {appId} (400
 * NoBackingApplicationObject when no application backs it — also while the application is still
 * replicating), read by id and `(appId='…')`, list with `$filter`, PATCH (tags, keyCredentials and
 * the few other writable properties), DELETE, and the appRoleAssignedTo / appRoleAssignments collections.
 */
import type { Tenant } from '../directory.js';
import { badRequest, GraphError, notFound, type GraphResult } from '../http.js';
import { newServicePrincipal, syncServicePrincipal } from '../shapes.js';
import type { Application, ServicePrincipal } from '../types.js';
import { handleAssignments } from './assignments.js';
import { replaceKeyCredentials } from './key-credentials.js';
import { addSpPassword, removeSpPassword } from './sp-actions.js';
import { requireAny, ROLES } from './auth.js';
import { checkKey, methodNotAllowed, objectBody, unknownSegment, type GraphCall, type Segment } from './call.js';
import { listResult, entityResult, type ResourceType } from './query.js';
import { GRANT, replicaGrants } from './grants.js';

export const SERVICE_PRINCIPAL: ResourceType = {
  set: 'servicePrincipals',
  resource: 'ServicePrincipal',
  odataType: 'microsoft.graph.servicePrincipal',
  filterable: new Set(['id', 'appId', 'displayName', 'servicePrincipalType', 'accountEnabled', 'appOwnerOrganizationId', 'signInAudience']),
  filterableCollections: new Set(['servicePrincipalNames', 'tags']),
  searchable: new Set(['displayName', 'appId']),
};

const WRITABLE = new Set([
  'tags',
  'accountEnabled',
  'appRoleAssignmentRequired',
  'notes',
  'description',
  'homepage',
  'loginUrl',
  'logoutUrl',
  'notificationEmailAddresses',
  'preferredSingleSignOnMode',
  'alternativeNames',
]);

/** 409 for a second service principal of one appId (ISSUE Azure/reliable-web-app-pattern-java#185). */
export const spNameInUse = (appId: string): GraphError =>
  new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`);

function applySpBody(sp: ServicePrincipal, body: Record<string, unknown>, creating: boolean): void {
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.') || (creating && k === 'appId')) continue;
    if (!(k in sp)) throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.servicePrincipal'.`);
    if (k === 'keyCredentials') {
      // replaced whole, checked as the application's are (https://learn.microsoft.com/graph/api/serviceprincipal-update)
      sp.keyCredentials = replaceKeyCredentials(sp.keyCredentials ?? [], v);
      continue;
    }
    if (!WRITABLE.has(k)) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    const cur = sp[k];
    const ok =
      Array.isArray(cur) ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof cur === 'boolean' ? typeof v === 'boolean' : v === null || typeof v === 'string';
    if (!ok) throw badRequest(`Invalid value specified for property '${k}' of resource 'ServicePrincipal'.`);
    sp[k] = structuredClone(v);
  }
}

/** The application behind an appId: this tenant's, or a multi-tenant one from another tenant. */
function backingApp(call: GraphCall, appId: string): Application | undefined {
  const { engine, tenant } = call;
  const local = tenant.appsByAppId.get(appId);
  if (local) return engine.visible(tenant, local.id) ? local : undefined;
  for (const t of engine.store.tenants.values()) {
    const a = t.appsByAppId.get(appId);
    if (a && a.signInAudience !== 'AzureADMyOrg' && engine.visible(t, a.id)) return a;
  }
  return undefined;
}

function create(call: GraphCall): ServicePrincipal {
  const { tenant } = call;
  const body = objectBody(call);
  const appId = typeof body.appId === 'string' ? body.appId.toLowerCase() : undefined;
  if (!appId) throw badRequest("Property 'appId' is required.");
  if (tenant.spsByAppId.has(appId)) {
    throw spNameInUse(appId);
  }
  const app = backingApp(call, appId);
  if (!app) {
    throw new GraphError(400, 'Request_BadRequest', `The appId '${appId}' of the service principal does not reference a valid application object.`, {
      details: [{ code: 'NoBackingApplicationObject', target: 'appId' }],
    });
  }
  const home = [...call.engine.store.tenants.values()].find((t) => t.apps.get(app.id) === app)!;
  const sp = newServicePrincipal({
    appId,
    displayName: app.displayName,
    appOwnerOrganizationId: home.id,
    signInAudience: app.signInAudience,
    servicePrincipalNames: [appId],
    appRoles: [],
    oauth2PermissionScopes: [],
  });
  syncServicePrincipal(sp, app);
  applySpBody(sp, body, true);
  tenant.indexSp(sp);
  call.engine.noteCreated(tenant, sp.id);
  return sp;
}

export function lookupSp(tenant: Tenant, seg: Segment): ServicePrincipal | undefined {
  const k = seg.key!;
  if (k.prop === 'appId') return tenant.spsByAppId.get(k.value.toLowerCase());
  if (k.prop === 'id') return tenant.sps.get(k.value.toLowerCase());
  return undefined;
}

export function handleServicePrincipals(call: GraphCall, seg: Segment, rest: string[]): GraphResult {
  const { tenant, principal, method, engine } = call;
  if (!seg.key && rest.length === 0) {
    if (method === 'GET') {
      requireAny(principal, ROLES.appRead);
      return listResult(call, visibleSps(call), SERVICE_PRINCIPAL);
    }
    if (method === 'POST') {
      requireAny(principal, ROLES.appWrite);
      const sp = create(call);
      return { ...entityResult({ ...call, query: new URLSearchParams() }, sp, SERVICE_PRINCIPAL, 201), write: true, headers: { Location: `${call.origin}/v1.0/servicePrincipals/${sp.id}` } };
    }
    throw methodNotAllowed();
  }
  if (!seg.key && rest[0] === '$count' && rest.length === 1) {
    if (method !== 'GET') throw methodNotAllowed();
    requireAny(principal, ROLES.appRead);
    return listResult(call, visibleSps(call), SERVICE_PRINCIPAL, { count: true });
  }
  const keyed: Segment = seg.key ? seg : { name: seg.name, key: { prop: 'id', value: rest[0]! } };
  if (keyed.key!.prop === 'uniqueName') throw badRequest("servicePrincipals cannot be addressed by uniqueName.");
  const tail = seg.key ? rest : rest.slice(1);
  checkKey(keyed.key!);
  const stored = lookupSp(tenant, keyed);
  // a service principal created moments ago is not there yet for reads or writes (the `lag` fault)
  const sp = stored && engine.visible(tenant, stored.id) ? stored : undefined;
  const keyText = keyed.key!.value;
  if (tail.length === 0) {
    if (method === 'GET') {
      requireAny(principal, ROLES.appRead);
      if (!sp) throw notFound(keyText);
      return entityResult(call, sp, SERVICE_PRINCIPAL);
    }
    if (method === 'PATCH') {
      requireAny(principal, ROLES.appWrite);
      if (!sp) throw notFound(keyText);
      const draft = structuredClone(sp);
      applySpBody(draft, objectBody(call), false);
      Object.assign(sp, draft);
      tenant.sps.touch(sp.id);
      return { status: 204, write: true };
    }
    if (method === 'DELETE') {
      requireAny(principal, ROLES.appWrite);
      if (!sp) throw notFound(keyText);
      tenant.softDeleteSp(sp, engine.clock.now());
      return { status: 204, write: true };
    }
    throw methodNotAllowed();
  }
  const nav = tail[0]!.toLowerCase();
  if (nav === 'approleassignedto' || nav === 'approleassignments') {
    if (!sp) throw notFound(keyText);
    return handleAssignments(call, sp, nav === 'approleassignedto' ? 'assignedTo' : 'assignments', tail.slice(1));
  }
  if ((nav === 'addpassword' || nav === 'removepassword' || nav === 'microsoft.graph.addpassword' || nav === 'microsoft.graph.removepassword') && tail.length === 1) {
    if (method !== 'POST') throw methodNotAllowed();
    if (!sp) throw notFound(keyText);
    return nav.endsWith('addpassword') ? addSpPassword(call, sp) : removeSpPassword(call, sp);
  }
  if (nav === 'oauth2permissiongrants' && tail.length === 1) {
    if (method !== 'GET') throw methodNotAllowed();
    requireAny(principal, ROLES.grantRead);
    if (!sp) throw notFound(keyText);
    return listResult(call, replicaGrants(call, (g) => g.clientId === sp.id), GRANT);
  }
  throw unknownSegment(tail[0]!);
}

function* visibleSps(call: GraphCall): Iterable<ServicePrincipal> {
  for (const s of call.tenant.sps.values()) if (call.engine.visible(call.tenant, s.id)) yield s;
}
