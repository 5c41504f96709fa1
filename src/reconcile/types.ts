/**
 * The plan (schemas/plan.schema.json): a versioned, secret-free list of differences between the
 * config and Entra, and the writes that remove them. Both come from the same per-aspect
 * comparison (src/reconcile/aspects/*): `execute` performs `writes` as planned, never recomputing
 * them; test-portal reports each aspect's `verdict`.
 */
import type { ApplicationPatch, ServicePrincipalPatch } from '../model/graph.js';

export type { DesiredCertificate, DesiredState, Observed } from '../model/state.js';

/** The aspects of the Restore Portal application, in the order `apply` carries them out. */
export const ASPECTS = [
  'application',
  'exposedApi',
  'redirectUris',
  'certificates',
  'credentials',
  'permissions',
  'servicePrincipal',
  'consent',
  'owners',
] as const;
export type AspectId = (typeof ASPECTS)[number];

/* ------------------------------------------------------------------------------------------ changes */

export type ChangeResource =
  | 'application'
  | 'identifierUri'
  | 'permissionScope'
  | 'appRole'
  | 'preAuthorizedApplication'
  | 'redirectUri'
  | 'keyCredential'
  | 'passwordCredential'
  | 'federatedCredential'
  | 'requiredResourceAccess'
  | 'servicePrincipal'
  | 'oauth2PermissionGrant'
  | 'appRoleAssignment'
  | 'owner'
  | 'config';

/**
 * - create/update/add/remove/record: a write this run makes (or, with --what-if, would make);
 * - keep: an unmanaged item `apply` leaves in place because --prune was not given. It is drift all
 *   the same: the drift check exits 2 on it, and `apply --prune` removes it.
 */
export type ChangeAction = 'create' | 'update' | 'add' | 'remove' | 'keep' | 'record' | 'restore';

/** An application or service principal in deleted items, brought back (same ids) instead of made anew. */
export type RestoreChange = ChangeBase & {
  resource: 'application' | 'servicePrincipal';
  action: 'restore';
  before: { deletedDateTime: string };
  after: { id: string; appId?: string; restorableUntil: string };
};

