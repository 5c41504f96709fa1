/**
 * One emulated tenant in memory: its tables of directory objects (table.ts: each remembers what
 * changed for the next durable commit), the indexes by alternate keys (appId, uniqueName), deleted
 * items (soft delete; docs/emulator.md) and the in-memory creation times that the `lag` fault reads.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GLOBAL_ADMINISTRATOR, GRAPH_APP_ID } from './seed-data.js';
import { graphDate } from './shapes.js';
import { Table } from './table.js';

import { defaultTenantPolicy, type AppManagementPolicy, type TenantAppManagementPolicy } from './types.js';
import type { Application, AppRoleAssignment, DirectoryUser, GraphObject, OwnerList, PermissionGrant, ServicePrincipal, StoredSecret, TenantMeta, TenantState } from './types.js';

/** Deleted applications and service principals are kept this long, then purged (application-delete). */
export const DELETED_RETENTION_MS = 30 * 86_400_000;

/** The tables of a tenant, by their key in the state file (TenantState). */
export const TABLE_KINDS = [
  'applications',
  'servicePrincipals',
  'appRoleAssignments',
  'oauth2PermissionGrants',
  'secrets',
  'deletedApplications',
  'deletedServicePrincipals',
  'owners',
  'appManagementPolicies',
  'appManagementPolicyAssignments',
] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export class Tenant {
  readonly id: string;
  readonly domain: string;
  readonly admin: TenantState['admin'];
  readonly member: DirectoryUser;
  readonly operator: TenantState['operator'];
  readonly unprivileged: TenantState['unprivileged'];
  readonly apps: Table<Application>;
  readonly appsByAppId = new Map<string, Application>();
  readonly appsByUniqueName = new Map<string, Application>();
  readonly sps: Table<ServicePrincipal>;
  readonly spsByAppId = new Map<string, ServicePrincipal>();
  readonly assignments: Table<AppRoleAssignment>;
  readonly grants: Table<PermissionGrant>;
  /** client secrets by keyId */
  readonly secrets: Table<StoredSecret>;
  /** deleted items: restorable until deletedDateTime + 30 days, then purged */
  readonly deletedApps: Table<Application>;
  readonly deletedSps: Table<ServicePrincipal>;
  /** owners of applications (by application object id) */
  readonly owners: Table<OwnerList>;
  /** app management policies, and which apply to which application (by application object id) */
  readonly appPolicies: Table<AppManagementPolicy>;
  readonly policyAssignments: Table<{ id: string; policies: string[] }>;
  /** the tenant's default app management policy (one of its own fields: metaChanged when set) */
  defaultAppPolicy: TenantAppManagementPolicy;
  /** lower-cased uniqueName → deleted application that still reserves it */
  readonly deletedByUniqueName = new Map<string, Application>();
  /**
   * Objects changed within the `lag`/`grant-lag` faults' window (not persisted): until when, and the version
   * the replicas still serve (null: the object did not exist there yet). engine.ts reads it.
   */
  readonly lagging = new Map<string, { until: number; before: Record<string, unknown> | null }>();
  /** the tenant's own fields (not its tables) changed since the last commit */
  metaChanged = false;

  constructor(state: TenantState) {
    this.id = state.id;
    this.domain = state.domain;
    this.admin = state.admin;
    this.member = state.member ?? memberOf(state.id, state.domain);
    this.operator = state.operator;
    this.unprivileged = state.unprivileged;
    const byId = <T extends { id: string }>(kind: TableKind, rows: T[] | undefined) => new Table<T>(kind, (rows ?? []).map((r) => [r.id, r] as const));
    this.apps = byId('applications', state.applications);
    this.sps = byId('servicePrincipals', state.servicePrincipals);
    this.assignments = byId('appRoleAssignments', state.appRoleAssignments);
    this.grants = byId('oauth2PermissionGrants', state.oauth2PermissionGrants);
    this.secrets = new Table<StoredSecret>('secrets', (state.secrets ?? []).map((x) => [x.keyId, x] as const));
    this.deletedApps = byId('deletedApplications', state.deletedApplications);
    this.deletedSps = byId('deletedServicePrincipals', state.deletedServicePrincipals);
    this.owners = byId('owners', state.owners);
    this.appPolicies = byId('appManagementPolicies', state.appManagementPolicies as AppManagementPolicy[] | undefined);
    this.policyAssignments = byId('appManagementPolicyAssignments', state.appManagementPolicyAssignments);
    this.defaultAppPolicy = (state.defaultAppManagementPolicy as TenantAppManagementPolicy | undefined) ?? defaultTenantPolicy();
    for (const a of this.apps.values()) this.indexApp(a);
    for (const sp of this.sps.values()) this.indexSp(sp);
    for (const a of this.deletedApps.values()) if (a.uniqueName) this.deletedByUniqueName.set(a.uniqueName.toLowerCase(), a);
  }

  /** The tables, for the store's commits and snapshots. */
  tables(): Table<unknown>[] {
    return [this.apps, this.sps, this.assignments, this.grants, this.secrets, this.deletedApps, this.deletedSps, this.owners, this.appPolicies, this.policyAssignments] as Table<unknown>[];
  }

  /** The tenant's own fields, without its tables. */
  meta(): TenantMeta {
    return {
      id: this.id,
      domain: this.domain,
      admin: this.admin,
      member: this.member,
      operator: this.operator,
      unprivileged: this.unprivileged,
      defaultAppManagementPolicy: this.defaultAppPolicy as unknown as GraphObject,
    };
  }

  toState(): TenantState {
    const state = { ...this.meta() } as TenantState;
    for (const t of this.tables()) (state as unknown as Record<string, unknown[]>)[t.kind] = [...t.values()];
    return state;
  }

  table(kind: string): Table<unknown> | undefined {
    return this.tables().find((t) => t.kind === kind);
  }

  /** Adds (or re-adds) an application and indexes it. */
  indexApp(app: Application): void {
    this.apps.set(app.id, app);
    this.appsByAppId.set(app.appId, app);
    if (app.uniqueName) this.appsByUniqueName.set(app.uniqueName.toLowerCase(), app);
  }

  private unindexApp(app: Application): void {
    this.apps.delete(app.id);
    this.appsByAppId.delete(app.appId);
    if (app.uniqueName) this.appsByUniqueName.delete(app.uniqueName.toLowerCase());
  }

  indexSp(sp: ServicePrincipal): void {
    this.sps.set(sp.id, sp);
    this.spsByAppId.set(sp.appId, sp);
  }

  /** The application (live or deleted) that holds a uniqueName. */
  holderOfUniqueName(uniqueName: string): Application | undefined {
    const k = uniqueName.toLowerCase();
    return this.appsByUniqueName.get(k) ?? this.deletedByUniqueName.get(k);
  }

  /** Live and deleted applications: both hold their identifierUris and uniqueName. */
  *allApps(): Iterable<Application> {
    yield* this.apps.values();
    yield* this.deletedApps.values();
  }

  /** DELETE /applications/{id}: to deleted items, keeping id, appId, uniqueName and credentials. */
  softDeleteApp(app: Application, now: number): void {
    this.unindexApp(app);
    app.deletedDateTime = graphDate(now);
    this.deletedApps.set(app.id, app);
    if (app.uniqueName) this.deletedByUniqueName.set(app.uniqueName.toLowerCase(), app);
  }

  /** DELETE /servicePrincipals/{id} (or its application's deletion): to deleted items with its grants. */
  softDeleteSp(sp: ServicePrincipal, now: number): void {
    this.sps.delete(sp.id);
    if (this.spsByAppId.get(sp.appId) === sp) this.spsByAppId.delete(sp.appId);
    sp.deletedDateTime = graphDate(now);
    this.deletedSps.set(sp.id, sp);
  }

  restoreApp(app: Application): void {
    this.deletedApps.delete(app.id);
    if (app.uniqueName) this.deletedByUniqueName.delete(app.uniqueName.toLowerCase());
    app.deletedDateTime = null;
    this.indexApp(app);
  }

  restoreSp(sp: ServicePrincipal): void {
    this.deletedSps.delete(sp.id);
    sp.deletedDateTime = null;
    this.indexSp(sp);
  }

  /** Permanent deletion of a deleted application: its uniqueName and identifierUris are free again. */
  purgeApp(app: Application): void {
    this.deletedApps.delete(app.id);
    this.owners.delete(app.id);
    this.policyAssignments.delete(app.id);
    if (app.uniqueName && this.deletedByUniqueName.get(app.uniqueName.toLowerCase()) === app) this.deletedByUniqueName.delete(app.uniqueName.toLowerCase());
    for (const s of [...this.secrets.values()]) if (s.applicationId === app.id) this.secrets.delete(s.keyId);
  }

  /** Permanent deletion of a deleted service principal and of what points at it. */
  purgeSp(sp: ServicePrincipal): void {
    this.deletedSps.delete(sp.id);
    for (const [id, a] of this.assignments) if (a.principalId === sp.id || a.resourceId === sp.id) this.assignments.delete(id);
    for (const [id, g] of this.grants) if (g.clientId === sp.id || g.resourceId === sp.id) this.grants.delete(id);
  }

  /** Purges deleted items older than the retention; true when something was purged. */
  expireDeleted(now: number): boolean {
    let purged = false;
    const old = (o: { deletedDateTime?: unknown }) => typeof o.deletedDateTime === 'string' && Date.parse(o.deletedDateTime) + DELETED_RETENTION_MS <= now;
    for (const a of [...this.deletedApps.values()]) if (old(a)) (this.purgeApp(a), (purged = true));
    for (const sp of [...this.deletedSps.values()]) if (old(sp)) (this.purgeSp(sp), (purged = true));
    return purged;
  }

  /** A grant counts while both its client and its resource are live service principals. */
  liveGrant(g: PermissionGrant): boolean {
    return this.sps.has(g.clientId) && this.sps.has(g.resourceId);
  }

  /** An assignment counts while its resource and (for a service principal) its principal are live. */
  liveAssignment(a: AppRoleAssignment): boolean {
    return this.sps.has(a.resourceId) && (a.principalType !== 'ServicePrincipal' || this.sps.has(a.principalId));
  }

  /** The tenant's users: the administrator (Global Administrator) and a member without roles. */
  user(id: string): { user: DirectoryUser; wids: string[] } | undefined {
    if (id === this.admin.id) return { user: this.admin, wids: [GLOBAL_ADMINISTRATOR] };
    if (id === this.member.id) return { user: this.member, wids: [] };
    return undefined;
  }

  userByName(upn: string): DirectoryUser | undefined {
    const k = upn.toLowerCase();
    return [this.admin, this.member].find((u) => u.userPrincipalName.toLowerCase() === k);
  }

  ownersOf(objectId: string): string[] {
    return this.owners.get(objectId)?.owners ?? [];
  }

  setOwners(objectId: string, owners: string[]): void {
    if (owners.length === 0) this.owners.delete(objectId);
    else this.owners.set(objectId, { id: objectId, owners });
  }

  /** The secret a client presents, among the secrets of an application or a service principal (by object id). */
  secretOf(holder: { id: string }, secretText: string): StoredSecret | undefined {
    for (const s of this.secrets.values()) if (s.applicationId === holder.id && s.secretText === secretText) return s;
    return undefined;
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

  assign(principal: ServicePrincipal, resource: ServicePrincipal, appRoleId: string, now = Date.now()): AppRoleAssignment {
    const a: AppRoleAssignment = {
      id: Tenant.opaqueId(),
      deletedDateTime: null,
      appRoleId,
      createdDateTime: graphDate(now),
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

/** A client secret's lifetime when the request names no end (two years). */
export const SECRET_DEFAULT_MS = 2 * 365 * 86_400_000;

export function addSecret(tenant: Tenant, app: Application, displayName: string | null, secretText = newSecretText()): { keyId: string; secretText: string; credential: Application['passwordCredentials'][number] } {
  const keyId = randomUUID();
  const now = Date.now();
  const credential = {
    customKeyIdentifier: null,
    displayName,
    endDateTime: graphDate(now + SECRET_DEFAULT_MS),
    hint: secretText.slice(0, 3),
    keyId,
    secretText: null,
    startDateTime: graphDate(now),
  } as const;
  app.passwordCredentials = [...app.passwordCredentials, { ...credential }];
  tenant.apps.touch(app.id);
  tenant.secrets.set(keyId, { applicationId: app.id, keyId, secretText });
  return { keyId, secretText, credential: { ...credential } };
}

/** The member user of a tenant (ids derived from the tenant: the same in every state of it). */
function memberOf(tenantId: string, domain: string): DirectoryUser {
  return { id: stableGuid(`${tenantId}:member`), userPrincipalName: `user@${domain.toLowerCase()}`, displayName: `${domain.split('.')[0] ?? domain} user` };
}
