/**
 * App role assignments (docs/graph.md, "Admin consent"):
 * `/servicePrincipals/{resourceId}/appRoleAssignedTo` and `/servicePrincipals/{principalId}/appRoleAssignments`
 * — POST (201, opaque string id), GET, DELETE (204). Writes need AppRoleAssignment.ReadWrite.All
 * *and* an application read permission (403 otherwise; observed in
 * https://github.com/microsoftgraph/microsoft-graph-docs/issues/12833).
 */
import { Tenant } from '../directory.js';
import { badRequest, notFound, type GraphResult } from '../http.js';
import type { ServicePrincipal } from '../types.js';
import { requireAny, ROLES } from './auth.js';
import { isGuid, methodNotAllowed, objectBody, unknownSegment, type GraphCall } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';

export const ASSIGNMENT: ResourceType = {
  set: 'appRoleAssignments',
  resource: 'AppRoleAssignment',
  odataType: 'microsoft.graph.appRoleAssignment',
  filterable: new Set(['id', 'appRoleId', 'principalId', 'resourceId', 'principalType']),
  filterableCollections: new Set(),
  searchable: new Set(),
};

const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000';

export function handleAssignments(call: GraphCall, sp: ServicePrincipal, side: 'assignedTo' | 'assignments', rest: string[]): GraphResult {
  const { tenant, principal, method, engine } = call;
  const mine = () =>
    [...tenant.assignments.values()].filter((a) => (side === 'assignedTo' ? a.resourceId === sp.id : a.principalId === sp.id) && tenant.liveAssignment(a) && engine.visible(tenant, a.id));
  const context = `servicePrincipals('${sp.id}')/${side === 'assignedTo' ? 'appRoleAssignedTo' : 'appRoleAssignments'}`;
  if (rest.length === 0) {
    if (method === 'GET') {
      requireAny(principal, [...ROLES.appRead, ...ROLES.assignmentWrite]);
      return listResult(call, mine(), ASSIGNMENT, { contextSet: context });
    }
    if (method !== 'POST') throw methodNotAllowed();
    requireAny(principal, ROLES.assignmentWrite);
    requireAny(principal, ROLES.appRead);
    const body = objectBody(call);
    for (const f of ['principalId', 'resourceId', 'appRoleId'] as const) {
      if (!isGuid(body[f])) throw badRequest(`Property '${f}' is required and must be a GUID.`);
    }
    const principalId = (body.principalId as string).toLowerCase();
    const resourceId = (body.resourceId as string).toLowerCase();
    const appRoleId = (body.appRoleId as string).toLowerCase();
    if (side === 'assignedTo' && resourceId !== sp.id) throw badRequest('The resourceId in the body must be the service principal in the URL.');
    if (side === 'assignments' && principalId !== sp.id) throw badRequest('The principalId in the body must be the service principal in the URL.');
    const resource = tenant.sps.get(resourceId);
    if (!resource || !engine.visible(tenant, resource.id)) throw notFound(resourceId);
    const who = tenant.sps.get(principalId);
    const isAdmin = principalId === tenant.admin.id;
    if ((!who || !engine.visible(tenant, who.id)) && !isAdmin) throw notFound(principalId);
    const role = resource.appRoles.find((r) => r.id === appRoleId);
    const memberType = who ? 'Application' : 'User';
    const allowed = appRoleId === DEFAULT_ACCESS ? !who : Boolean(role?.isEnabled && role.allowedMemberTypes.includes(memberType));
    if (!allowed) throw badRequest(`Permission being assigned was not found on application '${resource.appId}'.`);
    if ([...tenant.assignments.values()].some((a) => tenant.liveAssignment(a) && a.principalId === principalId && a.resourceId === resourceId && a.appRoleId === appRoleId)) {
      throw badRequest('Permission being assigned already exists on the object.');
    }
    const a = who
      ? tenant.assign(who, resource, appRoleId)
      : {
          id: Tenant.opaqueId(),
          deletedDateTime: null,
          appRoleId,
          createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          principalDisplayName: tenant.admin.displayName,
          principalId,
          principalType: 'User',
          resourceDisplayName: resource.displayName,
          resourceId,
        };
    if (!who) tenant.assignments.set(a.id, a);
    engine.noteCreated(tenant, a.id);
    const r = entityResult({ ...call, query: new URLSearchParams() }, a, { ...ASSIGNMENT, set: context }, 201);
    return { ...r, write: true };
  }
  if (rest.length === 1) {
    const a = tenant.assignments.get(rest[0]!);
    const belongs = a && tenant.liveAssignment(a) && engine.visible(tenant, a.id) && (side === 'assignedTo' ? a.resourceId === sp.id : a.principalId === sp.id);
    if (method === 'GET') {
      requireAny(principal, [...ROLES.appRead, ...ROLES.assignmentWrite]);
      if (!a || !belongs) throw notFound(rest[0]!);
      return entityResult(call, a, { ...ASSIGNMENT, set: context });
    }
    if (method === 'DELETE') {
      requireAny(principal, ROLES.assignmentWrite);
      if (!a || !belongs) throw notFound(rest[0]!);
      tenant.assignments.delete(a.id);
      return { status: 204, write: true };
    }
    throw methodNotAllowed();
  }
  throw unknownSegment(rest[1]!);
}
