/**
 * What the application exposes as an API: `api://<appId>` among its identifier URIs, and exactly one
 * delegated scope, `access_as_user` (type Admin, enabled; its GUID kept once created). Other
 * identifier URIs, scopes, app roles and pre-authorized client applications are unmanaged
 * (https://learn.microsoft.com/graph/api/resources/preauthorizedapplication).
 *
 * Entra refuses to delete or change an enabled scope or app role in the same write
 * (400 CannotDeleteOrUpdateEnabledEntitlement; https://learn.microsoft.com/graph/api/application-update):
 * pruning one takes two PATCHes — disable it, then remove it.
 */
import { ACCESS_AS_USER, ACCESS_AS_USER_TEXTS, identifierUriFor } from '../../model/portal.js';
import type { AppRole, ApplicationPatch, PermissionScope } from '../../model/graph.js';
import { REF, type Change, type DesiredState, type Observed, type PlanOptions, type ScopeView, type Write } from '../types.js';
import { assessment, sameText, unmanagedAction, unmanagedReason } from './judge.js';

/** Placeholder the plan shows for the id a new access_as_user scope gets (when none was drawn). */
export const NEW_SCOPE_ID = '(new scope id)';

export function findAccessAsUser(scopes: readonly PermissionScope[] | undefined): PermissionScope | undefined {
  return scopes?.find((s) => s.value === ACCESS_AS_USER);
}

function inShape(scope: PermissionScope): boolean {
  return scope.isEnabled === true && scope.type === 'Admin' && !!scope.adminConsentDisplayName && !!scope.adminConsentDescription;
}

/** `access_as_user` as it should be: an existing one keeps its id and any custom texts. */
export function desiredScope(existing: PermissionScope | undefined, newScopeId: string): PermissionScope {
  const texts = Object.fromEntries(Object.entries(ACCESS_AS_USER_TEXTS).map(([k, v]) => [k, (existing?.[k as keyof PermissionScope] as string | null | undefined) || v]));
  return { ...(existing ?? {}), ...texts, id: existing?.id ?? newScopeId, value: ACCESS_AS_USER, type: 'Admin', isEnabled: true };
}

const view = (s: PermissionScope | AppRole): ScopeView => ({
  id: s.id,
  value: s.value ?? '',
  ...('type' in s ? { type: s.type } : {}),
  isEnabled: s.isEnabled,
});

/** The scope id the permissions aspect must reference: the kept scope's, or the one this run creates. */
export function accessAsUserScopeId(observed: Observed, options: PlanOptions): string {
  return findAccessAsUser(observed.application?.api?.oauth2PermissionScopes)?.id ?? options.newScopeId ?? NEW_SCOPE_ID;
}

export function assessExposedApi(_desired: DesiredState, observed: Observed, options: PlanOptions) {
  const app = observed.application;
  const prune = options.prune === true;
  const changes: Change[] = [];
  const writes: Write[] = [];
  const body: ApplicationPatch = {};
  const second: ApplicationPatch = {};

  // identifier URIs: api://<appId>, nothing else
  const wanted = identifierUriFor(app?.appId ?? REF.appId);
  const uris = app?.identifierUris ?? [];
  const hasOwn = uris.some((u) => sameText(u, wanted));
  const extraUris = uris.filter((u) => !sameText(u, wanted));
  if (!hasOwn) changes.push({ resource: 'identifierUri', action: 'add', field: 'identifierUris', after: app ? wanted : identifierUriFor('(appId)') });
  for (const u of extraUris) {
    changes.push({ resource: 'identifierUri', action: unmanagedAction(prune), field: 'identifierUris', before: u, unmanaged: true, reason: unmanagedReason(prune) });
  }
  if (!hasOwn || (prune && extraUris.length > 0)) body.identifierUris = [...(prune ? [] : extraUris), wanted];

  // delegated scopes: access_as_user, nothing else
  const scopes = app?.api?.oauth2PermissionScopes ?? [];
  const own = findAccessAsUser(scopes);
  const others = scopes.filter((s) => s !== own);
  const ownWanted = desiredScope(own, own?.id ?? options.newScopeId ?? NEW_SCOPE_ID);
  if (!own) {
    changes.push({ resource: 'permissionScope', action: 'add', field: 'api.oauth2PermissionScopes', after: view(ownWanted) });
  } else if (!inShape(own)) {
    changes.push({ resource: 'permissionScope', action: 'update', field: 'api.oauth2PermissionScopes', before: view(own), after: view(ownWanted) });
  }
  for (const s of others) {
    changes.push({ resource: 'permissionScope', action: unmanagedAction(prune), field: 'api.oauth2PermissionScopes', before: view(s), unmanaged: true, reason: unmanagedReason(prune) });
  }
  const scopesChange = !own || !inShape(own);
  const pruneScopes = prune && others.length > 0;
  if (scopesChange || pruneScopes) {
    const kept = prune ? others.filter((s) => s.isEnabled).map((s) => ({ ...s, isEnabled: false })) : others;
    body.api = { oauth2PermissionScopes: [...kept, ownWanted] };
    if (pruneScopes) second.api = { oauth2PermissionScopes: [ownWanted] };
    if (prune && kept.length === 0) {
      // every unmanaged scope was disabled already: one write removes them
      body.api = { oauth2PermissionScopes: [ownWanted] };
      delete second.api;
    }
  }

  // pre-authorized client applications: none (each gets the scopes without any consent prompt)
  const preAuthorized = app?.api?.preAuthorizedApplications ?? [];
  for (const p of preAuthorized) {
    changes.push({
      resource: 'preAuthorizedApplication',
      action: unmanagedAction(prune),
      field: 'api.preAuthorizedApplications',
      before: { appId: String(p.appId), delegatedPermissionIds: Array.isArray(p.delegatedPermissionIds) ? p.delegatedPermissionIds.map(String) : [] },
      unmanaged: true,
      reason: unmanagedReason(prune, 'a pre-authorized client gets the portal scope without consent: VB365 pre-authorizes none'),
    });
  }
  // emptied in the first write, before any scope it names is disabled and removed; the second write
  // says so again (plan() completes `api` from what was read before the first one)
  if (prune && preAuthorized.length > 0) {
    body.api = { ...(body.api ?? {}), preAuthorizedApplications: [] };
    if (second.api) second.api = { ...second.api, preAuthorizedApplications: [] };
  }

  // app roles: none
  const roles = app?.appRoles ?? [];
  for (const r of roles) {
    changes.push({ resource: 'appRole', action: unmanagedAction(prune), field: 'appRoles', before: view(r), unmanaged: true, reason: unmanagedReason(prune) });
  }
  if (prune && roles.length > 0) {
    const enabled = roles.filter((r) => r.isEnabled);
    if (enabled.length > 0) {
      body.appRoles = roles.map((r) => ({ ...r, isEnabled: false }));
      second.appRoles = [];
    } else body.appRoles = [];
  }

  if (Object.keys(body).length > 0) writes.push({ aspect: 'exposedApi', op: 'patchApplication', body });
  if (Object.keys(second).length > 0) writes.push({ aspect: 'exposedApi', op: 'patchApplication', body: second, phase: 2 });

  return assessment('exposedApi', 'exposed API', changes, writes, {
    message: `identifier URI ${wanted} and the ${ACCESS_AS_USER} scope (Admin, enabled) are exposed, nothing else`,
    ...(own ? { details: { identifierUris: uris, scopeId: own.id } } : {}),
  });
}
