/**
 * Fixed facts of the Restore Portal application (DESIGN §1; shared/reference/restore-portal.md §1;
 * permission ids from shared/reference/graph-behaviour.md §9).
 */

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const USER_READ_SCOPE_ID = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
export const USER_READ = 'User.Read';
export const ACCESS_AS_USER = 'access_as_user';
export const INTEGRATED_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';

/** Consent texts VB365's own registration uses (VeeamHub New-VB365EnterpriseApplication.ps1). */
export const ACCESS_AS_USER_TEXTS = {
  adminConsentDisplayName: 'Access Veeam Backup for Microsoft 365 Restore Portal',
  adminConsentDescription: 'Allows access to Veeam Backup for Microsoft 365 Restore Portal as the signed-in user',
  userConsentDisplayName: 'Access Veeam Backup for Microsoft 365 Restore Portal',
  userConsentDescription: 'Allows access to Veeam Backup for Microsoft 365 Restore Portal on your behalf',
} as const;

/** Placeholder the plan shows for values Entra assigns on create (the appId). */
export const ASSIGNED_ON_CREATE = '(assigned on create)';

export const identifierUriFor = (appId: string): string => `api://${appId}`;
/** Placeholder the plan shows for the id a new access_as_user scope will get. */
export const NEW_SCOPE_ID = '(new scope id)';
