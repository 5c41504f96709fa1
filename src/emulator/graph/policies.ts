/**
 * `/policies/defaultAppManagementPolicy` (GET; PATCH → 204) and `/policies/appManagementPolicies`
 * (list, POST → 201, GET/PATCH/DELETE by id, `appliesTo`), and an application's
 * `/applications/{id}/appManagementPolicies` (GET, `$ref` POST/DELETE). Reading needs Policy.Read.All
 * (or the write permission), writing Policy.ReadWrite.ApplicationConfiguration
 * (https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-update). Enforcement: app-policy.ts.
 */
import { randomUUID } from 'node:crypto';
import { checkRestrictions } from '../app-policy.js';
import type { AppManagementPolicy } from '../types.js';
import { badRequest, notFound, type GraphResult } from '../http.js';
import type { Application } from '../types.js';
import { requireAny } from './auth.js';
import { methodNotAllowed, objectBody, unknownSegment, type GraphCall } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';

const READ = ['Policy.Read.All', 'Policy.ReadWrite.ApplicationConfiguration'];
const WRITE = ['Policy.ReadWrite.ApplicationConfiguration'];

const POLICY: ResourceType = {
  set: 'policies/appManagementPolicies',
  resource: 'AppManagementPolicy',
  odataType: 'microsoft.graph.appManagementPolicy',
  filterable: new Set(['id', 'displayName', 'isEnabled']),
  filterableCollections: new Set(),
  searchable: new Set(['displayName']),
};

const DEFAULT: ResourceType = { ...POLICY, set: 'policies/defaultAppManagementPolicy', resource: 'TenantAppManagementPolicy', odataType: 'microsoft.graph.tenantAppManagementPolicy' };

const asRecord = (o: object): Record<string, unknown> => o as Record<string, unknown>;

export function handlePolicies(call: GraphCall, rest: string[]): GraphResult {
  const { tenant, principal, method } = call;
  const [kind, id, nav, ...more] = rest;
  if (kind?.toLowerCase() === 'defaultappmanagementpolicy' && id === undefined) {
    if (method === 'GET') {
      requireAny(principal, READ);
      return entityResult(call, asRecord(tenant.defaultAppPolicy), DEFAULT);
    }
    if (method !== 'PATCH') throw methodNotAllowed();
    requireAny(principal, WRITE);
    const draft = structuredClone(tenant.defaultAppPolicy);
    for (const [k, v] of Object.entries(objectBody(call))) {
      if (k.startsWith('@odata.')) continue;
      if (k === 'isEnabled' && typeof v === 'boolean') draft.isEnabled = v;
      else if ((k === 'displayName' || k === 'description') && typeof v === 'string') draft[k] = v;
      else if (k === 'applicationRestrictions' || k === 'servicePrincipalRestrictions') draft[k] = checkRestrictions(v, k);
      else throw badRequest(`Invalid value specified for property '${k}' of resource 'TenantAppManagementPolicy'.`);
    }
    tenant.defaultAppPolicy = draft;
    tenant.metaChanged = true;
    return { status: 204, write: true };
  }
  if (kind?.toLowerCase() !== 'appmanagementpolicies') throw unknownSegment(kind ?? 'policies');
  if (id === undefined) {
    if (method === 'GET') {
      requireAny(principal, READ);
      return listResult(call, [...tenant.appPolicies.values()].map(asRecord), POLICY);
    }
    if (method !== 'POST') throw methodNotAllowed();
    requireAny(principal, WRITE);
    const policy = applyPolicyBody({ id: randomUUID(), displayName: '', description: null, isEnabled: true, restrictions: { passwordCredentials: [], keyCredentials: [] } }, objectBody(call));
    if (!policy.displayName) throw badRequest("Property 'displayName' is required.");
    tenant.appPolicies.set(policy.id, policy);
    return { ...entityResult({ ...call, query: new URLSearchParams() }, asRecord(policy), POLICY, 201), write: true };
  }
  const policy = tenant.appPolicies.get(id.toLowerCase());
  if (!policy) throw notFound(id);
  if (nav !== undefined) {
    if (nav.toLowerCase() !== 'appliesto' || more.length || method !== 'GET') throw unknownSegment(nav);
    requireAny(principal, READ);
    const apps = [...tenant.policyAssignments.values()].filter((a) => a.policies.includes(policy.id)).map((a) => tenant.apps.get(a.id)).filter((a) => a !== undefined);
    return listResult(call, apps, { ...POLICY, set: 'directoryObjects', resource: 'Application', odataType: 'microsoft.graph.application' });
  }
  if (method === 'GET') {
    requireAny(principal, READ);
    return entityResult(call, asRecord(policy), POLICY);
  }
  if (method === 'PATCH') {
    requireAny(principal, WRITE);
    tenant.appPolicies.set(policy.id, applyPolicyBody(structuredClone(policy), objectBody(call)));
    return { status: 204, write: true };
  }
  if (method === 'DELETE') {
    requireAny(principal, WRITE);
    tenant.appPolicies.delete(policy.id);
    for (const a of [...tenant.policyAssignments.values()]) {
      if (a.policies.includes(policy.id)) tenant.policyAssignments.set(a.id, { id: a.id, policies: a.policies.filter((p) => p !== policy.id) });
    }
    return { status: 204, write: true };
  }
  throw methodNotAllowed();
}

