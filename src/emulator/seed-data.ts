/**
 * What every emulated tenant starts with: the first-party resource service principals with their
 * real appIds and permission ids (docs/graph.md "Permission ids"), Microsoft's public clients, and the
 * roles the operator holds.
 */
import type { AppRole, PermissionScope } from './types.js';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const SHAREPOINT_APP_ID = '00000003-0000-0ff1-ce00-000000000000';
/** the Microsoft Services tenant that owns first-party applications */
export const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** Microsoft Graph application permissions (app roles): value → id. */
export const GRAPH_ROLES: Record<string, string> = {
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
  'Sites.Read.All': '332a536c-c7ef-4017-ab91-336970924f0d',
  'Files.Read.All': '01d4889c-1287-42c6-ac1f-5d1e02578ef6',
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'AppRoleAssignment.ReadWrite.All': '06b708a9-e830-4db3-a914-8e69da51d44f',
  'DelegatedPermissionGrant.ReadWrite.All': '8e8e4742-1d95-4f68-9d56-6ee75648c72a',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
  'Policy.ReadWrite.ApplicationConfiguration': 'be74164b-cff1-491c-8741-e671cb536e13',
};

/** Microsoft Graph delegated permissions (scopes): value → [id, type]. */
export const GRAPH_SCOPES: Record<string, [string, 'User' | 'Admin']> = {
  'User.Read': ['e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'User'],
  'User.Read.All': ['a154be20-db9c-4678-8ab7-66f6cc099a59', 'Admin'],
  'Directory.Read.All': ['06da0dbc-49e2-44d2-8312-53f166ab848a', 'Admin'],
  'Group.Read.All': ['5f8c59db-677d-491f-a6b8-5f174b11ec1d', 'Admin'],
  'Sites.Read.All': ['205e70e5-aba6-4c52-a976-6d2d46c48043', 'User'],
  'Files.Read.All': ['df85f4d6-205c-4ac5-a5ea-6bf408dba283', 'User'],
  'Mail.Read': ['570282fd-fa5c-430d-a7fd-fc8dc98a9dca', 'User'],
  offline_access: ['7427e0e9-2fba-42fe-b0c0-848c9e6a8182', 'User'],
  openid: ['37f7f235-527c-4136-accd-4a02d197296e', 'User'],
  profile: ['14dad69e-099b-42c9-810b-d002981feec1', 'User'],
  email: ['64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', 'User'],
  'Application.ReadWrite.All': ['bdfbf15f-ee85-4955-8675-146e8e5296b5', 'Admin'],
  'Application.Read.All': ['c79f8feb-a9db-4090-85f9-90d820caa0eb', 'Admin'],
  'AppRoleAssignment.ReadWrite.All': ['84bccea3-f856-4a8a-967b-dbe0a3d53a64', 'Admin'],
  'DelegatedPermissionGrant.ReadWrite.All': ['41ce6ca6-6826-4807-84f1-1c82854f7ee5', 'Admin'],
  'Directory.AccessAsUser.All': ['0e263e50-5827-48a4-b97c-d940288653c7', 'Admin'],
  'Directory.ReadWrite.All': ['c5366453-9fb0-48a5-a156-24f0c49a4b84', 'Admin'],
  'Group.ReadWrite.All': ['4e46008b-f24c-477d-8fff-7bb4ec7aafe0', 'Admin'],
  'EWS.AccessAsUser.All': ['9769c687-087d-48ac-9cb3-c37dde652038', 'User'],
};

/** The roles the seeded operator holds (docs/emulator.md): what apply needs, and the app management policies. */
export const OPERATOR_ROLES = [
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Application.Read.All',
  'Policy.Read.All',
  'Policy.ReadWrite.ApplicationConfiguration',
] as const;

/** Directory role template ids (the `wids` claim). */
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/**
 * Microsoft's public clients a tenant knows without registering them (their service principals exist
 * in every tenant), with the delegated Microsoft Graph scopes they are consented for. The Azure CLI's
 * client id is also @azure/identity's default for DeviceCodeCredential. The scope list approximates
 * what a real tenant grants the Azure CLI (its tokens carry Directory.AccessAsUser.All).
 */
export const FIRST_PARTY_CLIENTS = [
  {
    appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    displayName: 'Microsoft Azure CLI',
    graphScopes: 'Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.AccessAsUser.All Group.ReadWrite.All User.Read.All email openid profile',
  },
] as const;

function role(value: string, id: string, resource: string): AppRole {
  return {
    allowedMemberTypes: ['Application'],
    description: `Allows the app to use ${value} in ${resource} without a signed-in user.`,
    displayName: value,
    id,
    isEnabled: true,
    origin: 'Application',
    value,
  };
}

function scope(value: string, id: string, type: string, resource: string): PermissionScope {
  return {
    adminConsentDescription: `Allows the app to use ${value} in ${resource} on behalf of the signed-in user.`,
    adminConsentDisplayName: value,
    id,
    isEnabled: true,
    type,
    userConsentDescription: type === 'User' ? `Allows the app to use ${value} on your behalf.` : null,
    userConsentDisplayName: type === 'User' ? value : null,
    value,
  };
}

export interface FirstPartyResource {
  appId: string;
  displayName: string;
  servicePrincipalNames: string[];
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
}

export const FIRST_PARTY: FirstPartyResource[] = [
  {
    appId: GRAPH_APP_ID,
    displayName: 'Microsoft Graph',
    servicePrincipalNames: [
      GRAPH_APP_ID,
      `${GRAPH_APP_ID}/ags.windows.net`,
      'https://graph.microsoft.com',
      'https://graph.microsoft.com/',
      'https://canary.graph.microsoft.com',
      'https://ags.windows.net',
    ],
    appRoles: Object.entries(GRAPH_ROLES).map(([v, id]) => role(v, id, 'Microsoft Graph')),
    oauth2PermissionScopes: Object.entries(GRAPH_SCOPES).map(([v, [id, t]]) => scope(v, id, t, 'Microsoft Graph')),
  },
  {
    appId: EXCHANGE_APP_ID,
    displayName: 'Office 365 Exchange Online',
    servicePrincipalNames: [EXCHANGE_APP_ID, 'https://outlook.office365.com/', 'https://outlook.office.com/', 'outlook.office365.com'],
    appRoles: [role('full_access_as_app', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', 'Exchange Online')],
    oauth2PermissionScopes: [
      { ...scope('EWS.AccessAsUser.All', '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5', 'User', 'Exchange Online'), value: 'full_access_as_user', adminConsentDisplayName: 'Access mailboxes as the signed-in user via Exchange Web Services' },
    ],
  },
  {
    appId: SHAREPOINT_APP_ID,
    displayName: 'Office 365 SharePoint Online',
    servicePrincipalNames: [SHAREPOINT_APP_ID, 'https://microsoft.sharepoint-df.com'],
    appRoles: [role('Sites.FullControl.All', '678536fe-1083-478a-9c59-b99265e6b0d3', 'SharePoint Online')],
    oauth2PermissionScopes: [scope('AllSites.FullControl', '56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0', 'Admin', 'SharePoint Online')],
  },
];
