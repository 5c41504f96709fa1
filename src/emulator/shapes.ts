/**
 * Full Graph v1.0 object shapes with the defaults Entra echoes on create
 * (docs/graph.md, "Create and read": empty collections are `[]`, never null).
 */
import { randomUUID } from 'node:crypto';
import type { Application, AppRole, PermissionScope, ServicePrincipal } from './types.js';

/** Graph's timestamps: UTC, second precision, `Z` (e.g. 2024-05-01T10:20:30Z). */
export function graphDate(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newApplication(tenantDomain: string, displayName: string, now = Date.now()): Application {
  return {
    id: randomUUID(),
    deletedDateTime: null,
    appId: randomUUID(),
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    createdDateTime: graphDate(now),
    displayName,
    description: null,
    groupMembershipClaims: null,
    identifierUris: [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null,
    nativeAuthenticationApisEnabled: null,
    notes: null,
    publisherDomain: tenantDomain,
    serviceManagementReference: null,
    signInAudience: 'AzureADMyOrg',
    tags: [],
    tokenEncryptionKeyId: null,
    uniqueName: null,
    samlMetadataUrl: null,
    defaultRedirectUri: null,
    certification: null,
    optionalClaims: null,
    requestSignatureVerification: null,
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    passwordCredentials: [],
    publicClient: { redirectUris: [] },
    requiredResourceAccess: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: [],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      redirectUriSettings: [],
    },
    spa: { redirectUris: [] },
  };
}

export interface SpSeed {
  appId: string;
  displayName: string;
  appOwnerOrganizationId: string;
  signInAudience: string;
  servicePrincipalNames: string[];
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
  tags?: string[];
}

export function newServicePrincipal(seed: SpSeed): ServicePrincipal {
  return {
    id: randomUUID(),
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDisplayName: seed.displayName,
    appDescription: null,
    appId: seed.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: seed.appOwnerOrganizationId,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: seed.displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    servicePrincipalNames: seed.servicePrincipalNames,
    servicePrincipalType: 'Application',
    signInAudience: seed.signInAudience,
    tags: seed.tags ?? [],
    tokenEncryptionKeyId: null,
    samlSingleSignOnSettings: null,
    addIns: [],
    appRoles: seed.appRoles,
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: seed.oauth2PermissionScopes,
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

/** The service principal fields that follow its application while both live in one tenant. */
export function syncServicePrincipal(sp: ServicePrincipal, app: Application): void {
  sp.appDisplayName = app.displayName;
  sp.displayName = app.displayName;
  sp.signInAudience = app.signInAudience;
  sp.appRoles = structuredClone(app.appRoles);
  sp.oauth2PermissionScopes = structuredClone(app.api.oauth2PermissionScopes);
  sp.servicePrincipalNames = [app.appId, ...app.identifierUris];
  const web = app.web as { redirectUris?: string[] } | undefined;
  const spa = app.spa as { redirectUris?: string[] } | undefined;
  sp.replyUrls = [...(web?.redirectUris ?? []), ...(spa?.redirectUris ?? [])];
}
