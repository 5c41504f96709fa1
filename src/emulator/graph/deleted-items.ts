/**
 * Deleted items (docs/emulator.md "Soft delete"): a deleted application or service principal stays
 * restorable for 30 days (https://learn.microsoft.com/graph/api/application-delete).
 *   GET    /directory/deletedItems/microsoft.graph.application        (and .servicePrincipal; the cast is required)
 *   GET    /directory/deletedItems/{id}
 *   POST   /directory/deletedItems/{id}/restore                       → 200 with the restored object
 *   DELETE /directory/deletedItems/{id}                               → 204, permanently (purge)
 * Restoring an application does not restore its service principal, which is restored on its own and
 * only while an application backs it
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-restore).
 */
import type { Tenant } from '../directory.js';
import { badRequest, GraphError, notFound, type GraphResult } from '../http.js';
import { syncServicePrincipal } from '../shapes.js';
import type { Application, ServicePrincipal } from '../types.js';
import { APPLICATION } from './applications.js';
import { requireAny, ROLES } from './auth.js';
import { checkKey, methodNotAllowed, unknownSegment, type GraphCall } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';
import { SERVICE_PRINCIPAL, spNameInUse } from './service-principals.js';

const CASTS: Record<string, ResourceType> = {
  'microsoft.graph.application': APPLICATION,
  'microsoft.graph.serviceprincipal': SERVICE_PRINCIPAL,
};

const withDeleted = (type: ResourceType): ResourceType => ({ ...type, filterable: new Set([...type.filterable, 'deletedDateTime']) });

/** `/directory/…`: only deletedItems is served. */
export function handleDirectory(call: GraphCall, rest: string[]): GraphResult {
  if ((rest[0] ?? '').toLowerCase() !== 'deleteditems') throw unknownSegment(rest[0] ?? 'directory');
  const { tenant, principal, method } = call;
  const [second, third, ...more] = rest.slice(1);
  if (second === undefined) {
    // the OData cast is a required part of the URI
    throw badRequest('The OData cast (e.g. microsoft.graph.application) is required to list deleted items.');
  }
  const cast = CASTS[second.toLowerCase()];
  if (cast) {
    if (method !== 'GET') throw methodNotAllowed();
    requireAny(principal, ROLES.appRead);
    const items: Iterable<Record<string, unknown>> = cast === APPLICATION ? tenant.deletedApps.values() : tenant.deletedSps.values();
    const contextSet = `directory/deletedItems/${cast.odataType}`;
    if (third === '$count' && more.length === 0) return listResult(call, items, withDeleted(cast), { count: true, contextSet });
    if (third !== undefined) throw unknownSegment(third);
    return listResult(call, items, withDeleted(cast), { contextSet });
  }
  checkKey({ prop: 'id', value: second });
  const id = second.toLowerCase();
  const app = tenant.deletedApps.get(id);
  const sp = app ? undefined : tenant.deletedSps.get(id);
  if (third === undefined) {
    if (method === 'GET') {
      requireAny(principal, ROLES.appRead);
      if (app) return typed(entityResult(call, app, withDeleted({ ...APPLICATION, set: 'directory/deletedItems' })), APPLICATION);
      if (sp) return typed(entityResult(call, sp, withDeleted({ ...SERVICE_PRINCIPAL, set: 'directory/deletedItems' })), SERVICE_PRINCIPAL);
      throw notFound(second);
    }
    if (method === 'DELETE') {
      requireAny(principal, ROLES.appWrite);
      if (app) tenant.purgeApp(app);
      else if (sp) tenant.purgeSp(sp);
      else throw notFound(second);
      return { status: 204, write: true };
    }
    throw methodNotAllowed();
  }
  const action = third.replace(/^microsoft\.graph\./i, '');
  if (action.toLowerCase() !== 'restore' || more.length > 0) throw unknownSegment(third);
  if (method !== 'POST') throw methodNotAllowed();
  requireAny(principal, ROLES.appWrite);
  if (app) {
    tenant.restoreApp(app);
    return { ...typed(entityResult({ ...call, query: new URLSearchParams() }, app, { ...APPLICATION, set: 'directoryObjects' }), APPLICATION), write: true };
  }
  if (sp) {
    restoreSp(call, tenant, sp);
    return { ...typed(entityResult({ ...call, query: new URLSearchParams() }, sp, { ...SERVICE_PRINCIPAL, set: 'directoryObjects' }), SERVICE_PRINCIPAL), write: true };
  }
  throw notFound(second);
}

function restoreSp(call: GraphCall, tenant: Tenant, sp: ServicePrincipal): void {
  if (tenant.spsByAppId.has(sp.appId)) throw spNameInUse(sp.appId);
  const app = backing(call, sp.appId);
  if (!app) {
    // Learn: a service principal cannot be restored without an active corresponding application
    throw new GraphError(400, 'Request_BadRequest', `The service principal cannot be restored because its application '${sp.appId}' does not exist or is deleted.`, {
      details: [{ code: 'NoBackingApplicationObject', target: 'appId' }],
    });
  }
  tenant.restoreSp(sp);
  syncServicePrincipal(sp, app);
}

function backing(call: GraphCall, appId: string): Application | undefined {
  for (const t of call.engine.store.tenants.values()) {
    const a = t.appsByAppId.get(appId);
    if (a && (t === call.tenant || a.signInAudience !== 'AzureADMyOrg')) return a;
  }
  return undefined;
}

/** A deleted item read without a cast names its type (`@odata.type`), as Graph does for directoryObjects. */
function typed(r: GraphResult, type: ResourceType): GraphResult {
  const body = { ...(r.body as Record<string, unknown>) };
  const { ['@odata.context']: ctx, ...rest } = body;
  return { status: r.status, body: { '@odata.context': ctx, '@odata.type': `#${type.odataType}`, ...rest } };
}
