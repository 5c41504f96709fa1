/**
 * One emulated tenant in memory: its objects indexed by id and by their alternate keys
 * (appId, uniqueName), plus the in-memory creation times that the `lag` fault reads.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { FIRST_PARTY, GRAPH_APP_ID, GRAPH_ROLES, MICROSOFT_TENANT_ID, OPERATOR_ROLES } from './seed-data.js';
import { graphDate, newApplication, newServicePrincipal, syncServicePrincipal } from './shapes.js';
import type {
  Application,
  AppRoleAssignment,
  PermissionGrant,
  ServicePrincipal,
  StoredSecret,
  TenantState,
} from './types.js';

export class Tenant {
  readonly id: string;
  readonly domain: string;
  readonly admin: TenantState['admin'];
  readonly operator: TenantState['operator'];
  readonly unprivileged: TenantState['unprivileged'];
  readonly apps = new Map<string, Application>();
  readonly appsByAppId = new Map<string, Application>();
  readonly appsByUniqueName = new Map<string, Application>();
  readonly sps = new Map<string, ServicePrincipal>();
  readonly spsByAppId = new Map<string, ServicePrincipal>();
  readonly assignments = new Map<string, AppRoleAssignment>();
  readonly grants = new Map<string, PermissionGrant>();
  readonly secrets: StoredSecret[];
  /** object id → creation time (ms), for replication lag; not persisted */
  readonly createdAt = new Map<string, number>();

  constructor(state: TenantState) {
    this.id = state.id;
    this.domain = state.domain;
    this.admin = state.admin;
    this.operator = state.operator;
    this.unprivileged = state.unprivileged;
    this.secrets = state.secrets;
    for (const a of state.applications) this.indexApp(a);
    for (const s of state.servicePrincipals) this.indexSp(s);
    for (const r of state.appRoleAssignments) this.assignments.set(r.id, r);
    for (const g of state.oauth2PermissionGrants) this.grants.set(g.id, g);
  }

  toState(): TenantState {
    return {
      id: this.id,
      domain: this.domain,
      admin: this.admin,
      operator: this.operator,
      unprivileged: this.unprivileged,
      applications: [...this.apps.values()],
      servicePrincipals: [...this.sps.values()],
      appRoleAssignments: [...this.assignments.values()],
      oauth2PermissionGrants: [...this.grants.values()],
      secrets: this.secrets,
    };
  }

  indexApp(app: Application): void {
    this.apps.set(app.id, app);
    this.appsByAppId.set(app.appId, app);
    if (app.uniqueName) this.appsByUniqueName.set(app.uniqueName.toLowerCase(), app);
  }

  removeApp(app: Application): void {
    this.apps.delete(app.id);
    this.appsByAppId.delete(app.appId);
    if (app.uniqueName) this.appsByUniqueName.delete(app.uniqueName.toLowerCase());
    this.secrets.splice(0, this.secrets.length, ...this.secrets.filter((s) => s.applicationId !== app.id));
  }

  indexSp(sp: ServicePrincipal): void {
    this.sps.set(sp.id, sp);
    this.spsByAppId.set(sp.appId, sp);
  }

  /** Removes the service principal and everything that points at it (assignments, grants). */
  removeSp(sp: ServicePrincipal): void {
    this.sps.delete(sp.id);
    this.spsByAppId.delete(sp.appId);
    for (const [id, a] of this.assignments) if (a.principalId === sp.id || a.resourceId === sp.id) this.assignments.delete(id);
    for (const [id, g] of this.grants) if (g.clientId === sp.id || g.resourceId === sp.id) this.grants.delete(id);
  }

  get graphSp(): ServicePrincipal | undefined {
    return this.spsByAppId.get(GRAPH_APP_ID);
  }

  /** App role values the service principal holds on the resource (the `roles` claim). */
  rolesOf(spId: string, resourceId: string): string[] {
    const resource = this.sps.get(resourceId);
    if (!resource) return [];
    const out: string[] = [];
    for (const a of this.assignments.values()) {
      if (a.principalId !== spId || a.resourceId !== resourceId) continue;
      const r = resource.appRoles.find((x) => x.id === a.appRoleId);
      if (r?.value && r.isEnabled) out.push(r.value);
    }
    return out;
  }

  /** Graph-style opaque ids for assignments and grants (base64url, not GUIDs). */
  static opaqueId(): string {
    return randomBytes(32).toString('base64url').slice(0, 43);
  }

  assign(principal: ServicePrincipal, resource: ServicePrincipal, appRoleId: string): AppRoleAssignment {
    const a: AppRoleAssignment = {
      id: Tenant.opaqueId(),
      deletedDateTime: null,
      appRoleId,
      createdDateTime: graphDate(),
      principalDisplayName: principal.displayName,
      principalId: principal.id,
      principalType: 'ServicePrincipal',
      resourceDisplayName: resource.displayName,
      resourceId: resource.id,
    };
    this.assignments.set(a.id, a);
    return a;
  }
}

