/**
 * The admin-consent endpoint, answered as if the tenant's administrator signed in and approved:
 *   GET /{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri[&state]
 *   GET /{tenant}/adminconsent?client_id[&redirect_uri][&state]            (v1: all required permissions)
 * https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 * https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent
 *
 * What approval does in the tenant (a service provider's customer): the client application gets a
 * service principal (tagged as the admin center tags integrated apps), every resource it needs one
 * too (a multi-tenant resource from another tenant included), each delegated permission consented
 * becomes part of the AllPrincipals oauth2PermissionGrant for (client, resource) — created, or its
 * scope extended — and each application permission an app-role assignment. The browser is then sent
 * to `redirect_uri?admin_consent=True&tenant=<tenant id>&scope=…&state=…`; a failure after the
 * request was judged trustworthy goes there too, as `error` + `error_description`.
 *
 * `.default` (static consent) means every permission the registration lists (requiredResourceAccess),
 * whichever resource names it; other scopes (dynamic consent) name delegated permissions only. A
 * tenant the emulator does not know yet is made (as a config naming one makes it): no sign-in page
 * could say which tenant the administrator belongs to, so `common`/`organizations` are refused.
 *
 * The changes go through the emulator's own Graph handlers, as the tenant's administrator, so they
 * follow Graph's rules and are committed like any Graph write.
 */
import type { IncomingMessage } from 'node:http';
import type { Engine } from '../engine.js';
import type { Tenant } from '../directory.js';
import type { GraphResult } from '../http.js';
import type { Principal } from '../graph/auth.js';
import { runGraphCall } from '../graph/router.js';
import { GRAPH_APP_ID } from '../seed-data.js';
import type { Application, PermissionGrant, ServicePrincipal } from '../types.js';
import type { Target } from '../target.js';

const INTEGRATED_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The login paths (after the tenant segment) this module answers. */
export const isAdminConsentPath = (rest: string): boolean => rest === 'v2.0/adminconsent' || rest === 'adminconsent';

interface Outcome {
  result: GraphResult;
  tenant?: string;
  write?: boolean;
}

type Needed = Map<string, { scopes: Set<string>; roles: Set<string> }>;

/** An error page (nothing to redirect to, or the redirect URI itself is not trusted). */
const page = (status: number, code: number, text: string): Outcome => ({
  result: { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `AADSTS${code}: ${text}\n` },
});

function redirect(to: string, params: Record<string, string | undefined>): GraphResult {
  const url = new URL(to);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { status: 302, headers: { Location: url.toString(), 'Content-Type': 'text/plain; charset=utf-8' }, body: `Redirecting to ${url.toString()}\n` };
}

function homeOf(engine: Engine, appId: string): { app: Application; home: Tenant } | undefined {
  for (const t of engine.store.tenants.values()) {
    const app = t.appsByAppId.get(appId);
    if (app) return { app, home: t };
  }
  return undefined;
}

const redirectUrisOf = (app: Application): string[] =>
  (['web', 'spa', 'publicClient'] as const).flatMap((p) => ((app[p] as { redirectUris?: string[] } | undefined)?.redirectUris ?? []));