/** A certificate as the plan shows it: never the key bytes. */
export interface KeyCredentialView {
  thumbprint?: string;
  keyId?: string;
  displayName?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/** A client secret as the plan shows it: never the secret (Graph returns only a hint). */
export interface PasswordCredentialView {
  keyId: string;
  displayName?: string;
  hint?: string;
  startDateTime?: string;
  endDateTime?: string;
}

export interface FederatedCredentialView {
  id: string;
  name: string;
  issuer: string;
  subject: string;
}

export interface PermissionView {
  resourceAppId: string;
  /** the resource's name, e.g. "Microsoft Graph" (when known) */
  resource?: string;
  id: string;
  type: string;
  /** the permission's value, e.g. "User.Read" (when known) */
  value?: string;
}

export interface ScopeView {
  id: string;
  value: string;
  type?: string;
  isEnabled?: boolean;
}

export interface AppRoleAssignmentView {
  id: string;
  resourceId: string;
  resource?: string;
  appRoleId: string;
  /** the role's value, e.g. "Directory.ReadWrite.All" (when known) */
  value?: string;
}

interface ChangeBase {
  /** the customer tenant the change is in (service providers); absent: the config's own tenant */
  tenant?: string;
  /** why, in words (e.g. "not in the config") */
  reason?: string;
  /** the item is not described by the config: drift until listed in the config or pruned */
  unmanaged?: true;
}

export type ApplicationChange =
  | RestoreChange
  | (ChangeBase & { resource: 'application'; action: 'create'; after: { displayName?: string; uniqueName?: string } })
  | (ChangeBase & { resource: 'application'; action: 'update'; field: string; before?: unknown; after: unknown });

export type IdentifierUriChange = ChangeBase & { resource: 'identifierUri'; action: 'add' | 'remove' | 'keep'; field: 'identifierUris'; before?: string; after?: string };

export type PermissionScopeChange = ChangeBase & {
  resource: 'permissionScope';
  action: 'add' | 'update' | 'remove' | 'keep';
  field: 'api.oauth2PermissionScopes';
  before?: ScopeView;
  after?: ScopeView;
};

export type AppRoleChange = ChangeBase & { resource: 'appRole'; action: 'remove' | 'keep'; field: 'appRoles'; before: ScopeView };

/** A client application pre-authorized for the exposed scopes (it gets them without a consent prompt). */
export interface PreAuthorizedView {
  appId: string;
  delegatedPermissionIds: string[];
}

export type PreAuthorizedApplicationChange = ChangeBase & {
  resource: 'preAuthorizedApplication';
  action: 'remove' | 'keep';
  field: 'api.preAuthorizedApplications';
  before: PreAuthorizedView;
};

export type RedirectPlatformField = 'spa.redirectUris' | 'web.redirectUris' | 'publicClient.redirectUris';

export type RedirectUriChange = ChangeBase & { resource: 'redirectUri'; action: 'add' | 'remove' | 'keep'; field: RedirectPlatformField; before?: string; after?: string };

export type KeyCredentialChange = ChangeBase & {
  resource: 'keyCredential';
  action: 'add' | 'remove' | 'keep';
  /** on the application, or on its service principal (the enterprise application) */
  field: 'keyCredentials' | 'servicePrincipal.keyCredentials';
  before?: KeyCredentialView;
  after?: KeyCredentialView;
};

export type PasswordCredentialChange = ChangeBase & {
  resource: 'passwordCredential';
  action: 'remove' | 'keep';
  /** on the application, or on its service principal (the enterprise application) */
  field: 'passwordCredentials' | 'servicePrincipal.passwordCredentials';
  before: PasswordCredentialView;
};

export type FederatedCredentialChange = ChangeBase & {
  resource: 'federatedCredential';
  action: 'remove' | 'keep';
  field: 'federatedIdentityCredentials';
  before: FederatedCredentialView;
};

export type RequiredResourceAccessChange = ChangeBase & {
  resource: 'requiredResourceAccess';
  action: 'add' | 'remove' | 'keep';
  field: 'requiredResourceAccess';
  before?: PermissionView;
  after?: PermissionView;
};

export type ServicePrincipalChange =
  | RestoreChange
  | (ChangeBase & { resource: 'servicePrincipal'; action: 'create'; after: { appId: string; tags: string[] } })
  | (ChangeBase & { resource: 'servicePrincipal'; action: 'update'; field: 'tags' | 'accountEnabled'; before: unknown; after: unknown });

export type GrantChange = ChangeBase & {
  resource: 'oauth2PermissionGrant';
  action: 'create' | 'update' | 'remove' | 'keep';
  field: 'scope';
  /** which resource the grant is for: "Microsoft Graph", "this application", or another resource's name */
  target: string;
  before?: string;
  after?: string;
};

export type AppRoleAssignmentChange = ChangeBase & { resource: 'appRoleAssignment'; action: 'remove' | 'keep'; before: AppRoleAssignmentView };

export type ConfigChange = ChangeBase & { resource: 'config'; action: 'record'; field: 'application.appId'; before?: string; after: string };

/** An owner as the plan shows it: its object id, and what Entra calls it (escaped when printed). */
export interface OwnerView {
  id: string;
  /** 'user', 'servicePrincipal', … (from @odata.type) */
  type?: string;
  displayName?: string;
  userPrincipalName?: string;
  appId?: string;
}

export type OwnerChange = ChangeBase & { resource: 'owner'; action: 'add' | 'remove' | 'keep'; field: 'owners'; before?: OwnerView; after?: OwnerView };

export type Change =
  | ApplicationChange
  | IdentifierUriChange
  | PermissionScopeChange
  | AppRoleChange
  | PreAuthorizedApplicationChange
  | RedirectUriChange
  | KeyCredentialChange
  | PasswordCredentialChange
  | FederatedCredentialChange
  | RequiredResourceAccessChange
  | ServicePrincipalChange
  | GrantChange
  | AppRoleAssignmentChange
  | OwnerChange
  | ConfigChange;

export const PLAN_VERSION = 2 as const;

/** The plan as printed and serialised (`apply --json`'s `plan`). */
export interface Plan {
  version: typeof PLAN_VERSION;
  changes: Change[];
}

/* ------------------------------------------------------------------------------------------- writes */

/**
 * References to objects a write earlier in the same run creates, bound by `execute` when it gets
 * there: `{{app.id}}`, `{{app.appId}}`, `{{sp.id}}` (anywhere inside a string).
 */
export const REF = { appObjectId: '{{app.id}}', appId: '{{app.appId}}', spId: '{{sp.id}}' } as const;

interface WriteBase {
  /** the aspect whose changes this write carries out (its step in the run report) */
  aspect: AspectId | 'config';
  /** a merged application PATCH: every aspect it carries out (the first is `aspect`) */
  aspects?: AspectId[];
}

/** One Graph (or config) write. `execute` performs these in order, binding references only. */
export type Write = WriteBase &
  (
    | { op: 'upsertApplication'; uniqueName: string; body: ApplicationPatch & { displayName: string } }
    /** phase 2: a second PATCH that needs the first one done (removing what the first disabled) */
    | { op: 'patchApplication'; body: ApplicationPatch; phase?: 2 }
    | { op: 'removePassword'; keyId: string }
    | { op: 'removeServicePrincipalPassword'; keyId: string }
    | { op: 'deleteFederatedCredential'; id: string }
    | { op: 'createServicePrincipal'; body: { appId: string; tags: string[] } }
    | { op: 'patchServicePrincipal'; body: ServicePrincipalPatch }
    | { op: 'createGrant'; body: { clientId: string; resourceId: string; scope: string } }
    | { op: 'patchGrant'; grantId: string; scope: string }
    | { op: 'deleteGrant'; grantId: string }
    | { op: 'deleteAppRoleAssignment'; servicePrincipalId: string; assignmentId: string }
    | { op: 'recordAppId' }
    | { op: 'restoreDeleted'; id: string; kind: 'application' | 'servicePrincipal' }
    | { op: 'addOwner'; ownerId: string }
    | { op: 'removeOwner'; ownerId: string }
  );

/* ---------------------------------------------------------------------------------------- verdicts */

/** What test-portal's entra.* check says about one aspect: `fail` exactly when the aspect has changes. */
export interface Verdict {
  status: 'pass' | 'warn' | 'fail';
  message: string;
  remedy?: string;
  details?: Record<string, unknown>;
}

/** One aspect's comparison of desired and observed: what the plan shows, the writes, the verdict. */
export interface Assessment {
  aspect: AspectId;
  changes: Change[];
  writes: Write[];
  verdict: Verdict;
}

export interface PlanOptions {
  /** remove unmanaged items instead of keeping them */
  prune?: boolean;
  /** the id a new access_as_user scope gets (drawn once by the caller, so `plan` stays pure) */
  newScopeId?: string;
  /** now, ms since the epoch (certificate expiry warnings); default: no expiry judgement */
  now?: number;
  /** warn when a managed certificate expires within this many days (default 30) */
  warnDays?: number;
  /**
   * SHA-1 thumbprints of certificates to remove from the application although --prune is not given:
   * the outgoing key of a finished rotation (rotate-cert --finish --apply). Other unmanaged items are
   * kept; only these certificates go.
   */
  retire?: readonly string[];
}

/** Everything `plan()` decides: the printable plan, the writes, and each aspect's assessment. */
export interface PlannedRun {
  plan: Plan;
  writes: Write[];
  assessments: Record<AspectId, Assessment>;
  /** notes for the operator (e.g. an audience read as single-tenant because the config does not say) */
  warnings: string[];
}
