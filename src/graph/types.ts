/**
 * The `$select`s and paths entra-portal reads Graph objects with. The object types themselves live
 * in src/model/graph.ts (re-exported here for the Graph client's callers).
 */
import { odataString } from './request.js';

export type * from '../model/graph.js';
export { MICROSOFT_GRAPH_APP_ID, INTEGRATED_APP_TAG } from '../model/portal.js';

/**
 * Properties read for an application. `keyCredentials` must be selected for `key` to come back, and
 * reads that select it count against a per-tenant limit of 150 requests a minute
 * (https://learn.microsoft.com/graph/api/application-get).
 */
export const APPLICATION_SELECT = [
  'id',
  'appId',
  'displayName',
  'uniqueName',
  'signInAudience',
  'identifierUris',
  'api',
  'appRoles',
  'spa',
  'web',
  'publicClient',
  'isFallbackPublicClient',
  'requiredResourceAccess',
  'keyCredentials',
  'passwordCredentials',
  'tags',
  'publisherDomain',
  'createdDateTime',
].join(',');

export const SERVICE_PRINCIPAL_SELECT = ['id', 'appId', 'displayName', 'tags', 'servicePrincipalNames', 'accountEnabled', 'passwordCredentials'].join(',');
/** Enough of a resource service principal to name its permissions. */
export const RESOURCE_SELECT = ['id', 'appId', 'displayName', 'appRoles', 'oauth2PermissionScopes'].join(',');

const eq = (prop: string, value: string) => encodeURIComponent(`${prop} eq '${value.replace(/'/g, "''")}'`);

/** `/applications(appId='…')` or `(uniqueName='…')`: the application addressed by its alternate key. */
export const appKey = (key: { appId: string } | { uniqueName: string }) =>
  'appId' in key ? `/applications(appId='${odataString(key.appId)}')` : `/applications(uniqueName='${odataString(key.uniqueName)}')`;
export const appByAppIdPath = (appId: string) => `${appKey({ appId })}?$select=${APPLICATION_SELECT}`;
export const appByUniqueNamePath = (uniqueName: string) => `${appKey({ uniqueName })}?$select=${APPLICATION_SELECT}`;
/** The application's owners (users and service principals, each with its `@odata.type`). */
export const ownersPath = (key: { appId: string } | { uniqueName: string }) => `${appKey(key)}/owners`;
export const federatedCredentialsPath = (key: { appId: string } | { uniqueName: string }) => `${appKey(key)}/federatedIdentityCredentials`;
export const spByAppIdPath = (appId: string, select = SERVICE_PRINCIPAL_SELECT) => `/servicePrincipals?$filter=${eq('appId', appId)}&$select=${select}`;
/**
 * The portal application's own service principal, with Graph's default properties and no `$select`:
 * they include its certificates (`keyCredentials`, with `key` null) and secrets. Naming
 * keyCredentials in `$select` would return the keys too, and count against Graph's limit of 150 such
 * reads a minute per tenant (https://learn.microsoft.com/graph/api/serviceprincipal-get); that a
 * certificate is there at all is what matters here.
 */
export const ownSpPath = (appId: string) => `/servicePrincipals?$filter=${eq('appId', appId)}`;
export const spByIdPath = (id: string, select = RESOURCE_SELECT) => `/servicePrincipals/${encodeURIComponent(id)}?$select=${select}`;
/** AllPrincipals grants of a client; filtering on clientId also shortens replication delay (oauth2permissiongrant-list). */
export const grantsPath = (clientSpId: string) =>
  `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${clientSpId.replace(/'/g, "''")}' and consentType eq 'AllPrincipals'`)}`;
/** App roles granted to a service principal (the application permissions it holds). */
/** Deleted items (30 days; https://learn.microsoft.com/graph/api/directory-deleteditems-list): the cast is required. */
export const deletedAppsPath = (key: { appId: string } | { uniqueName: string }) =>
  `/directory/deletedItems/microsoft.graph.application?$filter=${'appId' in key ? eq('appId', key.appId) : eq('uniqueName', key.uniqueName)}&$select=${APPLICATION_SELECT},deletedDateTime`;
export const deletedSpsPath = (appId: string) => `/directory/deletedItems/microsoft.graph.servicePrincipal?$filter=${eq('appId', appId)}&$select=${SERVICE_PRINCIPAL_SELECT},deletedDateTime`;

export const appRoleAssignmentsPath = (spId: string) => `/servicePrincipals/${encodeURIComponent(spId)}/appRoleAssignments`;
