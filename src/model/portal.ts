/**
 * Fixed facts of the Restore Portal application: what Veeam Backup for Microsoft 365 itself
 * registers (docs/managed-surface.md lists every aspect with its sources).
 *
 * Permission ids: https://learn.microsoft.com/graph/permissions-reference
 * The access_as_user scope and its texts: Veeam's own registration (VeeamHub/powershell,
 * VB365-RestorePortalSetup/New-VB365EnterpriseApplication.ps1) and
 * https://helpcenter.veeam.com/docs/vbo365/guide/ssp_ad_application_permissions.html
 */

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const USER_READ_SCOPE_ID = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
export const USER_READ = 'User.Read';
export const ACCESS_AS_USER = 'access_as_user';
/** The service principal tag the Entra admin center (and VB365) put on integrated apps. */
export const INTEGRATED_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';

export const AUDIENCE_SINGLE = 'AzureADMyOrg';
export const AUDIENCE_MULTI = 'AzureADMultipleOrgs';
export type PortalAudience = typeof AUDIENCE_SINGLE | typeof AUDIENCE_MULTI;

/** Consent texts VB365's own registration uses. */
export const ACCESS_AS_USER_TEXTS = {
  adminConsentDisplayName: 'Access Veeam Backup for Microsoft 365 Restore Portal',
  adminConsentDescription: 'Allows access to Veeam Backup for Microsoft 365 Restore Portal as the signed-in user',
  userConsentDisplayName: 'Access Veeam Backup for Microsoft 365 Restore Portal',
  userConsentDescription: 'Allows access to Veeam Backup for Microsoft 365 Restore Portal on your behalf',
} as const;

export const identifierUriFor = (appId: string): string => `api://${appId}`;

/** How the plan names the two consent resources. */
export type ConsentTargetName = 'Microsoft Graph' | 'this application';

export interface ConsentTarget {
  target: ConsentTargetName;
  /** the delegated scope values admin consent must cover, exactly */
  scopes: readonly string[];
}

/** Admin consent: exactly these AllPrincipals grants, with exactly these scopes. */
export const CONSENT_TARGETS: readonly ConsentTarget[] = [
  { target: 'Microsoft Graph', scopes: [USER_READ] },
  { target: 'this application', scopes: [ACCESS_AS_USER] },
];

/** Placeholder the plan shows for values Entra assigns on create (the appId). */
export const ASSIGNED_ON_CREATE = '(assigned on create)';
