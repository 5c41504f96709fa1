/**
 * requiredResourceAccess ⊇ {Microsoft Graph User.Read (Scope), the app's own access_as_user (Scope)}
 * (DESIGN §1), as a set union; entries the config does not manage are kept, pruned with --prune.
 */
import { ACCESS_AS_USER, ASSIGNED_ON_CREATE, MICROSOFT_GRAPH_APP_ID, NEW_SCOPE_ID, USER_READ, USER_READ_SCOPE_ID } from '../constants.js';
import type { DesiredState, GraphApplication, PermissionView, PlanOptions, RequiredResourceAccess, RequiredResourceAccessChange } from '../types.js';
import { findAccessAsUser } from './application.js';

export interface PermissionContext {
  /** the application's appId, once known */
  appId?: string;
  /** the access_as_user scope id (existing, or the one execute is creating) */
  scopeId?: string;
}

/** The permissions the Restore Portal needs; the self entry only once appId and scope id are known. */
export function requiredPermissions(ctx: PermissionContext): PermissionView[] {
  const out: PermissionView[] = [
    { resourceAppId: MICROSOFT_GRAPH_APP_ID, resource: 'Microsoft Graph', id: USER_READ_SCOPE_ID, type: 'Scope', value: USER_READ },
  ];
  out.push({
    resourceAppId: ctx.appId ?? ASSIGNED_ON_CREATE,
    resource: 'this application',
    id: ctx.scopeId ?? NEW_SCOPE_ID,
    type: 'Scope',
    value: ACCESS_AS_USER,
  });
  return out;
}

const key = (resourceAppId: string, id: string, type: string) => `${resourceAppId.toLowerCase()}|${id.toLowerCase()}|${type}`;

function flatten(rra: RequiredResourceAccess[]): PermissionView[] {
  return rra.flatMap((r) => r.resourceAccess.map((a) => ({ resourceAppId: r.resourceAppId, id: a.id, type: a.type })));
}

function diff(app: GraphApplication | undefined, ctx: PermissionContext) {
  const current = flatten(app?.requiredResourceAccess ?? []);
  const want = requiredPermissions(ctx);
  const have = new Set(current.map((p) => key(p.resourceAppId, p.id, p.type)));
  const wantKeys = new Set(want.map((p) => key(p.resourceAppId, p.id, p.type)));
  return {
    missing: want.filter((p) => !have.has(key(p.resourceAppId, p.id, p.type))),
    unmanaged: current.filter((p) => !wantKeys.has(key(p.resourceAppId, p.id, p.type))),
  };
}

export function permissionContextFor(app: GraphApplication | undefined): PermissionContext {
  const scope = findAccessAsUser(app);
  return { ...(app ? { appId: app.appId } : {}), ...(scope ? { scopeId: scope.id } : {}) };
}

export function permissionChanges(_desired: DesiredState, app: GraphApplication | undefined, opts: PlanOptions): RequiredResourceAccessChange[] {
  const d = diff(app, permissionContextFor(app));
  const out: RequiredResourceAccessChange[] = d.missing.map((after) => ({ resource: 'requiredResourceAccess', action: 'add', field: 'requiredResourceAccess', after }));
  if (opts.prune) {
    for (const before of d.unmanaged) {
      out.push({ resource: 'requiredResourceAccess', action: 'remove', field: 'requiredResourceAccess', before, reason: 'not required by the Restore Portal (--prune)' });
    }
  }
  return out;
}

/**
 * The whole requiredResourceAccess array to send, or {} when nothing changes. Without an appId
 * (before a create) the self entry is left for the second PATCH.
 */
export function permissionPatch(app: GraphApplication | undefined, ctx: PermissionContext, opts: PlanOptions): Partial<GraphApplication> {
  const d = diff(app, ctx);
  const missing = d.missing.filter((p) => p.resourceAppId !== ASSIGNED_ON_CREATE && p.id !== NEW_SCOPE_ID);
  const prune = opts.prune === true ? d.unmanaged : [];
  if (missing.length === 0 && prune.length === 0) return {};
  const drop = new Set(prune.map((p) => key(p.resourceAppId, p.id, p.type)));
  const result: RequiredResourceAccess[] = [];
  for (const r of app?.requiredResourceAccess ?? []) {
    const access = r.resourceAccess.filter((a) => !drop.has(key(r.resourceAppId, a.id, a.type)));
    if (access.length > 0) result.push({ resourceAppId: r.resourceAppId, resourceAccess: access });
  }
  for (const p of missing) {
    const block = result.find((r) => r.resourceAppId.toLowerCase() === p.resourceAppId.toLowerCase());
    const entry = { id: p.id, type: p.type };
    if (block) block.resourceAccess = [...block.resourceAccess, entry];
    else result.push({ resourceAppId: p.resourceAppId, resourceAccess: [entry] });
  }
  return { requiredResourceAccess: result };
}
