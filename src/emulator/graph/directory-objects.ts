/**
 * The directory objects other clients (the Azure CLI) ask for besides applications: `/me` (the
 * signed-in user; an application identity gets Entra's 400), `/organization` (the tenant), and an
 * application's owners — `GET /applications/{id}/owners`, `POST …/owners/$ref`
 * `{"@odata.id": "…/directoryObjects/{id}"}` (204), `DELETE …/owners/{id}/$ref` (204) and
 * `$expand=owners` (https://learn.microsoft.com/graph/api/application-post-owners).
 */
import type { Tenant } from '../directory.js';
import { badRequest, GraphError, notFound, type GraphResult } from '../http.js';
import type { Application, DirectoryUser } from '../types.js';
import { requireAny, ROLES } from './auth.js';
import { methodNotAllowed, objectBody, unknownSegment, type GraphCall } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';

const USER: ResourceType = {
  set: 'users',
  resource: 'User',
  odataType: 'microsoft.graph.user',
  filterable: new Set(['id', 'userPrincipalName', 'displayName']),
  filterableCollections: new Set(),
  searchable: new Set(['displayName']),
};

const ORGANIZATION: ResourceType = { ...USER, set: 'organization', resource: 'Organization', odataType: 'microsoft.graph.organization', filterable: new Set(['id']) };
const DIRECTORY_OBJECT: ResourceType = { ...USER, set: 'directoryObjects', resource: 'DirectoryObject', odataType: 'microsoft.graph.directoryObject', filterable: new Set(['id']) };

function userObject(u: DirectoryUser): Record<string, unknown> {
  const [given, ...rest] = u.displayName.split(' ');
  return {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: given ?? null,
    jobTitle: null,
    mail: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: rest.join(' ') || null,
    userPrincipalName: u.userPrincipalName,
  };
}

/** A directory object by id, as a member of a directoryObject collection (with its `@odata.type`). */
function directoryObject(tenant: Tenant, id: string): Record<string, unknown> | undefined {
  const u = tenant.user(id);
  if (u) return { '@odata.type': '#microsoft.graph.user', ...userObject(u.user) };
  const sp = tenant.sps.get(id);
  if (sp) return { '@odata.type': '#microsoft.graph.servicePrincipal', ...sp };
  return undefined;
}

/** `$expand=owners` of an application. */
export function ownersOf(app: Record<string, unknown>, call: GraphCall): Record<string, unknown>[] {
  return call.tenant
    .ownersOf(String(app.id))
    .map((id) => directoryObject(call.tenant, id))
    .filter((o) => o !== undefined);
}

export function handleMe(call: GraphCall, rest: string[]): GraphResult {
  if (rest.length) throw unknownSegment(rest[0]!);
  if (call.method !== 'GET') throw methodNotAllowed();
  const p = call.principal;
  if (p.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
  const u = call.tenant.user(p.oid);
  if (!u) throw notFound(p.oid);
  return entityResult(call, userObject(u.user), USER);
}

export function handleOrganization(call: GraphCall, rest: string[]): GraphResult {
  if (call.method !== 'GET') throw methodNotAllowed();
  const t = call.tenant;
  const org = {
    id: t.id,
    displayName: t.domain.split('.')[0] ?? t.domain,
    tenantType: 'AAD',
    countryLetterCode: 'US',
    verifiedDomains: [{ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: true, name: t.domain, type: 'Managed' }],
  };
  if (rest.length === 0) return listResult(call, [org], ORGANIZATION);
  if (rest.length === 1 && rest[0]!.toLowerCase() === t.id) return entityResult(call, org, ORGANIZATION);
  throw notFound(rest[0]!);
}

/** `/applications/{id}/owners[/$ref | /{ownerId}/$ref]`. */
export function handleOwners(call: GraphCall, app: Application, rest: string[]): GraphResult {
  const { tenant, principal, method } = call;
  const owners = tenant.ownersOf(app.id);
  if (rest.length === 0) {
    if (method !== 'GET') throw methodNotAllowed();
    requireAny(principal, ROLES.appRead);
    return listResult(call, ownersOf(app, call), { ...DIRECTORY_OBJECT, set: 'directoryObjects' });
  }
  if (rest.length === 1 && rest[0] === '$ref' && method === 'POST') {
    requireAny(principal, ROLES.appWrite, owners);
    const ref = objectBody(call)['@odata.id'];
    const id = typeof ref === 'string' ? /\/directoryObjects\/([0-9a-f-]{36})$/i.exec(ref)?.[1]?.toLowerCase() : undefined;
    if (!id) throw badRequest("Invalid value specified for property '@odata.id'.");
    if (!directoryObject(tenant, id)) throw notFound(id);
    if (owners.includes(id)) throw new GraphError(400, 'Request_BadRequest', 'One or more added object references already exist for the following modified properties: \'owners\'.');
    tenant.setOwners(app.id, [...owners, id]);
    return { status: 204, write: true };
  }
  if (rest.length === 2 && rest[1] === '$ref' && method === 'DELETE') {
    requireAny(principal, ROLES.appWrite, owners);
    const id = rest[0]!.toLowerCase();
    if (!owners.includes(id)) throw notFound(id);
    tenant.setOwners(app.id, owners.filter((o) => o !== id));
    return { status: 204, write: true };
  }
  throw methodNotAllowed();
}