function applyPolicyBody(policy: AppManagementPolicy, body: Record<string, unknown>): AppManagementPolicy {
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.')) continue;
    if (k === 'isEnabled' && typeof v === 'boolean') policy.isEnabled = v;
    else if (k === 'displayName' && typeof v === 'string') policy.displayName = v;
    else if (k === 'description' && (typeof v === 'string' || v === null)) policy.description = v;
    else if (k === 'restrictions') policy.restrictions = checkRestrictions(v, k);
    else throw badRequest(`Invalid value specified for property '${k}' of resource 'AppManagementPolicy'.`);
  }
  return policy;
}

/** `/applications/{id}/appManagementPolicies[/$ref | /{policyId}/$ref]` (at most one policy per application). */
export function handleAppPolicies(call: GraphCall, app: Application, rest: string[]): GraphResult {
  const { tenant, principal, method } = call;
  const assigned = tenant.policyAssignments.get(app.id)?.policies ?? [];
  if (rest.length === 0) {
    if (method !== 'GET') throw methodNotAllowed();
    requireAny(principal, READ);
    const list = assigned.map((p) => tenant.appPolicies.get(p)).filter((p) => p !== undefined).map(asRecord);
    return listResult(call, list, { ...POLICY, set: `applications('${app.id}')/appManagementPolicies` });
  }
  if (rest.length === 1 && rest[0] === '$ref' && method === 'POST') {
    requireAny(principal, WRITE);
    const ref = objectBody(call)['@odata.id'];
    const pid = typeof ref === 'string' ? /\/policies\/appManagementPolicies\/([0-9a-f-]{36})$/i.exec(ref)?.[1]?.toLowerCase() : undefined;
    if (!pid) throw badRequest("Invalid value specified for property '@odata.id'.");
    if (!tenant.appPolicies.has(pid)) throw notFound(pid);
    if (assigned.length > 0 && !assigned.includes(pid)) throw badRequest('An application can be assigned only one app management policy.');
    tenant.policyAssignments.set(app.id, { id: app.id, policies: [pid] });
    return { status: 204, write: true };
  }
  if (rest.length === 2 && rest[1] === '$ref' && method === 'DELETE') {
    requireAny(principal, WRITE);
    const pid = rest[0]!.toLowerCase();
    if (!assigned.includes(pid)) throw notFound(pid);
    tenant.policyAssignments.delete(app.id);
    return { status: 204, write: true };
  }
  throw methodNotAllowed();
}
