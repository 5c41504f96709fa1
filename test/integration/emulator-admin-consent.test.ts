/**
 * The emulator's admin-consent endpoint: following the link (as a browser, or curl, would) does what
 * a customer administrator's approval does — the provider's multi-tenant application gets its service
 * principal and exactly the delegated grants its registration lists in the customer tenant — and
 * sends the browser to the redirect URI with admin_consent=True&tenant=<id>. Checked through Graph as
 * the customer tenant's operator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import { adminConsentUrl } from '../../src/cloud/admin-consent.js';
import { dispatcherFor, graphClientFor, withEmulator, type EmulatorHandle } from '../helpers/emulator.js';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const PORTAL = 'https://portal.abc.com:4443';

/** A Restore-Portal-shaped application registered in `home` through Graph. */
async function register(home: Client, signInAudience = 'AzureADMultipleOrgs'): Promise<{ id: string; appId: string }> {
  const scopeId = randomUUID();
  const app = (await home.api('/applications').post({
    displayName: 'SP Portal',
    signInAudience,
    spa: { redirectUris: [PORTAL] },
    api: { oauth2PermissionScopes: [{ id: scopeId, value: 'access_as_user', type: 'Admin', isEnabled: true, adminConsentDisplayName: 'Access', adminConsentDescription: 'Access' }] },
  })) as { id: string; appId: string };
  await home.api(`/applications/${app.id}`).patch({
    identifierUris: [`api://${app.appId}`],
    requiredResourceAccess: [
      { resourceAppId: GRAPH, resourceAccess: [{ id: USER_READ, type: 'Scope' }] },
      { resourceAppId: app.appId, resourceAccess: [{ id: scopeId, type: 'Scope' }] },
    ],
  });
  return app;
}

/** GET the link without following the redirect: status, Location (parsed) and body text. */
async function follow(handle: EmulatorHandle, link: string): Promise<{ status: number; location?: URL; text: string }> {
  const res = await fetch(link, { redirect: 'manual', dispatcher: dispatcherFor(handle) } as RequestInit);
  const at = res.headers.get('location');
  return { status: res.status, ...(at ? { location: new URL(at) } : {}), text: await res.text() };
}

async function consentIn(g: Client, appId: string) {
  const sps = (await g.api('/servicePrincipals').filter(`appId eq '${appId}'`).get()) as { value: { id: string; tags: string[] }[] };
  const sp = sps.value[0];
  if (!sp) return { sp };
  const graphSp = ((await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()) as { value: { id: string }[] }).value[0]!;
  const grants = ((await g.api(`/servicePrincipals/${sp.id}/oauth2PermissionGrants`).get()) as { value: { consentType: string; resourceId: string; scope: string }[] }).value;
  const on = (resourceId: string) => grants.filter((x) => x.consentType === 'AllPrincipals' && x.resourceId === resourceId).map((x) => x.scope);
  return { sp, grants, graph: on(graphSp.id), own: on(sp.id) };
}

test('following the v2 link onboards the customer tenant: service principal, both grants, redirect with admin_consent=True', async () => {
  await withEmulator(async (h) => {
    const [contoso, fabrikam] = h.tenants;
    const app = await register(graphClientFor(h, contoso!));
    const link = adminConsentUrl({ login: h.url, graph: h.url, tenant: fabrikam!.domain, appId: app.appId, redirectUri: PORTAL, state: 'x1' });
    const r = await follow(h, link);
    assert.equal(r.status, 302, r.text);
    assert.equal(r.location!.origin, PORTAL);
    assert.equal(r.location!.searchParams.get('admin_consent'), 'True');
    assert.equal(r.location!.searchParams.get('tenant'), fabrikam!.id);
    assert.equal(r.location!.searchParams.get('state'), 'x1');
    assert.match(r.location!.searchParams.get('scope')!, /User\.Read.*access_as_user/);
    const g = graphClientFor(h, fabrikam!);
    const seen = await consentIn(g, app.appId);
    assert.ok(seen.sp?.tags.includes('WindowsAzureActiveDirectoryIntegratedApp'));
    assert.deepEqual(seen.graph, ['User.Read']);
    assert.deepEqual(seen.own, ['access_as_user']);
    // approving again changes nothing: one grant per resource, same scopes
    assert.equal((await follow(h, link)).status, 302);
    assert.deepEqual(await consentIn(g, app.appId), seen);
    // the v1 form (all required permissions; the first registered redirect URI when none is given)
    const v1 = await follow(h, `${h.url}/${fabrikam!.id}/adminconsent?client_id=${app.appId}`);
    assert.equal(v1.status, 302);
    assert.equal(v1.location!.origin, PORTAL);
  });
});

