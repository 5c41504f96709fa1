/**
 * The emulator's public contract and the shapes of its state (docs/emulator.md).
 * Directory objects are kept as plain JSON records in Graph's own wire shape, so reads are a
 * projection ($select) of what is stored.
 */

export interface EmulatorTenant {
  id: string;
  domain: string;
  /** holds Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All, Application.Read.All */
  operator: { clientId: string; clientSecret: string };
  /** no roles at all: every Graph call it makes gets 403 */
  unprivileged: { clientId: string; clientSecret: string };
}

export interface RequestLogEntry {
  /** 1, 2, 3… in the order the entries were logged (still counts when old entries are dropped) */
  seq: number;
  method: string;
  /** the request target as sent (path and query) */
  path: string;
  status: number;
  durationMs: number;
  /** tenant id the request acted on (from the token or the login path) */
  tenant?: string;
  /** true when the request committed a change to the directory */
  write: boolean;
  /** on a `$batch` entry: how many requests it carried */
  batchItems?: number;
  /** set on the entries logged for the items of a `$batch` (they are not round trips of their own) */
  inBatch?: boolean;
}

export interface RestorePortalSettings {
  applicationId: string;
  msalAuthorityUri: string;
  restorePortalUri: string;
  isEnabled: boolean;
}

/**
 * The emulator's directory time. It drives replication lag (`lag` fault), the 30 days deleted items
 * are kept, and the timestamps of directory objects (createdDateTime, deletedDateTime). Tests pass
 * a clock they advance (e.g. the same fake clock as the code under test, whose retry sleeps then
 * advance it) so lag and retention need no real waiting.
 * Access tokens, client assertions, addKey proofs and certificate validity stay on the wall clock:
 * the clients that hold them (MSAL, @azure/identity) judge expiry by it.
 */
export interface EmulatorClock {
  now(): number;
}

/**
 * A pre-generated PKI for fresh emulator states, so a test need not generate three RSA keys per new
 * state. JSON-serialisable as is (a checked-in fixture file); `generatePki()` makes one.
 * Used only when the state is new (in memory, or no state file yet); an existing state keeps its own.
 * A server certificate near its end is re-issued from the same key and CA (no key generation).
 */
export interface EmulatorPki {
  format: 'entra-portal-emulator-pki';
  version: 1;
  /** the CA: name-constrained to localhost, 127.0.0.1 and ::1 (generatePki makes it so) */
  ca: KeyPairPem;
  /** TLS certificate for 127.0.0.1, ::1 and localhost, issued by `ca` */
  server: KeyPairPem;
  /**
   * RSA key the emulator signs access tokens with, and its self-signed certificate (published in the
   * JWKS `x5c`; made from the key when absent). `kid` is derived from the certificate (a given one is ignored).
   */
  signing: { kid?: string; keyPem: string; certPem?: string };
}

export interface EmulatorOptions {
  /** 0 = ephemeral (default) */
  port?: number;
  /** JSON file; omitted = in memory */
  statePath?: string;
  /**
   * What holds the state file, written in its lock (e.g. 'emulator' for `entra-portal emulator`), so
   * another run that finds it held can say what holds it, and whether waiting makes sense.
   */
  lockPurpose?: string;
  /** "latency=50,throttle=0.2,unavailable=0.1,lag=5000,drop-after-write=3,seed=7,retry-after=1" */
  faults?: string;
  /** directory time (default: the wall clock) */
  clock?: EmulatorClock;
  /** key material for a new state: an EmulatorPki, or the path of a JSON file holding one */
  pki?: EmulatorPki | string;
  /**
   * How many entries `requests` keeps (default 10,000; 0 keeps none). Older entries are dropped,
   * so a long-running emulator's memory stays bounded; `seq` keeps counting.
   */
  requestLogLimit?: number;
  /**
   * With a state file: the journal of changes beside it is folded into a new snapshot once it is
   * larger than this many bytes and than the snapshot (default 1 MiB). Tests lower it to exercise
   * compaction.
   */
  compactBytes?: number;
  /**
   * Device-code sign-ins: 'auto' (default) approves a code nobody signed in at `/devicelogin` as the
   * tenant's administrator at the client's first poll; 'manual' keeps answering authorization_pending
   * until `GET /devicelogin?code=<user code>&user=<upn>` signs a user in (tests of a plain user).
   */
  deviceLogin?: 'auto' | 'manual';
  /** extra tenant domains (or ids) to create if missing */
  tenants?: string[];
  restoreApi?: { port: number; settings: () => RestorePortalSettings | Promise<RestorePortalSettings> };
  /** lifetime of issued access tokens in seconds (default 3599, as Entra's `expires_in`) */
  tokenLifetimeSeconds?: number;
}