/** The resource appId a scope's resource part names (`https://graph…`, the emulator itself, `api://<appId>`, `<appId>`). */
function resourceAppId(engine: Engine, resource: string, client: Application): string | undefined {
  const r = resource.replace(/\/+$/, '').toLowerCase();
  if (r === '' || r === 'https://graph.microsoft.com' || engine.isOwnOrigin(r)) return GRAPH_APP_ID;
  if (client.identifierUris.some((u) => u.toLowerCase() === r)) return client.appId;
  const guid = /^(?:api:\/\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(r)?.[1];
  return guid;
}

/** What the scope parameter asks for: resource appId → delegated scope values / app role ids. */
function neededPermissions(engine: Engine, client: Application, scope: string | null, v1: boolean, scopesOf: (appId: string) => ServicePrincipal['oauth2PermissionScopes']): Needed | string {
  const needed: Needed = new Map();
  const entry = (appId: string) => needed.get(appId) ?? needed.set(appId, { scopes: new Set(), roles: new Set() }).get(appId)!;
  const words = (scope ?? '').split(/\s+/).filter(Boolean).filter((w) => !OIDC_SCOPES.has(w.toLowerCase()));
  const isStatic = (w: string) => w.endsWith('/.default') || w === '.default';
  if (!v1 && words.length === 0) return 'The request must contain a scope parameter.';
  if (v1 || words.some(isStatic)) {
    if (!v1 && !words.every(isStatic)) return 'Static (/.default) and dynamic scopes cannot be combined in one request.';
    for (const r of (client.requiredResourceAccess as { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[] | undefined) ?? []) {
      const e = entry(r.resourceAppId.toLowerCase());
      for (const a of r.resourceAccess) {
        if (a.type === 'Role') e.roles.add(a.id.toLowerCase());
        const value = a.type === 'Scope' ? scopesOf(r.resourceAppId.toLowerCase()).find((s) => s.id.toLowerCase() === a.id.toLowerCase())?.value : undefined;
        if (value) e.scopes.add(value);
      }
    }
    return needed;
  }
  for (const w of words) {
    const cut = w.lastIndexOf('/');
    const appId = resourceAppId(engine, cut === -1 ? '' : w.slice(0, cut), client);
    if (!appId) return `The resource of scope '${w}' is unknown.`;
    entry(appId).scopes.add(w.slice(cut + 1));
  }
  return needed;
}

export async function adminConsent(engine: Engine, req: IncomingMessage, tenantSeg: string, rest: string, url: Target, origin: string): Promise<Outcome> {
  const v1 = rest === 'adminconsent';
  if (req.method !== 'GET') return page(405, 900561, 'The admin-consent endpoint only accepts GET requests.');
  if (['common', 'organizations', 'consumers'].includes(tenantSeg.toLowerCase())) {
    return page(400, 90002, `The entra-portal emulator has no sign-in page to tell which tenant the administrator belongs to: name the tenant instead of '${tenantSeg}'.`);
  }
  const q = url.searchParams;
  const clientId = (q.get('client_id') ?? '').toLowerCase();
  const found = homeOf(engine, clientId);
  const known = engine.store.find(tenantSeg);
  if (!found || (found.app.signInAudience === 'AzureADMyOrg' && known !== found.home)) {
    return page(400, 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantSeg}'. This can happen if the application has not been installed by the administrator of the tenant.`);
  }
  const { app } = found;
  let tenant: Tenant;
  try {
    tenant = known ?? (await engine.store.ensure(tenantSeg));
  } catch {
    return page(400, 90002, `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID.`);
  }
  const registered = redirectUrisOf(app);
  const redirectUri = q.get('redirect_uri') ?? (v1 ? registered[0] : undefined);
  if (!redirectUri) return page(400, v1 ? 500113 : 900144, v1 ? 'No reply address is registered for the application.' : "The request body must contain the following parameter: 'redirect_uri'.");
  if (!registered.includes(redirectUri)) {
    return page(400, 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.appId}'.`);
  }
  const state = q.get('state') ?? undefined;
  const back = (params: Record<string, string | undefined>): Outcome => ({ result: redirect(redirectUri, { admin_consent: 'True', ...params, state }), tenant: tenant.id, write: true });
  const fail = (error: string, code: number, text: string) => back({ error, error_description: `AADSTS${code}: ${text}` });

  // the administrator consenting in the browser: a Global Administrator acting as themself
  const admin: Principal = { tenant, kind: 'user', appId: app.appId, oid: tenant.admin.id, roles: new Set(['Directory.AccessAsUser.All']), admin: true };
  const graph = async (method: string, path: string, body?: unknown): Promise<GraphResult> => {
    const [p, query] = path.split('?');
    return runGraphCall({ engine, method, path: p!, query: new URLSearchParams(query ?? ''), headers: {}, body, origin, principal: admin, tenant, rootId: `admin-consent-${tenant.id}` });
  };
  const spOf = async (appId: string): Promise<ServicePrincipal | undefined> => {
    const r = await graph('GET', `/servicePrincipals(appId='${appId}')`);
    return r.status === 200 ? (r.body as ServicePrincipal) : undefined;
  };
  const provision = async (appId: string): Promise<ServicePrincipal | string> => {
    const existing = await spOf(appId);
    if (existing) return existing;
    const r = await graph('POST', '/servicePrincipals', { appId, ...(appId === app.appId ? { tags: [INTEGRATED_APP_TAG] } : {}) });
    return r.status === 201 ? (r.body as ServicePrincipal) : `cannot provision the service principal of ${appId}: ${JSON.stringify(r.body)}`;
  };

  // the resources' scopes, for turning the registration's permission ids into scope values
  const resourceScopes = (appId: string) =>
    appId === app.appId ? app.api.oauth2PermissionScopes : ([...tenant.sps.values()].find((s) => s.appId === appId)?.oauth2PermissionScopes ?? homeOf(engine, appId)?.app.api.oauth2PermissionScopes ?? []);
  const needed = neededPermissions(engine, app, q.get('scope'), v1, resourceScopes);
  if (typeof needed === 'string') return fail('invalid_scope', 70011, needed);

  const client = await provision(app.appId);
  if (typeof client === 'string') return fail('server_error', 500011, client);
  const granted: string[] = [];
  for (const [resourceAppIdValue, want] of needed) {
    const resource = resourceAppIdValue === app.appId ? client : await provision(resourceAppIdValue);
    if (typeof resource === 'string') return fail('invalid_resource', 650052, `The app needs access to a service (${resourceAppIdValue}) that the organization has not subscribed to or enabled.`);
    if (want.scopes.size > 0) {
      const list = await graph('GET', `/servicePrincipals/${client.id}/oauth2PermissionGrants`);
      const grant = ((list.body as { value?: PermissionGrant[] } | undefined)?.value ?? []).find((g) => g.consentType === 'AllPrincipals' && g.resourceId === resource.id);
      const have = (grant?.scope ?? '').split(/\s+/).filter(Boolean);
      const scope = [...have, ...[...want.scopes].filter((s) => !have.some((h) => h.toLowerCase() === s.toLowerCase()))].join(' ');
      const r = grant
        ? await graph('PATCH', `/oauth2PermissionGrants/${grant.id}`, { scope })
        : await graph('POST', '/oauth2PermissionGrants', { clientId: client.id, consentType: 'AllPrincipals', resourceId: resource.id, scope });
      if (r.status >= 300) return fail('server_error', 500011, `cannot record the consent for ${resource.displayName}: ${JSON.stringify(r.body)}`);
      granted.push(...[...want.scopes].map((s) => (resource.appId === GRAPH_APP_ID ? `https://graph.microsoft.com/${s}` : `${resource.appId}/${s}`)));
    }
    const assigned = want.roles.size ? await graph('GET', `/servicePrincipals/${client.id}/appRoleAssignments`) : undefined;
    const held = new Set(((assigned?.body as { value?: { resourceId: string; appRoleId: string }[] } | undefined)?.value ?? []).filter((a) => a.resourceId === resource.id).map((a) => a.appRoleId.toLowerCase()));
    for (const appRoleId of [...want.roles].filter((r) => !held.has(r))) {
      const r = await graph('POST', `/servicePrincipals/${resource.id}/appRoleAssignedTo`, { principalId: client.id, resourceId: resource.id, appRoleId });
      if (r.status >= 300) return fail('server_error', 500011, `cannot assign app role ${appRoleId} of ${resource.displayName}: ${JSON.stringify(r.body)}`);
    }
  }
  return back({ tenant: tenant.id, scope: v1 ? undefined : granted.join(' ') });
}
