/**
 * Shapes the reconciler works with (DESIGN §1, §4):
 * - the Graph objects it reads (only the fields it looks at or must send back whole),
 * - `Observed`: what Entra holds now, `DesiredState`: what the config asks for,
 * - `Plan`: the versioned, secret-free list of changes (schemas/plan.schema.json).
 */

export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs' | (string & {});

/** Graph `permissionScope` (application.api.oauth2PermissionScopes[]). */
export interface PermissionScope {
  id: string;
  value: string;
  type: 'Admin' | 'User' | (string & {});
  isEnabled: boolean;
  adminConsentDisplayName?: string | null;
  adminConsentDescription?: string | null;
  userConsentDisplayName?: string | null;
  userConsentDescription?: string | null;
  [key: string]: unknown;
}

/** Graph `keyCredential`. `key` is standard base64 of the DER certificate; present only when `$select`ed. */
export interface KeyCredential {
  keyId?: string;
  customKeyIdentifier?: string | null;
  displayName?: string | null;
  type: string;
  usage: string;
  key?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  [key: string]: unknown;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role' | (string & {});
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface WebSettings {
  redirectUris?: string[];
  homePageUrl?: string | null;
  logoutUrl?: string | null;
  implicitGrantSettings?: { enableIdTokenIssuance?: boolean | null; enableAccessTokenIssuance?: boolean | null } | null;
  [key: string]: unknown;
}

export interface GraphApplication {
  /** object id */
  id: string;
  appId: string;
  displayName?: string | null;
  uniqueName?: string | null;
  signInAudience?: string | null;
  identifierUris?: string[];
  isFallbackPublicClient?: boolean | null;
  spa?: { redirectUris?: string[] } | null;
  web?: WebSettings | null;
  api?: { oauth2PermissionScopes?: PermissionScope[]; [key: string]: unknown } | null;
  requiredResourceAccess?: RequiredResourceAccess[];
  keyCredentials?: KeyCredential[];
  [key: string]: unknown;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  tags?: string[];
}

export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal' | (string & {});
  principalId?: string | null;
  resourceId: string;
  /** space-separated scope values */
  scope?: string | null;
}

/** What Entra holds now. Absent objects are `undefined`. */
export interface Observed {
  application?: GraphApplication;
  /** the application's own service principal */
  servicePrincipal?: GraphServicePrincipal;
  /** the Microsoft Graph service principal of the tenant (resource of User.Read) */
  graphServicePrincipal?: GraphServicePrincipal;
  /** oauth2PermissionGrants whose client is the application's service principal (any consentType) */
  grants: OAuth2PermissionGrant[];
}

/** The configured certificate as the plan and execute need it. `derBase64` never enters a plan. */
export interface DesiredCertificate {
  /** SHA-1 of the DER, uppercase hex */
  thumbprint: string;
  subject: string;
  /** ISO 8601 UTC */
  notBefore: string;
  notAfter: string;
  derBase64: string;
}

/**
 * The end state the config asks for (DESIGN §1). `undefined` = the config does not manage it.
 * The Restore Portal's fixed shape (identifier URI, scope, flags, permissions, principal, consent)
 * is always managed.
 */
export interface DesiredState {
  displayName?: string;
  uniqueName?: string;
  appId?: string;
  signInAudience?: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  /** normalised SPA redirect URIs (portal URL first, then extras); undefined: unmanaged */
  redirectUris?: string[];
  certificate?: DesiredCertificate;
}

export type ChangeResource =
  | 'application'
  | 'servicePrincipal'
  | 'keyCredential'
  | 'redirectUri'
  | 'requiredResourceAccess'
  | 'oauth2PermissionGrant'
  | 'config';

export type ChangeAction = 'create' | 'update' | 'add' | 'remove' | 'record';

/** A certificate as the plan shows it: never the key bytes. */
export interface KeyCredentialView {
  thumbprint?: string;
  keyId?: string;
  displayName?: string;
  startDateTime?: string;
  endDateTime?: string;
}

export interface PermissionView {
  resourceAppId: string;
  /** human name of the resource, e.g. "Microsoft Graph" */
  resource?: string;
  id: string;
  type: string;
  /** the permission's value when known, e.g. "User.Read" */
  value?: string;
}

interface ChangeBase {
  /** why this change, in words (e.g. "not managed by the config (--prune)") */
  reason?: string;
}

export type ApplicationChange =
  | (ChangeBase & { resource: 'application'; action: 'create'; after: { displayName?: string; uniqueName?: string } })
  | (ChangeBase & { resource: 'application'; action: 'update'; field: string; before?: unknown; after: unknown });

export type RedirectUriChange = ChangeBase & {
  resource: 'redirectUri';
  action: 'add' | 'remove';
  field: 'spa.redirectUris';
  before?: string;
  after?: string;
};

export type KeyCredentialChange = ChangeBase & {
  resource: 'keyCredential';
  action: 'add' | 'remove';
  field: 'keyCredentials';
  before?: KeyCredentialView;
  after?: KeyCredentialView;
};

export type RequiredResourceAccessChange = ChangeBase & {
  resource: 'requiredResourceAccess';
  action: 'add' | 'remove';
  field: 'requiredResourceAccess';
  before?: PermissionView;
  after?: PermissionView;
};

export type ServicePrincipalChange =
  | (ChangeBase & { resource: 'servicePrincipal'; action: 'create'; after: { appId: string; tags: string[] } })
  | (ChangeBase & { resource: 'servicePrincipal'; action: 'update'; field: 'tags'; before: string[]; after: string[] });

export type GrantChange = ChangeBase & {
  resource: 'oauth2PermissionGrant';
  action: 'create' | 'update';
  field: 'scope';
  /** which resource service principal the grant is for, e.g. "Microsoft Graph" */
  target: string;
  before?: string;
  after: string;
};

export type ConfigChange = ChangeBase & {
  resource: 'config';
  action: 'record';
  field: 'application.appId';
  before?: string;
  after: string;
};

export type Change =
  | ApplicationChange
  | RedirectUriChange
  | KeyCredentialChange
  | RequiredResourceAccessChange
  | ServicePrincipalChange
  | GrantChange
  | ConfigChange;

export const PLAN_VERSION = 1 as const;

export interface Plan {
  version: typeof PLAN_VERSION;
  changes: Change[];
}

export interface PlanOptions {
  /** remove entries of managed collections the config does not list */
  prune?: boolean;
}
