/**
 * `/oauth2PermissionGrants`: POST (201, opaque id; 409 Request_MultipleObjectsWithSameKeyValue
 * "Permission entry already exists." for a second grant of the same client, resource, consent type
 * and principal), list with `$filter=clientId eq …`, GET, PATCH `scope` (replaces the whole string,
 * 204), DELETE (204).
 * Reads lag: Graph documents replication delays for grants "recently created, updated, or deleted"
 * (https://learn.microsoft.com/graph/api/oauth2permissiongrant-list): with `lag` a new grant is
 * missing from reads; with `grant-lag` a changed one reads as before and a deleted one is still listed.
 */
import { Tenant } from '../directory.js';
import { badRequest, GraphError, notFound, type GraphResult } from '../http.js';
import type { PermissionGrant } from '../types.js';
import { requireAny, ROLES } from './auth.js';
import { isGuid, methodNotAllowed, objectBody, unknownSegment, type GraphCall, type Segment } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';

export const GRANT: ResourceType = {
  set: 'oauth2PermissionGrants',
  resource: 'OAuth2PermissionGrant',
  odataType: 'microsoft.graph.oAuth2PermissionGrant',
  filterable: new Set(['id', 'clientId', 'resourceId', 'consentType', 'principalId']),
  filterableCollections: new Set(),
  searchable: new Set(),
};

function checkScope(v: unknown): string {
  if (typeof v !== 'string') throw badRequest("Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.");
  if (v.length > 3850) throw badRequest("The value of property 'scope' is longer than 3850 characters.");
  return v;
}

function create(call: GraphCall): PermissionGrant {
  const { tenant, engine } = call;
  const body = objectBody(call);
  for (const k of Object.keys(body)) {
    if (!['clientId', 'consentType', 'resourceId', 'scope', 'principalId'].includes(k) && !k.startsWith('@odata.')) {
      throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.oAuth2PermissionGrant'.`);
    }
  }
  if (!isGuid(body.clientId)) throw badRequest("Property 'clientId' is required and must be a GUID.");
  if (!isGuid(body.resourceId)) throw badRequest("Property 'resourceId' is required and must be a GUID.");
  const consentType = body.consentType;
  if (consentType !== 'AllPrincipals' && consentType !== 'Principal') {
    throw badRequest("Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.");
  }
  const principalId = body.principalId === undefined || body.principalId === null ? null : body.principalId;
  if (consentType === 'AllPrincipals' && principalId !== null) throw badRequest("'principalId' must be null when consentType is AllPrincipals.");
  if (consentType === 'Principal' && !isGuid(principalId)) throw badRequest("'principalId' is required when consentType is Principal.");
  if (principalId !== null && !tenant.user((principalId as string).toLowerCase())) throw notFound(principalId as string);
  const clientId = (body.clientId as string).toLowerCase();
  const resourceId = (body.resourceId as string).toLowerCase();
  for (const id of [clientId, resourceId]) {
    if (!tenant.sps.has(id) || !engine.visible(tenant, id)) throw notFound(id);
  }
  const pid = principalId === null ? null : (principalId as string).toLowerCase();
  for (const g of tenant.grants.values()) {
    if (tenant.liveGrant(g) && g.clientId === clientId && g.resourceId === resourceId && g.consentType === consentType && g.principalId === pid) {
      throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Permission entry already exists.');
    }
  }
  const grant: PermissionGrant = { clientId, consentType, id: Tenant.opaqueId(), principalId: pid, resourceId, scope: checkScope(body.scope ?? '') };
  tenant.grants.set(grant.id, grant);
  engine.noteCreated(tenant, grant.id);
  return grant;
}

/** The grants the replicas serve now (`keep` filters them), with the lag's former versions. */
export function replicaGrants(call: GraphCall, keep: (g: PermissionGrant) => boolean = () => true): PermissionGrant[] {
  const { tenant, engine } = call;
  const out: PermissionGrant[] = [];
  for (const g of tenant.grants.values()) {
    const view = engine.replicaView(tenant, g.id, g);
    if (view && tenant.liveGrant(view) && keep(view)) out.push(view);
  }
  // deleted moments ago: still served
  for (const [id, p] of tenant.lagging) {
    if (tenant.grants.has(id) || !p.before || p.before.clientId === undefined) continue;
    const view = engine.replicaView(tenant, id, undefined as PermissionGrant | undefined);
    if (view && tenant.liveGrant(view) && keep(view)) out.push(view);
  }
  return out;
}

export function handleGrants(call: GraphCall, seg: Segment, rest: string[]): GraphResult {
  const { tenant, principal, method, engine } = call;
  if (seg.key && seg.key.prop !== 'id') throw badRequest('oauth2PermissionGrants are addressed by id only.');
  if (!seg.key && rest.length === 0) {
    if (method === 'GET') {
      requireAny(principal, ROLES.grantRead);
      return listResult(call, replicaGrants(call), GRANT);
    }
    if (method === 'POST') {
      requireAny(principal, ROLES.grantWrite);
      const g = create(call);
      return { ...entityResult({ ...call, query: new URLSearchParams() }, g, GRANT, 201), write: true };
    }
    throw methodNotAllowed();
  }
  const id = seg.key ? seg.key.value : rest[0]!;
  const tail = seg.key ? rest : rest.slice(1);
  if (tail.length > 0) throw unknownSegment(tail[0]!);
  const found = tenant.grants.get(id);
  // a grant of a deleted service principal is kept with it (restored with it), but not visible
  const grant = found && tenant.liveGrant(found) ? found : undefined;
  if (method === 'GET') {
    requireAny(principal, ROLES.grantRead);
    const view = replicaGrants(call, (g) => g.id === id)[0];
    if (!view) throw notFound(id);
    return entityResult(call, view, GRANT);
  }
  if (method === 'PATCH') {
    requireAny(principal, ROLES.grantWrite);
    if (!grant || !engine.visible(tenant, grant.id)) throw notFound(id);
    const body = objectBody(call);
    for (const k of Object.keys(body)) {
      if (k !== 'scope' && !k.startsWith('@odata.')) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    }
    if ('scope' in body) {
      const scope = checkScope(body.scope);
      engine.noteChanged(tenant, grant.id, grant);
      grant.scope = scope;
    }
    tenant.grants.touch(grant.id);
    return { status: 204, write: true };
  }
  if (method === 'DELETE') {
    requireAny(principal, ROLES.grantWrite);
    if (!grant || !engine.visible(tenant, grant.id)) throw notFound(id);
    engine.noteChanged(tenant, grant.id, grant);
    tenant.grants.delete(grant.id);
    return { status: 204, write: true };
  }
  throw methodNotAllowed();
}
