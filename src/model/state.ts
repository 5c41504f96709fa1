/**
 * The two states the reconciler compares: `Observed` (what Entra holds now, read by
 * src/reconcile/observe.ts in one `$batch` plus one more round trip) and `DesiredState` (what the
 * config asks for, built by src/reconcile/desired.ts). One shape each, used by `apply`'s plan,
 * its execution and `test-portal`'s entra.* checks alike.
 */
import type {
  AppRoleAssignment,
  Application,
  DirectoryObject,
  FederatedIdentityCredential,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from './graph.js';
import type { PortalAudience } from './portal.js';

/** What Entra holds now. Absent objects are `undefined`. */
export interface Observed {
  application?: Application;
  /**
   * In a customer tenant (service providers, docs/service-providers.md): the appId of the provider's
   * application. The application itself lives in the provider's tenant, so `application` is absent
   * and `federatedCredentials` empty here; the service principal and the grants are this appId's.
   */
  providerAppId?: string;
  /** the application's federated identity credentials (empty when there is no application) */
  federatedCredentials: FederatedIdentityCredential[];
  /** the application's own service principal (enterprise application) */
  servicePrincipal?: ServicePrincipal;
  /**
   * Resource service principals by appId (lowercase): always Microsoft Graph, plus every resource the
   * application's requiredResourceAccess names (so unmanaged permissions can be shown by name).
   */
  resources: Record<string, ServicePrincipal | undefined>;
  /** AllPrincipals oauth2PermissionGrants whose client is the application's service principal */
  grants: OAuth2PermissionGrant[];
  /** app roles granted to the application's service principal (application permissions it holds) */
  appRoleAssignments: AppRoleAssignment[];
  /** the application's owners; read only when the config manages them (`application.owners`) */
  owners?: DirectoryObject[];
  /**
   * Entra keeps a deleted application (and the service principal deleted with it) for 30 days in
   * deleted items, its uniqueName still taken: read there when the live object is missing, so it is
   * restored — same appId, same object ids, grants kept — never registered a second time.
   */
  deleted?: { application?: Application & { deletedDateTime: string }; servicePrincipal?: ServicePrincipal & { deletedDateTime: string } };
}

/** A certificate the config manages; `derBase64` (public) never enters a plan. */
export interface DesiredCertificate {
  /** SHA-1 of the DER, uppercase hex */
  thumbprint: string;
  subject: string;
  /** ISO 8601 UTC */
  notBefore: string;
  notAfter: string;
  derBase64: string;
  /** 'current' (certificate.*) or 'previous' (certificate.previous, during a rotation) */
  role: 'current' | 'previous';
}

/**
 * The end state the config asks for. Every aspect of the application's security surface is
 * described: what is not listed here is unmanaged (reported as drift, removed by --prune).
 */
export interface DesiredState {
  displayName?: string;
  uniqueName?: string;
  appId?: string;
  signInAudience: PortalAudience;
  /** true when the config does not say `application.multiTenant` (an older file): read as single-tenant */
  audienceDefaulted: boolean;
  /** normalised SPA redirect URIs: the portal URL first, then the extra ones (may be empty) */
  redirectUris: string[];
  /** the registered certificates the config manages (current, and previous during a rotation) */
  certificates: DesiredCertificate[];
  /**
   * The application's owners (object ids, lowercase), when the config lists them
   * (`application.owners`); undefined: owners are not managed, and not read.
   */
  owners?: string[];
}
