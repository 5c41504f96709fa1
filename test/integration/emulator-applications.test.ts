/**
 * `/applications` on the emulator through the real Graph client (docs/graph.md, sections 2 and 3):
 * shapes and defaults, keys and lists, PATCH semantics, the uniqueName upsert, key hiding, paging,
 * advanced-query rules, keyCredential validation and addKey/removeKey proofs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type EmulatorHandle, type EmulatorTenant } from '../../src/emulator/index.js';
import { signJwt } from '../../src/emulator/jwt.js';
import { emulatorFetch, graphClientFor, makeTestCertificate, tokenFor, rejectsWith } from '../helpers/emulator.js';
import { testPki } from '../helpers/pki.js';

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


describe('emulator /applications', () => {
  it('creates with Graph defaults (201) and reads back by id and appId', async () => {
    const app = await g.api('/applications').post({ displayName: 'Defaults' });
    assert.match(app['@odata.context'], /\$metadata#applications\/\$entity$/);
    assert.ok(app.id && app.appId && app.createdDateTime);
    assert.equal(app.signInAudience, 'AzureADMyOrg');
    assert.equal(app.publisherDomain, t.domain);
    assert.equal(app.uniqueName, null);
    assert.deepEqual(app.identifierUris, []);
    assert.deepEqual(app.api.oauth2PermissionScopes, []);
    assert.deepEqual(app.spa.redirectUris, []);
    assert.deepEqual(app.web.implicitGrantSettings, { enableAccessTokenIssuance: false, enableIdTokenIssuance: false });
    assert.deepEqual(app.requiredResourceAccess, []);
    assert.deepEqual(app.keyCredentials, []);
    assert.deepEqual(app.tags, []);
    assert.ok('isFallbackPublicClient' in app);
    assert.equal((await g.api(`/applications/${app.id}`).get()).appId, app.appId);
    assert.equal((await g.api(`/applications(appId='${app.appId}')`).get()).id, app.id);
    await rejectsWith(g.api('/applications').post({ signInAudience: 'AzureADMyOrg' }), 400, 'Request_BadRequest', /displayName/);
    await rejectsWith(g.api('/applications').post({ displayName: 'x', passwordCredentials: [{ displayName: 's' }] }), 400, 'Request_BadRequest', /service actions/);
    await rejectsWith(g.api('/applications').post({ displayName: 'x', appId: randomUUID() }), 400, 'Request_BadRequest', /read-only/);
    await rejectsWith(g.api('/applications').post({ displayName: 'x', nope: 1 }), 400, 'Request_BadRequest', /does not exist/);
    await rejectsWith(g.api(`/applications/${randomUUID()}`).get(), 404, 'Request_ResourceNotFound');
    await rejectsWith(g.api(`/applications(appId='${randomUUID()}')`).get(), 404, 'Request_ResourceNotFound');
  });

  it('PATCH keeps unsent properties, replaces collections whole, merges web (204)', async () => {
    const app = await g.api('/applications').post({ displayName: 'Patch me', tags: ['a', 'b'], spa: { redirectUris: ['https://one.example:4443'] } });
    const r = await g.api(`/applications/${app.id}`).patch({ spa: { redirectUris: ['https://two.example:4443'] }, web: { redirectUris: ['https://w.example/cb'] } });
    assert.equal(r, undefined);
    const got = await g.api(`/applications/${app.id}`).get();
    assert.deepEqual(got.tags, ['a', 'b']);
    assert.deepEqual(got.spa.redirectUris, ['https://two.example:4443']);
    assert.deepEqual(got.web.implicitGrantSettings, { enableAccessTokenIssuance: false, enableIdTokenIssuance: false });
    assert.equal(got.displayName, 'Patch me');
    await rejectsWith(g.api(`/applications/${app.id}`).patch({ spa: { redirectUris: ['http://insecure.example'] } }), 400, 'Request_BadRequest', /redirectUris/);
    await rejectsWith(g.api(`/applications/${app.id}`).patch({ signInAudience: 'Everyone' }), 400);
    // a refused PATCH changes nothing
    await rejectsWith(g.api(`/applications/${app.id}`).patch({ tags: ['c'], signInAudience: 'nope' }), 400);
    assert.deepEqual((await g.api(`/applications/${app.id}`).get()).tags, ['a', 'b']);
  });

  it('upserts by uniqueName: 201 with Prefer create-if-missing, 204 when present, 404 without Prefer', async () => {
    const name = `rp-${randomUUID().slice(0, 8)}`;
    await rejectsWith(g.api(`/applications(uniqueName='${name}')`).patch({ displayName: 'RP' }), 404, 'Request_ResourceNotFound');
    const created = await g.api(`/applications(uniqueName='${name}')`).header('Prefer', 'create-if-missing').patch({ displayName: 'RP' });
    assert.equal(created.uniqueName, name);
    assert.ok(created.appId);
    const again = await g.api(`/applications(uniqueName='${name}')`).header('Prefer', 'create-if-missing').patch({ displayName: 'RP 2' });
    assert.equal(again, undefined);
    const got = await g.api(`/applications(uniqueName='${name}')`).get();
    assert.equal(got.id, created.id);
    assert.equal(got.displayName, 'RP 2');
    await rejectsWith(g.api(`/applications/${created.id}`).patch({ uniqueName: 'other' }), 400, 'Request_BadRequest', /immutable/);
    const list = await g.api('/applications').filter(`uniqueName eq '${name}'`).get();
    assert.equal(list.value.length, 1);
  });

  it('DELETE removes the application and its service principal (204)', async () => {
    const app = await g.api('/applications').post({ displayName: 'Doomed' });
    const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
    assert.equal(await g.api(`/applications/${app.id}`).delete(), undefined);
    await rejectsWith(g.api(`/applications/${app.id}`).get(), 404);
    await rejectsWith(g.api(`/servicePrincipals/${sp.id}`).get(), 404);
    await rejectsWith(g.api(`/applications/${app.id}`).delete(), 404);
  });

  it('filters with eq, in, startsWith, and; refuses unsupported properties', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await g.api('/applications').post({ displayName: `flt-${tag}-a` });
    const b = await g.api('/applications').post({ displayName: `flt-${tag}-b` });
    const byApp = await g.api('/applications').filter(`appId eq '${a.appId}'`).get();
    assert.deepEqual(byApp.value.map((x: { id: string }) => x.id), [a.id]);
    const inList = await g.api('/applications').filter(`appId in ('${a.appId}', '${b.appId}')`).get();
    assert.equal(inList.value.length, 2);
    const starts = await g.api('/applications').filter(`startsWith(displayName,'flt-${tag}')`).get();
    assert.equal(starts.value.length, 2);
    const both = await g.api('/applications').filter(`startsWith(displayName,'flt-${tag}') and displayName eq 'flt-${tag}-b'`).get();
    assert.deepEqual(both.value.map((x: { id: string }) => x.id), [b.id]);
    await rejectsWith(g.api('/applications').filter(`notes eq 'x'`).get(), 400, 'Request_UnsupportedQuery');
    await rejectsWith(g.api('/applications').filter(`displayName eq`).get(), 400);
  });

  it('enforces the advanced-query rules (ConsistencyLevel: eventual + $count)', async () => {
    const r1 = await emulatorFetch(h, '/v1.0/applications/$count', { token });
    assert.equal(r1.status, 400);
    assert.equal(r1.body.error.message, '$count is not currently supported.');
    const r2 = await emulatorFetch(h, '/v1.0/applications/$count', { token, headers: { ConsistencyLevel: 'eventual' } });
    assert.equal(r2.status, 200);
    assert.match(r2.headers.get('content-type')!, /text\/plain/);
    assert.match(r2.text, /^\d+$/);
    const r3 = await emulatorFetch(h, '/v1.0/applications?$count=true', { token });
    assert.equal(r3.status, 200);
    assert.equal(r3.body['@odata.count'], undefined, '$count=true without the header is ignored');
    const r4 = await emulatorFetch(h, '/v1.0/applications?$search="displayName:Defaults"', { token });
    assert.equal(r4.body.error.code, 'Request_UnsupportedQuery');
    const r5 = await emulatorFetch(h, '/v1.0/applications?$search="displayName:Defaults"&$count=true', { token, headers: { ConsistencyLevel: 'eventual' } });
    assert.equal(r5.status, 200);
    assert.ok(r5.body['@odata.count'] >= 1);
    const ne = `/v1.0/applications?$filter=${encodeURIComponent("displayName ne 'x'")}`;
    const r6 = await emulatorFetch(h, ne, { token });
    assert.equal(r6.status, 400);
    assert.match(r6.body.error.message, /Operator 'ne' is not supported because the required parameters might be missing/);
    const r7 = await emulatorFetch(h, `${ne}&$count=true`, { token, headers: { ConsistencyLevel: 'eventual' } });
    assert.equal(r7.status, 200);
  });

  it('pages with $top and @odata.nextLink, which the client can follow', async () => {
    const tag = randomUUID().slice(0, 8);
    for (let i = 0; i < 5; i++) await g.api('/applications').post({ displayName: `page-${tag}-${i}` });
    const seen: string[] = [];
    let page = await g.api('/applications').filter(`startsWith(displayName,'page-${tag}')`).top(2).get();
    let pages = 1;
    seen.push(...page.value.map((x: { displayName: string }) => x.displayName));
    while (page['@odata.nextLink']) {
      page = await g.api(page['@odata.nextLink']).get();
      pages++;
      seen.push(...page.value.map((x: { displayName: string }) => x.displayName));
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), [0, 1, 2, 3, 4].map((i) => `page-${tag}-${i}`));
    await rejectsWith(g.api('/applications').top(1000).get(), 400);
  });

  it('hides keyCredentials[].key unless keyCredentials is $selected; validates keyCredentials', async () => {
    const cert = await makeTestCertificate({ subject: 'Key Test' });
    const app = await g.api('/applications').post({ displayName: 'Keys', keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64 }] });
    assert.equal(app.keyCredentials[0].key, null);
    assert.equal(app.keyCredentials[0].customKeyIdentifier, cert.thumbprint);
    assert.equal(app.keyCredentials[0].displayName, 'CN=Key Test');
    const plain = await g.api(`/applications/${app.id}`).get();
    assert.equal(plain.keyCredentials[0].key, null);
    const sel = await g.api(`/applications/${app.id}`).select('id,keyCredentials').get();
    assert.equal(sel.keyCredentials[0].key, cert.derBase64);
    assert.deepEqual(Object.keys(sel).filter((k) => !k.startsWith('@')).sort(), ['id', 'keyCredentials']);
    const listed = await g.api('/applications').filter(`appId eq '${app.appId}'`).select('keyCredentials').get();
    assert.equal(listed.value[0].keyCredentials[0].key, cert.derBase64);
    await rejectsWith(g.api(`/applications/${app.id}`).select('nope').get(), 400);

    const keyId = app.keyCredentials[0].keyId;
    const patch = (keyCredentials: unknown[]) => g.api(`/applications/${app.id}`).patch({ keyCredentials });
    // sending back what was read (key null) keeps the key
    await patch(plain.keyCredentials);
    assert.equal((await g.api(`/applications/${app.id}`).select('keyCredentials').get()).keyCredentials[0].key, cert.derBase64);
    const other = await makeTestCertificate();
    await rejectsWith(patch([{ keyId, type: 'AsymmetricX509Cert', usage: 'Verify', key: other.derBase64 }]), 400, 'Request_BadRequest', /Update to existing credential with KeyId is not allowed/);
    await rejectsWith(patch([{ type: 'AsymmetricX509Cert', usage: 'Sign', key: other.derBase64 }]), 400);
    await rejectsWith(patch([{ type: 'AsymmetricX509Cert', usage: 'Encrypt', key: other.derBase64 }]), 400, 'Request_BadRequest', /Acceptable values are Sign, Verify/);
    await rejectsWith(patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: '' }]), 400, 'KeyCredentialsInvalidValue');
    await rejectsWith(patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: Buffer.from(other.derBase64, 'base64').toString('base64url') }]), 400, 'Request_BadRequest', /Edm.Binary/);
    await rejectsWith(patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: Buffer.from('not a certificate').toString('base64') }]), 400);
    await rejectsWith(
      patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: other.derBase64, endDateTime: new Date(Date.now() + 3 * 365 * 86_400_000).toISOString() }]),
      400,
      'Request_BadRequest',
      /end date is invalid/,
    );
    await rejectsWith(
      patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: other.derBase64, startDateTime: new Date(Date.now() - 30 * 86_400_000).toISOString() }]),
      400,
      'Request_BadRequest',
      /start date is invalid/,
    );
    // replacing the collection drops the old key
    await patch([{ type: 'AsymmetricX509Cert', usage: 'Verify', key: other.derBase64 }]);
    const now = await g.api(`/applications/${app.id}`).select('keyCredentials').get();
    assert.deepEqual(now.keyCredentials.map((k: { key: string }) => k.key), [other.derBase64]);
  });

  it('addKey and removeKey need a proof signed by a current certificate', async () => {
    const first = await makeTestCertificate();
    const app = await g.api('/applications').post({ displayName: 'Roll', keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: first.derBase64 }] });
    const second = await makeTestCertificate();
    const now = Math.floor(Date.now() / 1000);
    const proof = (claims: Record<string, unknown> = {}, key = first.keyPem) =>
      signJwt({ aud: '00000002-0000-0000-c000-000000000000', iss: app.id, nbf: now, exp: now + 600, ...claims }, key);
    const addKey = (p: string) => g.api(`/applications/${app.id}/addKey`).post({ keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: second.derBase64 }, passwordCredential: null, proof: p });
    await rejectsWith(addKey(proof({ aud: 'wrong' })), 401, 'Authentication_MissingOrMalformed');
    await rejectsWith(addKey(proof({ iss: randomUUID() })), 401, 'Authentication_MissingOrMalformed');
    await rejectsWith(addKey(proof({ exp: now + 3600 })), 401, 'Authentication_MissingOrMalformed');
    await rejectsWith(addKey(proof({}, second.keyPem)), 401, 'Authentication_MissingOrMalformed');
    const padded = proof().split('.');
    await rejectsWith(addKey(`${padded[0]}=.${padded[1]}.${padded[2]}`), 401, 'Authentication_MissingOrMalformed');
    const added = await addKey(proof());
    assert.ok(added.keyId);
    assert.equal(added.key, null);
    assert.equal((await g.api(`/applications/${app.id}`).get()).keyCredentials.length, 2);
    const oldKeyId = (await g.api(`/applications/${app.id}`).get()).keyCredentials[0].keyId;
    // the new certificate can now sign the proof that removes the old one
    await g.api(`/applications(appId='${app.appId}')/removeKey`).post({ keyId: oldKeyId, proof: proof({}, second.keyPem) });
    const left = await g.api(`/applications/${app.id}`).get();
    assert.deepEqual(left.keyCredentials.map((k: { keyId: string }) => k.keyId), [added.keyId]);
    // no valid certificate → addKey is refused (use PATCH)
    const bare = await g.api('/applications').post({ displayName: 'No certs' });
    await rejectsWith(
      g.api(`/applications/${bare.id}/addKey`).post({ keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: second.derBase64 }, proof: proof({ iss: bare.id }) }),
      400,
    );
  });

  it('validates identifierUris uniqueness and scopes (id/value, disable before removal)', async () => {
    const a = await g.api('/applications').post({ displayName: 'Api A' });
    await g.api(`/applications/${a.id}`).patch({ identifierUris: [`api://${a.appId}`] });
    const b = await g.api('/applications').post({ displayName: 'Api B' });
    await rejectsWith(g.api(`/applications/${b.id}`).patch({ identifierUris: [`api://${a.appId}`] }), 400, 'Request_BadRequest', /identifierUris already exists/);
    await rejectsWith(g.api(`/applications/${b.id}`).patch({ identifierUris: ['https://evil.example.com/api'] }), 400, 'HostNameNotOnVerifiedDomain');
    const scope = { id: randomUUID(), value: 'access_as_user', type: 'Admin', isEnabled: true, adminConsentDisplayName: 'Access', adminConsentDescription: 'Access' };
    await rejectsWith(g.api(`/applications/${a.id}`).patch({ api: { oauth2PermissionScopes: [{ ...scope, value: undefined }] } }), 400);
    await g.api(`/applications/${a.id}`).patch({ api: { oauth2PermissionScopes: [scope] } });
    const got = await g.api(`/applications/${a.id}`).get();
    assert.equal(got.api.oauth2PermissionScopes[0].value, 'access_as_user');
    assert.equal(got.api.requestedAccessTokenVersion, 2, 'siblings in api survive');
    await rejectsWith(g.api(`/applications/${a.id}`).patch({ api: { oauth2PermissionScopes: [] } }), 400, 'CannotDeleteOrUpdateEnabledEntitlement');
    await g.api(`/applications/${a.id}`).patch({ api: { oauth2PermissionScopes: [{ ...scope, isEnabled: false }] } });
    await g.api(`/applications/${a.id}`).patch({ api: { oauth2PermissionScopes: [] } });
    // the service principal follows the application's scopes
    const sp = await g.api('/servicePrincipals').post({ appId: a.appId });
    assert.deepEqual(sp.servicePrincipalNames.sort(), [a.appId, `api://${a.appId}`].sort());
  });

  it('answers unknown segments and methods like Graph', async () => {
    const r = await emulatorFetch(h, '/v1.0/nothing', { token });
    assert.equal(r.status, 400);
    const m = await emulatorFetch(h, '/v1.0/applications', { token, method: 'PUT', body: {} });
    assert.equal(m.status, 405);
    assert.equal(m.body.error.message, 'Specified HTTP method is not allowed for the request target.');
    assert.ok(m.body.error.innerError.date && m.body.error.innerError['client-request-id']);
  });
});
