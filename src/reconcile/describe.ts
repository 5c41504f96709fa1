/**
 * One line of plain text per change, shared by the plan's rendering and test-portal's messages.
 * Values come from Entra and the config as they are: the human renderers escape control characters.
 */
import type {
  AppRoleAssignmentView,
  Change,
  FederatedCredentialView,
  OwnerView,
  KeyCredentialView,
  PasswordCredentialView,
  PermissionView,
  ScopeView,
} from './types.js';

const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

const dates = (start?: string, end?: string): string =>
  start || end ? ` valid ${start?.slice(0, 10) ?? '?'} → ${end?.slice(0, 10) ?? '?'}` : '';

function certificate(v: KeyCredentialView | undefined): string {
  if (!v) return '(none)';
  return `${v.thumbprint ?? `keyId ${v.keyId ?? '?'}`}${v.displayName ? ` (${v.displayName})` : ''}${dates(v.startDateTime, v.endDateTime)}`;
}

function secret(v: PasswordCredentialView): string {
  const name = v.displayName ? `"${v.displayName}"` : '(no name)';
  return `${name} keyId ${v.keyId}${v.hint ? ` hint ${v.hint}…` : ''}${dates(v.startDateTime, v.endDateTime)}`;
}

function owner(v: OwnerView): string {
  const name = v.userPrincipalName ?? v.displayName;
  return `${v.type ? `${v.type} ` : ''}${name ? `${name} ` : ''}(${v.id}${v.appId ? `, appId ${v.appId}` : ''})`;
}

function federated(v: FederatedCredentialView): string {
  return `"${v.name}" issuer ${v.issuer} subject ${v.subject}`;
}

function permission(v: PermissionView | undefined): string {
  if (!v) return '(none)';
  const kind = v.type === 'Role' ? 'application' : v.type === 'Scope' ? 'delegated' : v.type;
  return `${v.resource ?? v.resourceAppId}: ${v.value ?? v.id} (${kind})`;
}

function scope(v: ScopeView | undefined): string {
  if (!v) return '(none)';
  return `${v.value}${v.type ? ` (${v.type}${v.isEnabled === false ? ', disabled' : ''})` : ''}`;
}

function assignment(v: AppRoleAssignmentView): string {
  return `${v.resource ?? v.resourceId}: ${v.value ?? `app role ${v.appRoleId}`} (application permission)`;
}

/**
 * One line per change, without colour. `verbs: false` leaves out add/remove/unmanaged, for a
 * rendering whose symbols (+ - !) say it already.
 */
export function describeChange(c: Change, options: { verbs?: boolean } = {}): string {
  const verb = (action: Change['action']): string =>
    options.verbs === false ? '' : `${action === 'keep' ? 'unmanaged' : action === 'remove' ? 'remove' : action === 'add' ? 'add' : action} `;
  if (c.action === 'restore') {
    const what = c.resource === 'application' ? `application ${c.after.appId ?? c.after.id}` : `service principal ${c.after.id}`;
    return `${what} was deleted on ${c.before.deletedDateTime}, restorable until ${c.after.restorableUntil}: it will be restored`;
  }
  switch (c.resource) {
    case 'application':
      return c.action === 'create'
        ? `application "${c.after.displayName ?? ''}"${c.after.uniqueName ? ` (uniqueName ${c.after.uniqueName})` : ''} will be created`
        : `application.${c.field}: ${show(c.before)} → ${show(c.after)}`;
    case 'identifierUri':
      return `${verb(c.action)}identifier URI ${c.after ?? c.before}`;
    case 'permissionScope':
      return c.action === 'update' ? `exposed scope ${scope(c.before)} → ${scope(c.after)}` : `${verb(c.action)}exposed scope ${scope(c.after ?? c.before)}`;
    case 'appRole':
      return `${verb(c.action)}app role ${scope(c.before)}`;
    case 'preAuthorizedApplication':
      return `${verb(c.action)}pre-authorized client application ${c.before.appId} (${c.before.delegatedPermissionIds.length} scope${c.before.delegatedPermissionIds.length === 1 ? '' : 's'}, no consent prompt)`;
    case 'redirectUri':
      return `${verb(c.action)}${c.field.split('.')[0]} redirect URI ${c.after ?? c.before}`;
    case 'keyCredential':
      return `${verb(c.action)}certificate ${c.field.startsWith('servicePrincipal.') ? 'on the service principal ' : ''}${certificate(c.after ?? c.before)}`;
    case 'passwordCredential':
      return `${verb(c.action)}client secret ${c.field.startsWith('servicePrincipal.') ? 'on the service principal ' : ''}${secret(c.before)}`;
    case 'federatedCredential':
      return `${verb(c.action)}federated credential ${federated(c.before)}`;
    case 'requiredResourceAccess':
      return `${verb(c.action)}permission ${permission(c.after ?? c.before)}`;
    case 'servicePrincipal':
      return c.action === 'create'
        ? `service principal for ${c.after.appId} (tag ${c.after.tags.join(', ')}) will be created`
        : `service principal ${c.field}: ${show(c.before)} → ${show(c.after)}`;
    case 'oauth2PermissionGrant':
      switch (c.action) {
        case 'create':
          return `admin consent on ${c.target}: "${c.after ?? ''}" will be granted`;
        case 'update':
          return `admin consent on ${c.target}: "${c.before ?? ''}" → "${c.after ?? ''}"`;
        default:
          return `${verb(c.action)}admin consent on ${c.target}: "${c.before ?? ''}"`;
      }
    case 'appRoleAssignment':
      return `${verb(c.action)}${assignment(c.before)}`;
    case 'owner':
      return `${verb(c.action)}owner ${owner(c.after ?? c.before!)}`;
    case 'config':
      return `config ${c.field} = ${c.after}`;
  }
}