/** A GUID-looking id derived from a name, so seeded tenants keep the same id across fresh states. */
export function stableGuid(name: string): string {
  const h = createHash('sha256').update(`entra-portal-emulator:${name.toLowerCase()}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A client secret in Entra's format (3 chars, `8Q~`, 34 chars). */
export function newSecretText(): string {
  const r = randomBytes(40).toString('base64url').replace(/[-_]/g, 'x');
  return `${r.slice(0, 3)}8Q~${r.slice(3, 37)}`;
}

export function addSecret(tenant: Tenant, app: Application, displayName: string | null, secretText = newSecretText()): { keyId: string; secretText: string; credential: Application['passwordCredentials'][number] } {
  const keyId = randomUUID();
  const now = Date.now();
  const credential = {
    customKeyIdentifier: null,
    displayName,
    endDateTime: graphDate(now + 2 * 365 * 86_400_000),
    hint: secretText.slice(0, 3),
    keyId,
    secretText: null,
    startDateTime: graphDate(now),
  } as const;
  app.passwordCredentials.push({ ...credential });
  tenant.secrets.push({ applicationId: app.id, keyId, secretText });
  return { keyId, secretText, credential: { ...credential } };
}

function seededClient(tenant: Tenant, name: string, roles: readonly string[]): { clientId: string; clientSecret: string } {
  const app = newApplication(tenant.domain, name);
  app.notes = 'Seeded by the entra-portal emulator. Its client secret is a throwaway emulator credential.';
  tenant.indexApp(app);
  const { secretText } = addSecret(tenant, app, 'emulator operator secret');
  const sp = newServicePrincipal({
    appId: app.appId,
    displayName: name,
    appOwnerOrganizationId: tenant.id,
    signInAudience: app.signInAudience,
    servicePrincipalNames: [app.appId],
    appRoles: [],
    oauth2PermissionScopes: [],
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
  });
  syncServicePrincipal(sp, app);
  tenant.indexSp(sp);
  const graph = tenant.graphSp!;
  for (const r of roles) tenant.assign(sp, graph, GRAPH_ROLES[r]!);
  return { clientId: app.appId, clientSecret: secretText };
}

/** A new tenant with the first-party service principals, an administrator and the two operators. */
export function seedTenant(domain: string, id = stableGuid(domain)): Tenant {
  const prefix = domain.split('.')[0] ?? domain;
  const tenant = new Tenant({
    id,
    domain: domain.toLowerCase(),
    admin: { id: randomUUID(), userPrincipalName: `admin@${domain.toLowerCase()}`, displayName: `${prefix} administrator` },
    operator: { clientId: '', clientSecret: '' },
    unprivileged: { clientId: '', clientSecret: '' },
    applications: [],
    servicePrincipals: [],
    appRoleAssignments: [],
    oauth2PermissionGrants: [],
    secrets: [],
  });
  for (const fp of FIRST_PARTY) {
    tenant.indexSp(
      newServicePrincipal({
        appId: fp.appId,
        displayName: fp.displayName,
        appOwnerOrganizationId: MICROSOFT_TENANT_ID,
        signInAudience: 'AzureADMultipleOrgs',
        servicePrincipalNames: [...fp.servicePrincipalNames],
        appRoles: structuredClone(fp.appRoles),
        oauth2PermissionScopes: structuredClone(fp.oauth2PermissionScopes),
      }),
    );
  }
  Object.assign(tenant.operator, seededClient(tenant, 'entra-portal emulator operator', OPERATOR_ROLES));
  Object.assign(tenant.unprivileged, seededClient(tenant, 'entra-portal emulator unprivileged operator', []));
  return tenant;
}
