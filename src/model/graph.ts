/**
 * The Microsoft Graph v1.0 objects entra-portal reads and writes — the one set of these types in
 * the project (the emulator keeps its own, on purpose: an independent implementation catches the
 * bugs a shared one would hide). Only the fields the tool looks at or must send back whole.
 *
 * Resource references (Graph v1.0):
 *   https://learn.microsoft.com/graph/api/resources/application
 *   https://learn.microsoft.com/graph/api/resources/serviceprincipal
 *   https://learn.microsoft.com/graph/api/resources/keycredential
 *   https://learn.microsoft.com/graph/api/resources/passwordcredential
 *   https://learn.microsoft.com/graph/api/resources/federatedidentitycredential
 *   https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant
 *   https://learn.microsoft.com/graph/api/resources/preauthorizedapplication
 *   https://learn.microsoft.com/graph/api/resources/approleassignment
 * Types only: no runtime code.
 */

/** `keyCredential`: `key` is standard base64 of the DER certificate, returned only when `keyCredentials` is `$select`ed. */
export interface KeyCredential {
  keyId?: string;
  /** 'AsymmetricX509Cert' */
  type: string;
  /** 'Verify' */
  usage: string;
  key?: string | null;
  displayName?: string | null;
  /** base64 text; Graph defaults it to the SHA-1 thumbprint */
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

/** `passwordCredential` (a client secret): only `hint` of the secret is ever returned. */
export interface PasswordCredential {
  keyId: string;
  displayName?: string | null;
  hint?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

/** `federatedIdentityCredential`: lets an external identity provider's tokens sign in as the application. */
export interface FederatedIdentityCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences?: string[];
  description?: string | null;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role' | (string & {});
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

/** `permissionScope` (application.api.oauth2PermissionScopes[], servicePrincipal.oauth2PermissionScopes[]). */
export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin' | (string & {});
  isEnabled: boolean;
  adminConsentDisplayName?: string | null;
  adminConsentDescription?: string | null;
  userConsentDisplayName?: string | null;
  userConsentDescription?: string | null;
}

export interface AppRole {
  id: string;
  value: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  displayName?: string | null;
  description?: string | null;
}

export interface ImplicitGrantSettings {
  enableIdTokenIssuance?: boolean | null;
  enableAccessTokenIssuance?: boolean | null;
}

export interface WebApplication {
  redirectUris?: string[];
  homePageUrl?: string | null;
  logoutUrl?: string | null;
  implicitGrantSettings?: ImplicitGrantSettings | null;
}

/** `preAuthorizedApplication`: a client application that gets these scopes without any consent prompt. */
export interface PreAuthorizedApplication {
  appId: string;
  /** ids of the application's own oauth2PermissionScopes */
  delegatedPermissionIds: string[];
}

export interface ApiApplication {
  requestedAccessTokenVersion?: number | null;
  oauth2PermissionScopes?: PermissionScope[];
  preAuthorizedApplications?: PreAuthorizedApplication[];
  [k: string]: unknown;
}

export interface Application {
  /** object id */
  id: string;
  appId: string;
  displayName: string;
  uniqueName?: string | null;
  signInAudience?: string | null;
  identifierUris?: string[];
  api?: ApiApplication | null;
  appRoles?: AppRole[];
  spa?: { redirectUris?: string[] } | null;
  web?: WebApplication | null;
  publicClient?: { redirectUris?: string[] } | null;
  isFallbackPublicClient?: boolean | null;
  requiredResourceAccess?: RequiredResourceAccess[];
  keyCredentials?: KeyCredential[];
  passwordCredentials?: PasswordCredential[];
  tags?: string[];
  publisherDomain?: string;
  createdDateTime?: string | null;
}

/** A PATCH body: any writable subset (collections replace the whole array). */
export type ApplicationPatch = Partial<Omit<Application, 'id' | 'appId' | 'publisherDomain' | 'passwordCredentials' | 'createdDateTime'>>;

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  tags?: string[];
  servicePrincipalNames?: string[];
  appRoles?: AppRole[];
  oauth2PermissionScopes?: PermissionScope[];
  accountEnabled?: boolean;
  /** client secrets added to the service principal itself (addPassword on the service principal) */
  passwordCredentials?: PasswordCredential[];
  /** certificates on the service principal itself (read without `key`: see ownSpPath) */
  keyCredentials?: KeyCredential[];
}

export type ServicePrincipalPatch = Partial<Omit<ServicePrincipal, 'id' | 'appId' | 'passwordCredentials'>>;

export interface OAuth2PermissionGrant {
  id: string;
  /** the client's service principal object id */
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal' | (string & {});
  principalId?: string | null;
  /** the resource's service principal object id */
  resourceId: string;
  /** space-separated scope values (not ids) */
  scope?: string | null;
}

/** An owner of the application: a user or a service principal (`directoryObject`, with its `@odata.type`). */
export interface DirectoryObject {
  id: string;
  '@odata.type'?: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  appId?: string | null;
}

/** An app role granted to a principal (for a service principal: an application permission it holds). */
export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType?: string | null;
  resourceId: string;
  resourceDisplayName?: string | null;
  createdDateTime?: string | null;
}
