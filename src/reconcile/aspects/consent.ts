/**
 * Admin consent (DESIGN §1): one `AllPrincipals` oauth2PermissionGrant per resource — Microsoft
 * Graph for `User.Read`, the app's own service principal for `access_as_user`. An existing grant's
 * scope is extended to the union (PATCH replaces the whole string, graph-behaviour.md §4), never
 * duplicated; per-user `Principal` grants are never touched.
 */
import { ACCESS_AS_USER, USER_READ } from '../constants.js';
import type { GrantChange, OAuth2PermissionGrant, Observed } from '../types.js';

export interface ConsentTarget {
  /** how the plan names the resource */
  target: 'Microsoft Graph' | 'this application';
  /** scope values that must be granted */
  scopes: string[];
}

export const CONSENT_TARGETS: readonly ConsentTarget[] = [
  { target: 'Microsoft Graph', scopes: [USER_READ] },
  { target: 'this application', scopes: [ACCESS_AS_USER] },
];

export function scopeValues(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

/** The union of a grant's scope string and the wanted values, or undefined when it already covers them. */
export function scopeUnion(current: string | null | undefined, wanted: readonly string[]): string | undefined {
  const have = scopeValues(current);
  const lower = new Set(have.map((s) => s.toLowerCase()));
  const missing = wanted.filter((w) => !lower.has(w.toLowerCase()));
  return missing.length === 0 ? undefined : [...have, ...missing].join(' ');
}

/** The AllPrincipals grant of this client on this resource, if any. */
export function findAllPrincipalsGrant(grants: readonly OAuth2PermissionGrant[], clientId: string, resourceId: string): OAuth2PermissionGrant | undefined {
  return grants.find((g) => g.consentType === 'AllPrincipals' && g.clientId === clientId && g.resourceId === resourceId);
}

export function resourceIdFor(target: ConsentTarget, observed: Observed): string | undefined {
  return target.target === 'Microsoft Graph' ? observed.graphServicePrincipal?.id : observed.servicePrincipal?.id;
}

export function consentChanges(observed: Observed): GrantChange[] {
  const out: GrantChange[] = [];
  const clientId = observed.servicePrincipal?.id;
  for (const t of CONSENT_TARGETS) {
    const resourceId = resourceIdFor(t, observed);
    const grant = clientId && resourceId ? findAllPrincipalsGrant(observed.grants, clientId, resourceId) : undefined;
    if (!grant) {
      out.push({ resource: 'oauth2PermissionGrant', action: 'create', field: 'scope', target: t.target, after: t.scopes.join(' ') });
      continue;
    }
    const after = scopeUnion(grant.scope, t.scopes);
    if (after !== undefined) {
      out.push({ resource: 'oauth2PermissionGrant', action: 'update', field: 'scope', target: t.target, before: grant.scope ?? '', after });
    }
  }
  return out;
}