export interface EmulatorHandle {
  /** https://127.0.0.1:PORT — both the login authority host and the Graph root */
  url: string;
  /** PEM file of the emulator CA (NODE_EXTRA_CA_CERTS / curl --cacert) */
  caFile: string;
  caPem: string;
  tenants: EmulatorTenant[];
  /** the request log, appended live: the most recent `requestLogLimit` entries */
  requests: RequestLogEntry[];
  ensureTenant(domainOrId: string): Promise<EmulatorTenant>;
  restoreApiUrl?: string;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- stored shapes

/** A directory object as Graph returns it; the typed fields are the ones the emulator reads. */
export type GraphObject = Record<string, unknown>;

export interface KeyCredential {
  customKeyIdentifier: string | null;
  displayName: string | null;
  endDateTime: string;
  key: string | null;
  keyId: string;
  startDateTime: string;
  type: string;
  usage: string;
}

export interface PasswordCredential {
  customKeyIdentifier: null;
  displayName: string | null;
  endDateTime: string;
  hint: string;
  keyId: string;
  secretText: null;
  startDateTime: string;
}

export interface FederatedIdentityCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

export interface PermissionScope {
  id: string;
  value: string;
  isEnabled: boolean;
  type: string;
  [k: string]: unknown;
}

export interface AppRole {
  id: string;
  value: string | null;
  isEnabled: boolean;
  allowedMemberTypes: string[];
  [k: string]: unknown;
}

export interface Application extends GraphObject {
  id: string;
  /** set while the application is in deleted items */
  deletedDateTime: string | null;
  appId: string;
  displayName: string;
  uniqueName: string | null;
  signInAudience: string;
  identifierUris: string[];
  keyCredentials: KeyCredential[];
  passwordCredentials: PasswordCredential[];
  /** a navigation property: served at /applications/{id}/federatedIdentityCredentials, absent in older states */
  federatedIdentityCredentials?: FederatedIdentityCredential[];
  appRoles: AppRole[];
  api: { oauth2PermissionScopes: PermissionScope[]; [k: string]: unknown };
  tags: string[];
  isFallbackPublicClient: boolean | null;
  createdDateTime: string;
}

export interface ServicePrincipal extends GraphObject {
  id: string;
  /** set while the service principal is in deleted items */
  deletedDateTime: string | null;
  appId: string;
  displayName: string;
  servicePrincipalNames: string[];
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
  tags: string[];
  appOwnerOrganizationId: string;
  /** secrets added with servicePrincipals/{id}/addPassword (absent in states written before they were modelled) */
  passwordCredentials: PasswordCredential[];
  keyCredentials: KeyCredential[];
}

export interface AppRoleAssignment extends GraphObject {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  deletedDateTime: null;
  principalDisplayName: string;
  principalId: string;
  principalType: string;
  resourceDisplayName: string;
  resourceId: string;
}

export interface PermissionGrant extends GraphObject {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface StoredSecret {
  /** object id of the application the secret belongs to */
  applicationId: string;
  keyId: string;
  secretText: string;
}

/** A tenant's own fields (without its tables of directory objects). */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

export interface TenantMeta {
  id: string;
  domain: string;
  /** a Global Administrator (device-code sign-ins are approved as this user unless told otherwise) */
  admin: DirectoryUser;
  /** a user without directory roles (absent in older states: derived from the tenant id) */
  member?: DirectoryUser;
  /** GET/PATCH /policies/defaultAppManagementPolicy (absent in older states: the disabled default) */
  defaultAppManagementPolicy?: GraphObject;
  operator: { clientId: string; clientSecret: string };
  unprivileged: { clientId: string; clientSecret: string };
}

export interface TenantState extends TenantMeta {
  applications: Application[];
  servicePrincipals: ServicePrincipal[];
  appRoleAssignments: AppRoleAssignment[];
  oauth2PermissionGrants: PermissionGrant[];
  secrets: StoredSecret[];
  /** deleted items (absent in states written before soft delete was modelled) */
  deletedApplications?: Application[];
  deletedServicePrincipals?: ServicePrincipal[];
  /** owners of applications: one record per application object id */
  owners?: OwnerList[];
  /** per-application app management policies, and their assignments (by application object id) */
  appManagementPolicies?: GraphObject[];
  appManagementPolicyAssignments?: { id: string; policies: string[] }[];
}

/** The owners of a directory object (users or service principals), by object id. */
export interface OwnerList {
  id: string;
  owners: string[];
}

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface StateFile {
  format: 'entra-portal-emulator-state';
  version: 1;
  /** names this state: the journal beside it (`<file>.journal`) belongs to the snapshot of this id and generation */
  stateId?: string;
  /** bumped by every snapshot written (compaction) */
  generation?: number;
  ca: KeyPairPem;
  server: KeyPairPem;
  /** the key the emulator signs tokens with, its certificate (JWKS x5c; absent in older states) and kid (x5t) */
  signing: { kid: string; keyPem: string; certPem?: string };
  tenants: TenantState[];
}

/** What a verified access token says, cached per Authorization header (graph/auth.ts). */
export interface VerifiedToken {
  audOk: boolean;
  exp: unknown;
  nbf: unknown;
  tid: unknown;
  issOk: boolean;
  user: boolean;
  oid: string;
  appId: string;
  /** application permissions, or a user's delegated scopes; shared by every call with this token: never mutated */
  roles: ReadonlySet<string>;
  /** a user token's `wids` holds Global Administrator */
  globalAdmin: boolean;
}

// ---------------------------------------------------------------- app management policies (app-policy.ts)

export const DEFAULT_POLICY_ID = '00000000-0000-0000-0000-000000000000';

export interface CredentialRestriction {
  restrictionType: string;
  maxLifetime: string | null;
  restrictForAppsCreatedAfterDateTime: string | null;
  [k: string]: unknown;
}

export interface Restrictions {
  passwordCredentials: CredentialRestriction[];
  keyCredentials: CredentialRestriction[];
}

export interface AppManagementPolicy {
  id: string;
  displayName: string;
  description: string | null;
  isEnabled: boolean;
  restrictions: Restrictions;
}

export interface TenantAppManagementPolicy {
  id: string;
  displayName: string;
  description: string;
  isEnabled: boolean;
  applicationRestrictions: Restrictions;
  servicePrincipalRestrictions: Restrictions;
}

/** The tenant default as a new tenant has it: disabled, no restrictions. */
export function defaultTenantPolicy(): TenantAppManagementPolicy {
  return {
    id: DEFAULT_POLICY_ID,
    displayName: 'Default app management tenant policy',
    description:
      'Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.',
    isEnabled: false,
    applicationRestrictions: { passwordCredentials: [], keyCredentials: [] },
    servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
  };
}