test('a tenant the emulator did not know is made and onboarded; a missing scope is added to an existing grant', async () => {
  await withEmulator(async (h) => {
    const app = await register(graphClientFor(h, h.tenants[0]!));
    const link = adminConsentUrl({ login: h.url, graph: h.url, tenant: 'northwind.example', appId: app.appId, redirectUri: PORTAL });
    assert.equal((await follow(h, link)).status, 302);
    const northwind = await h.ensureTenant('northwind.example');
    const g = graphClientFor(h, northwind);
    const seen = await consentIn(g, app.appId);
    assert.deepEqual([seen.graph, seen.own], [['User.Read'], ['access_as_user']]);
    // a grant narrowed behind our back is extended, not duplicated
    const grant = (seen.grants ?? []).find((x) => x.scope === 'User.Read') as unknown as { id: string };
    await g.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: 'openid' });
    await follow(h, link);
    assert.deepEqual((await consentIn(g, app.appId)).graph, ['openid User.Read']);
  });
});

test('refusals: an unregistered redirect URI and a single-tenant application get an error page; mixed scopes go back as an error', async () => {
  await withEmulator(async (h) => {
    const [contoso, fabrikam] = h.tenants;
    const app = await register(graphClientFor(h, contoso!));
    const bad = await follow(h, adminConsentUrl({ login: h.url, graph: h.url, tenant: fabrikam!.domain, appId: app.appId, redirectUri: 'https://evil.example.com' }));
    assert.equal(bad.status, 400);
    assert.match(bad.text, /AADSTS50011: The redirect URI 'https:\/\/evil\.example\.com'/);
    const single = await register(graphClientFor(h, contoso!), 'AzureADMyOrg');
    const refused = await follow(h, adminConsentUrl({ login: h.url, graph: h.url, tenant: fabrikam!.domain, appId: single.appId, redirectUri: PORTAL }));
    assert.equal(refused.status, 400);
    assert.match(refused.text, /AADSTS700016/);
    assert.equal((await consentIn(graphClientFor(h, fabrikam!), single.appId)).sp, undefined);
    const mixed = await follow(h, `${h.url}/${fabrikam!.domain}/v2.0/adminconsent?client_id=${app.appId}&redirect_uri=${encodeURIComponent(PORTAL)}&scope=${encodeURIComponent(`${h.url}/.default User.Read`)}`);
    assert.equal(mixed.status, 302);
    assert.equal(mixed.location!.searchParams.get('error'), 'invalid_scope');
    assert.equal((await follow(h, `${h.url}/organizations/v2.0/adminconsent?client_id=${app.appId}`)).status, 400);
    // dynamic consent: only what was named
    const dyn = await follow(h, `${h.url}/${fabrikam!.domain}/v2.0/adminconsent?client_id=${app.appId}&redirect_uri=${encodeURIComponent(PORTAL)}&scope=User.Read`);
    assert.equal(dyn.status, 302, dyn.text);
    const seen = await consentIn(graphClientFor(h, fabrikam!), app.appId);
    assert.deepEqual([seen.graph, seen.own], [['User.Read'], []]);
  });
});
