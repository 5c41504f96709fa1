/**
 * `requiredResourceAccess`: exactly the two delegated permissions the Restore Portal needs —
 * Microsoft Graph `User.Read` and the application's own `access_as_user`. Anything else (another
 * delegated permission, any application permission) is unmanaged, shown by name where the
 * resource's service principal tells it.
 */
import { ACCESS_AS_USER, ASSIGNED_ON_CREATE, MICROSOFT_GRAPH_APP_ID, USER_READ, USER_READ_SCOPE_ID } from '../../model/portal.js';
import type { RequiredResourceAccess, ServicePrincipal } from '../../model/graph.js';
import { REF, type Change, type DesiredState, type Observed, type PermissionView, type PlanOptions, type Write } from '../types.js';
import { accessAsUserScopeId } from './exposed-api.js';
import { assessment, unmanagedAction, unmanagedReason } from './judge.js';

const key = (resourceAppId: string, id: string, type: string) => `${resourceAppId.toLowerCase()}|${id.toLowerCase()}|${type}`;

/** The resource's service principal (by appId) among those observed. */
export function resourceByAppId(observed: Observed, appId: string): ServicePrincipal | undefined {
  return observed.resources[appId.toLowerCase()];
}

/** A permission with its resource's name and its value, where Entra told them. */
export function nameOf(observed: Observed, p: PermissionView): PermissionView {
  const app = observed.application;
  const self = app && app.appId.toLowerCase() === p.resourceAppId.toLowerCase();
  const sp = resourceByAppId(observed, p.resourceAppId);
  const scopes = self ? (app.api?.oauth2PermissionScopes ?? []) : (sp?.oauth2PermissionScopes ?? []);
  const roles = self ? (app.appRoles ?? []) : (sp?.appRoles ?? []);
  const found = p.type === 'Role' ? roles.find((r) => r.id.toLowerCase() === p.id.toLowerCase()) : scopes.find((s) => s.id.toLowerCase() === p.id.toLowerCase());
  const resource = self ? 'this application' : sp?.displayName;
  return { ...p, ...(resource ? { resource } : {}), ...(found?.value ? { value: found.value } : {}) };
}

export function requiredPermissions(observed: Observed, options: PlanOptions): PermissionView[] {
  const appId = observed.application?.appId;
  return [
    { resourceAppId: MICROSOFT_GRAPH_APP_ID, resource: 'Microsoft Graph', id: USER_READ_SCOPE_ID, type: 'Scope', value: USER_READ },
    { resourceAppId: appId ?? ASSIGNED_ON_CREATE, resource: 'this application', id: accessAsUserScopeId(observed, options), type: 'Scope', value: ACCESS_AS_USER },
  ];
}

function flatten(rra: readonly RequiredResourceAccess[]): PermissionView[] {
  return rra.flatMap((r) => r.resourceAccess.map((a) => ({ resourceAppId: r.resourceAppId, id: a.id, type: a.type })));
}

export function assessPermissions(_desired: DesiredState, observed: Observed, options: PlanOptions) {
  const prune = options.prune === true;
  const rra = observed.application?.requiredResourceAccess ?? [];
  const current = flatten(rra);
  const want = requiredPermissions(observed, options);
  const have = new Set(current.map((p) => key(p.resourceAppId, p.id, p.type)));
  const wantKeys = new Set(want.map((p) => key(p.resourceAppId, p.id, p.type)));
  const missing = want.filter((p) => !have.has(key(p.resourceAppId, p.id, p.type)));
  const unmanaged = current.filter((p) => !wantKeys.has(key(p.resourceAppId, p.id, p.type)));

  const changes: Change[] = missing.map((after) => ({ resource: 'requiredResourceAccess', action: 'add', field: 'requiredResourceAccess', after }));
  for (const p of unmanaged) {
    changes.push({ resource: 'requiredResourceAccess', action: unmanagedAction(prune), field: 'requiredResourceAccess', before: nameOf(observed, p), unmanaged: true, reason: unmanagedReason(prune, 'not a permission the Restore Portal needs') });
  }

  const writes: Write[] = [];
  if (missing.length > 0 || (prune && unmanaged.length > 0)) {
    const drop = new Set(prune ? unmanaged.map((p) => key(p.resourceAppId, p.id, p.type)) : []);
    const result: RequiredResourceAccess[] = [];
    for (const r of rra) {
      const access = r.resourceAccess.filter((a) => !drop.has(key(r.resourceAppId, a.id, a.type)));
      if (access.length > 0) result.push({ resourceAppId: r.resourceAppId, resourceAccess: access.map((a) => ({ ...a })) });
    }
    for (const p of missing) {
      const resourceAppId = p.resourceAppId === ASSIGNED_ON_CREATE ? REF.appId : p.resourceAppId;
      const block = result.find((r) => r.resourceAppId.toLowerCase() === resourceAppId.toLowerCase());
      const entry = { id: p.id, type: p.type };
      if (block) block.resourceAccess.push(entry);
      else result.push({ resourceAppId, resourceAccess: [entry] });
    }
    writes.push({ aspect: 'permissions', op: 'patchApplication', body: { requiredResourceAccess: result } });
  }
  return assessment('permissions', 'API permissions', changes, writes, {
    message: `declares exactly Microsoft Graph ${USER_READ} and its own ${ACCESS_AS_USER} (delegated)`,
  });
}
