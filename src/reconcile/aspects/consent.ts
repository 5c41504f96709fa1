/**
 * What the application's service principal has been granted:
 * - admin consent: exactly one AllPrincipals oauth2PermissionGrant on Microsoft Graph with scope
 *   `User.Read`, and one on the application's own service principal with `access_as_user`. A
 *   missing scope is added to an existing grant (PATCH replaces the whole scope string:
 *   https://learn.microsoft.com/graph/api/oauth2permissiongrant-update); extra scopes on those grants
 *   and AllPrincipals grants on any other resource are unmanaged;
 * - app-role assignments (application permissions held by the portal's service principal): none —
 *   each one is unmanaged, since with a secret it would let someone act as the application.
 * Per-user (`Principal`) grants are users' own consent and are never touched.
 */
import { CONSENT_TARGETS, MICROSOFT_GRAPH_APP_ID, type ConsentTarget } from '../../model/portal.js';
import type { AppRoleAssignment, OAuth2PermissionGrant } from '../../model/graph.js';
import { OperationError } from '../../errors.js';
import { REF, type AppRoleAssignmentView, type Change, type DesiredState, type Observed, type PlanOptions, type Write } from '../types.js';
import { assessment, sameText, unmanagedAction, unmanagedReason } from './judge.js';
import { resourceByAppId } from './permissions.js';

export function scopeValues(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

/** The id of the resource service principal a consent target names (a reference when it is created this run). */
function resourceIdFor(t: ConsentTarget, observed: Observed): string | undefined {
  if (t.target === 'this application') return observed.servicePrincipal?.id ?? REF.spId;
  return resourceByAppId(observed, MICROSOFT_GRAPH_APP_ID)?.id;
}

/** A resource service principal's name by object id, where observe read it. */
function resourceName(observed: Observed, id: string): string | undefined {
  if (observed.servicePrincipal?.id === id) return 'this application';
  return Object.values(observed.resources).find((sp) => sp?.id === id)?.displayName;
}

export function assignmentView(observed: Observed, a: AppRoleAssignment): AppRoleAssignmentView {
  const sp = Object.values(observed.resources).find((r) => r?.id === a.resourceId);
  const role = sp?.appRoles?.find((r) => r.id.toLowerCase() === a.appRoleId.toLowerCase());
  const resource = sp?.displayName ?? a.resourceDisplayName ?? undefined;
  return { id: a.id, resourceId: a.resourceId, appRoleId: a.appRoleId, ...(resource ? { resource } : {}), ...(role?.value ? { value: role.value } : {}) };
}

export function assessConsent(_desired: DesiredState, observed: Observed, options: PlanOptions) {
  const prune = options.prune === true;
  const sp = observed.servicePrincipal;
  const clientId = sp?.id ?? REF.spId;
  const changes: Change[] = [];
  const writes: Write[] = [];
  const managed = new Set<OAuth2PermissionGrant>();

  for (const t of CONSENT_TARGETS) {
    const resourceId = resourceIdFor(t, observed);
    if (!resourceId) {
      throw new OperationError(`the ${t.target} service principal was not found in this tenant: admin consent for ${t.scopes.join(' ')} cannot be granted`, {
        code: 'resource-principal-missing',
        remedy: 'Microsoft Graph has a service principal in every Entra tenant: check that the config names the right tenant and region.',
      });
    }
    const grant = sp ? observed.grants.find((g) => g.consentType === 'AllPrincipals' && g.clientId === sp.id && g.resourceId === resourceId) : undefined;
    if (!grant) {
      const scope = t.scopes.join(' ');
      changes.push({ resource: 'oauth2PermissionGrant', action: 'create', field: 'scope', target: t.target, after: scope });
      writes.push({ aspect: 'consent', op: 'createGrant', body: { clientId, resourceId, scope } });
      continue;
    }
    managed.add(grant);
    const have = scopeValues(grant.scope);
    const missing = t.scopes.filter((w) => !have.some((h) => sameText(h, w)));
    const extra = have.filter((h) => !t.scopes.some((w) => sameText(h, w)));
    const before = grant.scope ?? '';
    const reason = unmanagedReason(prune, `scope${extra.length > 1 ? 's' : ''} ${extra.join(' ')} not in the config`);
    if (missing.length > 0) {
      // the wanted scopes are added; extra ones go only with --prune
      const after = [...(prune ? have.filter((h) => !extra.includes(h)) : have), ...missing].join(' ');
      const pruned = prune && extra.length > 0 ? { unmanaged: true as const, reason } : {};
      changes.push({ resource: 'oauth2PermissionGrant', action: 'update', field: 'scope', target: t.target, before, after, ...pruned });
      writes.push({ aspect: 'consent', op: 'patchGrant', grantId: grant.id, scope: after });
    }
    if (extra.length > 0) {
      if (prune) {
        const after = t.scopes.join(' ');
        if (missing.length === 0) {
          changes.push({ resource: 'oauth2PermissionGrant', action: 'update', field: 'scope', target: t.target, before, after, unmanaged: true, reason });
          writes.push({ aspect: 'consent', op: 'patchGrant', grantId: grant.id, scope: after });
        }
      } else {
        changes.push({ resource: 'oauth2PermissionGrant', action: 'keep', field: 'scope', target: t.target, before: extra.join(' '), unmanaged: true, reason });
      }
    }
  }

  for (const g of observed.grants) {
    if (managed.has(g) || g.consentType !== 'AllPrincipals' || g.clientId !== sp?.id) continue;
    const target = resourceName(observed, g.resourceId) ?? `resource ${g.resourceId}`;
    changes.push({ resource: 'oauth2PermissionGrant', action: unmanagedAction(prune), field: 'scope', target, before: g.scope ?? '', unmanaged: true, reason: unmanagedReason(prune, 'admin consent the Restore Portal does not need') });
    if (prune) writes.push({ aspect: 'consent', op: 'deleteGrant', grantId: g.id });
  }

  for (const a of observed.appRoleAssignments) {
    changes.push({ resource: 'appRoleAssignment', action: unmanagedAction(prune), before: assignmentView(observed, a), unmanaged: true, reason: unmanagedReason(prune, 'an application permission the Restore Portal does not need') });
    if (prune && sp) writes.push({ aspect: 'consent', op: 'deleteAppRoleAssignment', servicePrincipalId: sp.id, assignmentId: a.id });
  }

  const uncovered = changes.some((c) => c.resource === 'oauth2PermissionGrant' && (c.action === 'create' || (c.action === 'update' && !c.unmanaged)));
  return assessment('consent', 'admin consent', changes, writes, {
    ...(uncovered ? { consequence: 'users would be asked for consent they cannot give ("Need admin approval")' } : {}),
    message: 'admin consent covers exactly Microsoft Graph User.Read and access_as_user; no application permission is granted',
  });
}
