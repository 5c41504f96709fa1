/**
 * Service principals, app role assignments, delegated permission grants and `$batch` on the
 * emulator, through the real Graph client (docs/graph.md, sections 4, 5 and 9).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BatchRequestContent, BatchResponseContent, type Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type EmulatorHandle, type EmulatorTenant } from '../../src/emulator/index.js';
import { emulatorFetch, graphClientFor, tokenFor, rejectsWith } from '../helpers/emulator.js';
import { testPki } from '../helpers/pki.js';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const APP_READ_ALL = '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30';

let h: EmulatorHandle;
let t: EmulatorTenant;
let g: Client;
let token: string;

before(async () => {
  h = await startEmulator({ pki: testPki });
  t = h.tenants[0]!;
  g = graphClientFor(h, t);
  token = await tokenFor(h, t);
});
after(() => h.stop());


async function graphSp(): Promise<{ id: string; appRoles: { id: string; value: string }[]; oauth2PermissionScopes: { id: string; value: string }[] }> {
  const r = await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).select('id,appId,appRoles,oauth2PermissionScopes').get();
  return r.value[0];
}

describe('emulator service principals', () => {
  it('seeds Microsoft Graph, Exchange Online and SharePoint Online with their real permission ids', async () => {
    const sp = await graphSp();
    assert.equal(sp.oauth2PermissionScopes.find((s) => s.value === 'User.Read')!.id, USER_READ);
    assert.equal(sp.appRoles.find((r) => r.value === 'Application.ReadWrite.All')!.id, '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9');
    const exo = await g.api(`/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')`).get();
    assert.equal(exo.displayName, 'Office 365 Exchange Online');
    assert.equal(exo.appRoles[0].id, 'dc890d15-9560-4a4c-9b7f-a736ec74ec40');
    const spo = await g.api('/servicePrincipals').filter(`displayName eq 'Office 365 SharePoint Online'`).get();
    assert.equal(spo.value[0].appId, '00000003-0000-0ff1-ce00-000000000000');
  });

  it('creates a service principal for an application (201), refuses duplicates (409) and unknown appIds (400)', async () => {
    const app = await g.api('/applications').post({ displayName: 'Needs SP' });
    const sp = await g.api('/servicePrincipals').post({ appId: app.appId, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] });
    assert.equal(sp.appId, app.appId);
    assert.deepEqual(sp.tags, ['WindowsAzureActiveDirectoryIntegratedApp']);
    assert.ok(sp.servicePrincipalNames.includes(app.appId));
    assert.equal((await g.api(`/servicePrincipals(appId='${app.appId}')`).get()).id, sp.id);
    assert.equal((await g.api(`/servicePrincipals/${sp.id}`).get()).appId, app.appId);
    await rejectsWith(g.api('/servicePrincipals').post({ appId: app.appId }), 409, 'Request_MultipleObjectsWithSameKeyValue');
    const unknown = randomUUID();
    const r = await emulatorFetch(h, '/v1.0/servicePrincipals', { token, method: 'POST', body: { appId: unknown } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.message, `The appId '${unknown}' of the service principal does not reference a valid application object.`);
    assert.equal(r.body.error.details[0].code, 'NoBackingApplicationObject');
    await g.api(`/servicePrincipals/${sp.id}`).patch({ tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'HideApp'] });
    const tagged = await g.api('/servicePrincipals').filter(`tags/any(x:x eq 'HideApp')`).get();
    assert.deepEqual(tagged.value.map((s: { id: string }) => s.id), [sp.id]);
    await rejectsWith(g.api(`/servicePrincipals/${sp.id}`).patch({ appId: randomUUID() }), 400, 'Request_BadRequest', /read-only/);
    // a multi-tenant application from contoso can be provisioned in fabrikam
    await g.api(`/applications/${app.id}`).patch({ signInAudience: 'AzureADMultipleOrgs' });
    const gf = graphClientFor(h, h.tenants[1]!);
    const remote = await gf.api('/servicePrincipals').post({ appId: app.appId });
    assert.equal(remote.appOwnerOrganizationId, t.id);
  });

  it('assigns app roles through appRoleAssignedTo and appRoleAssignments, lists and revokes them', async () => {
    const graph = await graphSp();
    const app = await g.api('/applications').post({ displayName: 'Role holder' });
    const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
    const body = { principalId: sp.id, resourceId: graph.id, appRoleId: APP_READ_ALL };
    const a = await g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post(body);
    assert.equal(typeof a.id, 'string');
    assert.equal(a.principalType, 'ServicePrincipal');
    assert.equal(a.resourceDisplayName, 'Microsoft Graph');
    await rejectsWith(g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post(body), 400, 'Request_BadRequest', /already exists/);
    await rejectsWith(g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post({ ...body, appRoleId: randomUUID() }), 400, 'Request_BadRequest', /not found on application/);
    await rejectsWith(g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post({ ...body, principalId: randomUUID() }), 404, 'Request_ResourceNotFound');
    const mine = await g.api(`/servicePrincipals/${sp.id}/appRoleAssignments`).get();
    assert.deepEqual(mine.value.map((x: { id: string }) => x.id), [a.id]);
    const other = await g.api(`/servicePrincipals/${sp.id}/appRoleAssignments`).post({ ...body, appRoleId: graph.appRoles.find((r) => r.value === 'User.Read.All')!.id });
    const onGraph = await g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).get();
    assert.ok(onGraph.value.some((x: { id: string }) => x.id === other.id));
    assert.equal(await g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo/${a.id}`).delete(), undefined);
    await rejectsWith(g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo/${a.id}`).delete(), 404);
    // the unprivileged operator may not assign
    const gu = graphClientFor(h, t, 'unprivileged');
    await rejectsWith(gu.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post(body), 403, 'Authorization_RequestDenied');
  });
});

describe('emulator oauth2PermissionGrants', () => {
  it('creates (201), refuses a duplicate (409), filters by clientId, patches scope (204) and deletes (204)', async () => {
    const graph = await graphSp();
    const app = await g.api('/applications').post({ displayName: 'Consented' });
    const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
    const grant = await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' });
    assert.equal(typeof grant.id, 'string');
    assert.equal(grant.principalId, null);
    await rejectsWith(
      g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read.All' }),
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      /Permission entry already exists/,
    );
    await rejectsWith(g.api('/oauth2PermissionGrants').post({ clientId: randomUUID(), consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' }), 404);
    const list = await g.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}' and consentType eq 'AllPrincipals'`).get();
    assert.deepEqual(list.value.map((x: { id: string }) => x.id), [grant.id]);
    await g.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: 'User.Read openid' });
    assert.equal((await g.api(`/oauth2PermissionGrants/${grant.id}`).get()).scope, 'User.Read openid');
    await rejectsWith(g.api(`/oauth2PermissionGrants/${grant.id}`).patch({ clientId: randomUUID() }), 400);
    await g.api(`/oauth2PermissionGrants/${grant.id}`).delete();
    await rejectsWith(g.api(`/oauth2PermissionGrants/${grant.id}`).get(), 404);
    const gu = graphClientFor(h, t, 'unprivileged');
    await rejectsWith(gu.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' }), 403);
  });
});

describe('emulator $batch', () => {
  it('runs items with the Graph client batch helpers: per-item status, headers and JSON bodies', async () => {
    const app = await g.api('/applications').post({ displayName: 'Batched' });
    const content = new BatchRequestContent([
      { id: '1', request: new Request(`${h.url}/v1.0/applications/${app.id}`, { method: 'GET' }) },
      { id: '2', request: new Request(`${h.url}/v1.0/servicePrincipals?$filter=appId eq '${GRAPH}'`, { method: 'GET' }) },
      { id: '3', request: new Request(`${h.url}/v1.0/applications/${randomUUID()}`, { method: 'GET' }) },
    ]);
    const raw = await g.api('/$batch').post(await content.getContent());
    const res = new BatchResponseContent(raw);
    const one = res.getResponseById('1');
    assert.equal(one.status, 200);
    assert.equal((await one.json()).id, app.id);
    assert.equal((await res.getResponseById('2').json()).value[0].appId, GRAPH);
    const three = res.getResponseById('3');
    assert.equal(three.status, 404);
    assert.equal((await three.json()).error.code, 'Request_ResourceNotFound');
    for (const r of raw.responses) assert.equal(r.headers['Content-Type'], 'application/json');
    assert.equal(h.requests.filter((r) => r.path.endsWith('$batch')).at(-1)!.batchItems, 3);
  });

  it('honours dependsOn and answers 424 when a dependency failed', async () => {
    const r = await g.api('/$batch').post({
      requests: [
        { id: 'a', method: 'POST', url: '/applications', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'Batch A' } },
        { id: 'b', method: 'GET', url: `/applications/${randomUUID()}`, dependsOn: ['a'] },
        { id: 'c', method: 'GET', url: '/applications?$top=1', dependsOn: ['b'] },
        { id: 'd', method: 'PATCH', url: `/applications/${randomUUID()}`, headers: { 'Content-Type': 'application/json' }, body: { displayName: 'x' } },
      ],
    });
    const by = Object.fromEntries(r.responses.map((x: { id: string }) => [x.id, x]));
    assert.equal(by.a.status, 201);
    assert.equal(by.b.status, 404);
    assert.equal(by.c.status, 424);
    assert.equal(by.d.status, 404);
    const order = r.responses.map((x: { id: string }) => x.id);
    assert.ok(order.indexOf('a') < order.indexOf('b'));
  });

  it('refuses malformed batches as a whole (400)', async () => {
    const post = (body: unknown) => emulatorFetch(h, '/v1.0/$batch', { token, method: 'POST', body });
    const tooMany = await post({ requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/applications' })) });
    assert.equal(tooMany.status, 400);
    const dup = await post({ requests: [{ id: '1', method: 'GET', url: '/applications' }, { id: '1', method: 'GET', url: '/applications' }] });
    assert.equal(dup.status, 400);
    const noType = await post({ requests: [{ id: '1', method: 'POST', url: '/applications', body: { displayName: 'x' } }] });
    assert.equal(noType.status, 400);
    const badDep = await post({ requests: [{ id: '1', method: 'GET', url: '/applications', dependsOn: ['9'] }] });
    assert.equal(badDep.status, 400);
  });

  it('applies roles per item: the unprivileged operator gets 403 items inside a 200 batch', async () => {
    const gu = graphClientFor(h, t, 'unprivileged');
    const r = await gu.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: '/applications' }] });
    assert.equal(r.responses[0].status, 403);
    assert.equal(r.responses[0].body.error.code, 'Authorization_RequestDenied');
  });
});
