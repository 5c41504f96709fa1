/**
 * Seeding a tenant: a new one gets the first-party service principals (Microsoft Graph, Exchange,
 * SharePoint and Microsoft's public clients such as the Azure CLI, with their roles, scopes and
 * consent), an administrator and the two operator applications (seed-data.ts holds the facts).
 * `ensureFirstParty` also brings an older state's Microsoft-owned objects up to the current seed.
 */
import { randomUUID } from 'node:crypto';
import { addSecret, stableGuid, Tenant } from './directory.js';
import { FIRST_PARTY, FIRST_PARTY_CLIENTS, GRAPH_ROLES, MICROSOFT_TENANT_ID, OPERATOR_ROLES } from './seed-data.js';
import { newApplication, newServicePrincipal, syncServicePrincipal } from './shapes.js';

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

/**
 * Brings a tenant's Microsoft-owned objects to the current seed: the first-party resource service
 * principals' roles and scopes, and Microsoft's public clients (the Azure CLI) with their consent.
 * Ids are derived from the tenant, so running it on every open of an older state changes nothing
 * that was stored, and needs no write.
 */
export function ensureFirstParty(tenant: Tenant): void {
  for (const fp of FIRST_PARTY) {
    const sp = tenant.spsByAppId.get(fp.appId);
    if (!sp) {
      const made = newServicePrincipal({
        appId: fp.appId,
        displayName: fp.displayName,
        appOwnerOrganizationId: MICROSOFT_TENANT_ID,
        signInAudience: 'AzureADMultipleOrgs',
        servicePrincipalNames: [...fp.servicePrincipalNames],
        appRoles: structuredClone(fp.appRoles),
        oauth2PermissionScopes: structuredClone(fp.oauth2PermissionScopes),
      });
      made.id = stableGuid(`${tenant.id}:sp:${fp.appId}`);
      tenant.indexSp(made);
    } else {
      sp.appRoles = structuredClone(fp.appRoles);
      sp.oauth2PermissionScopes = structuredClone(fp.oauth2PermissionScopes);
    }
  }
  const graph = tenant.graphSp!;
  for (const c of FIRST_PARTY_CLIENTS) {
    let sp = tenant.spsByAppId.get(c.appId);
    if (!sp) {
      sp = newServicePrincipal({
        appId: c.appId,
        displayName: c.displayName,
        appOwnerOrganizationId: MICROSOFT_TENANT_ID,
        signInAudience: 'AzureADMultipleOrgs',
        servicePrincipalNames: [c.appId],
        appRoles: [],
        oauth2PermissionScopes: [],
      });
      sp.id = stableGuid(`${tenant.id}:sp:${c.appId}`);
      tenant.indexSp(sp);
    }
    const grantId = `fp-${stableGuid(`${tenant.id}:grant:${c.appId}`)}`;
    const has = [...tenant.grants.values()].some((g) => g.clientId === sp!.id && g.resourceId === graph.id && g.consentType === 'AllPrincipals');
    if (!has) tenant.grants.set(grantId, { id: grantId, clientId: sp.id, consentType: 'AllPrincipals', principalId: null, resourceId: graph.id, scope: c.graphScopes });
  }
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
  ensureFirstParty(tenant);
  Object.assign(tenant.operator, seededClient(tenant, 'entra-portal emulator operator', OPERATOR_ROLES));
  Object.assign(tenant.unprivileged, seededClient(tenant, 'entra-portal emulator unprivileged operator', []));
  return tenant;
}
