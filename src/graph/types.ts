/**
 * The Graph resource shapes the reconciler reads and writes (graph-behaviour.md §1–§4), and the
 * `$select`/paths used to read them. Types only, plus constants: no runtime dependencies.
 */
import { odataString } from './request.js';

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** the service principal tag VB365 and the Entra portal put on integrated apps */
export const INTEGRATED_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';

export interface KeyCredential {
  keyId?: string;
  /** 'AsymmetricX509Cert' */
  type: string;
  /** 'Verify' */
  usage: string;
  /** standard base64 of the DER certificate; null unless `keyCredentials` was `$select`ed */
  key?: string | null;
  displayName?: string | null;
  /** base64 text; Graph defaults it to the SHA-1 thumbprint */
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role';
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
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
  enableIdTokenIssuance: boolean;
  enableAccessTokenIssuance: boolean;
}

export interface Application {
  /** object id */
  id: string;
  appId: string;
  displayName: string;
  uniqueName?: string | null;
  signInAudience?: string;
  identifierUris?: string[];
  api?: { requestedAccessTokenVersion?: number | null; oauth2PermissionScopes?: PermissionScope[]; [k: string]: unknown };
  spa?: { redirectUris: string[] };
  web?: { redirectUris?: string[]; homePageUrl?: string | null; logoutUrl?: string | null; implicitGrantSettings?: ImplicitGrantSettings };
  publicClient?: { redirectUris: string[] };
  isFallbackPublicClient?: boolean | null;
  requiredResourceAccess?: RequiredResourceAccess[];
  keyCredentials?: KeyCredential[];
  tags?: string[];
  publisherDomain?: string;
}

/** A PATCH body: any writable subset (collections replace the whole array). */
export type ApplicationPatch = Partial<Omit<Application, 'id' | 'appId' | 'publisherDomain'>>;

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  tags?: string[];
  servicePrincipalNames?: string[];
  appRoles?: AppRole[];
  oauth2PermissionScopes?: PermissionScope[];
  accountEnabled?: boolean;
}

export type ServicePrincipalPatch = Partial<Omit<ServicePrincipal, 'id' | 'appId'>>;

export interface OAuth2PermissionGrant {
  id: string;
  /** the client's service principal object id */
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId?: string | null;
  /** the resource's service principal object id */
  resourceId: string;
  /** space-separated scope values (not ids) */
  scope: string;
}

/** What `observeBatch` found. Absent objects are undefined. */
export interface Observed {
  application?: Application;
  /** the application's service principal */
  servicePrincipal?: ServicePrincipal;
  /** resource service principals by appId (always includes Microsoft Graph) */
  resources: Record<string, ServicePrincipal | undefined>;
  /** AllPrincipals grants whose client is the application's service principal */
  grants: OAuth2PermissionGrant[];
  /** HTTP round trips used (after the token) */
  roundTrips: number;
}

/* -------------------------------------------------------------------------------- selects and paths */

/** Properties read for an application; `keyCredentials` must be selected for `key` to come back (graph-behaviour.md §1.2). */
export const APPLICATION_SELECT = [
  'id',
  'appId',
  'displayName',
  'uniqueName',
  'signInAudience',
  'identifierUris',
  'api',
  'spa',
  'web',
  'publicClient',
  'isFallbackPublicClient',
  'requiredResourceAccess',
  'keyCredentials',
  'tags',
  'publisherDomain',
].join(',');

export const SERVICE_PRINCIPAL_SELECT = ['id', 'appId', 'displayName', 'tags', 'servicePrincipalNames', 'appRoles', 'oauth2PermissionScopes', 'accountEnabled'].join(',');

export const appByAppIdPath = (appId: string) => `/applications(appId='${odataString(appId)}')?$select=${APPLICATION_SELECT}`;
export const appByUniqueNamePath = (uniqueName: string) => `/applications(uniqueName='${odataString(uniqueName)}')?$select=${APPLICATION_SELECT}`;
export const spByAppIdPath = (appId: string) => `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId.replace(/'/g, "''")}'`)}&$select=${SERVICE_PRINCIPAL_SELECT}`;
export const grantsPath = (clientSpId: string) =>
  `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${clientSpId.replace(/'/g, "''")}' and consentType eq 'AllPrincipals'`)}`;
