/** The write side of each aspect: what execute sends (whole collections, merged, nothing clobbered). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applicationPatch } from '../../src/reconcile/aspects/application.js';
import { certificatePatch } from '../../src/reconcile/aspects/certificates.js';
import { permissionPatch } from '../../src/reconcile/aspects/permissions.js';
import { redirectUriPatch } from '../../src/reconcile/aspects/redirect-uris.js';
import { scopeUnion } from '../../src/reconcile/aspects/consent.js';
import { MICROSOFT_GRAPH_APP_ID, USER_READ_SCOPE_ID } from '../../src/reconcile/constants.js';
import { APP_ID, SCOPE_ID, desired, fakeCert, storedKey, syncedApp } from '../fixtures/plan/builders.js';

const NEW_SCOPE = '99999999-9999-4999-8999-999999999999';

test('an application in shape needs no write at all', () => {
  const d = desired();
  const app = syncedApp(d);
  assert.deepEqual(applicationPatch(d, app, { appId: APP_ID, newScopeId: NEW_SCOPE }), {});
  assert.deepEqual(redirectUriPatch(d, app, {}), {});
  assert.deepEqual(certificatePatch(d, app, {}), {});
  assert.deepEqual(permissionPatch(app, { appId: APP_ID, scopeId: SCOPE_ID }, {}), {});
});

test('redirect URIs: the whole spa object, existing spellings kept, the missing one appended', () => {
  const d = desired({ redirectUris: ['https://portal.abc.com:4443', 'https://extra.abc.com'] });
  const app = syncedApp(d, { spa: { redirectUris: ['https://foreign.example.com', 'HTTPS://PORTAL.abc.com:4443/'] } });
  assert.deepEqual(redirectUriPatch(d, app, {}), { spa: { redirectUris: ['https://foreign.example.com', 'HTTPS://PORTAL.abc.com:4443/', 'https://extra.abc.com'] } });
  assert.deepEqual(redirectUriPatch(d, app, { prune: true }), { spa: { redirectUris: ['HTTPS://PORTAL.abc.com:4443/', 'https://extra.abc.com'] } });
});

test('certificates: the whole array, existing keyIds untouched, the new one without a keyId', () => {
  const d = desired();
  const old = storedKey(fakeCert('old'), 'old-key-id');
  const app = syncedApp(d, { keyCredentials: [old] });
  const body = certificatePatch(d, app, {});
  assert.equal(body.keyCredentials?.length, 2);
  assert.deepEqual(body.keyCredentials?.[0], old);
  const added = body.keyCredentials?.[1];
  assert.equal(added?.keyId, undefined);
  assert.equal(added?.type, 'AsymmetricX509Cert');
  assert.equal(added?.usage, 'Verify');
  assert.equal(added?.key, d.certificate!.derBase64);
  assert.equal(added?.customKeyIdentifier, d.certificate!.thumbprint);
  assert.equal(added?.startDateTime, d.certificate!.notBefore);
  assert.equal(added?.endDateTime, d.certificate!.notAfter);
  assert.equal(added?.displayName, 'CN=Veeam Restore Portal');
  // prune with the configured one present: only the old one goes
  const both = syncedApp(d, { keyCredentials: [storedKey(d.certificate!), old] });
  assert.deepEqual(certificatePatch(d, both, { prune: true }), { keyCredentials: [storedKey(d.certificate!)] });
});

test('permissions: union into the existing Graph block, unmanaged kept; prune drops them', () => {
  const mail = { id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', type: 'Scope' as const };
  const exo = { resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: [{ id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', type: 'Role' as const }] };
  const app = syncedApp(desired(), { requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [mail] }, exo] });
  assert.deepEqual(permissionPatch(app, { appId: APP_ID, scopeId: SCOPE_ID }, {}), {
    requiredResourceAccess: [
      { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [mail, { id: USER_READ_SCOPE_ID, type: 'Scope' }] },
      exo,
      { resourceAppId: APP_ID, resourceAccess: [{ id: SCOPE_ID, type: 'Scope' }] },
    ],
  });
  assert.deepEqual(permissionPatch(app, { appId: APP_ID, scopeId: SCOPE_ID }, { prune: true }), {
    requiredResourceAccess: [
      { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ_SCOPE_ID, type: 'Scope' }] },
      { resourceAppId: APP_ID, resourceAccess: [{ id: SCOPE_ID, type: 'Scope' }] },
    ],
  });
});

test('the access_as_user scope keeps its id and custom texts when repaired', () => {
  const d = desired();
  const app = syncedApp(d, {
    api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ id: SCOPE_ID, value: 'access_as_user', type: 'User', isEnabled: false, adminConsentDisplayName: 'Custom', adminConsentDescription: 'Custom text' }] },
  });
  const body = applicationPatch(d, app, { appId: APP_ID, newScopeId: NEW_SCOPE });
  assert.equal(body.api?.requestedAccessTokenVersion, 2, 'the whole api object is sent');
  const [scope] = body.api?.oauth2PermissionScopes ?? [];
  assert.equal(scope?.id, SCOPE_ID);
  assert.equal(scope?.isEnabled, true);
  assert.equal(scope?.type, 'Admin');
  assert.equal(scope?.adminConsentDisplayName, 'Custom');
  assert.equal(scope?.userConsentDisplayName, 'Access Veeam Backup for Microsoft 365 Restore Portal');
});

test('a new scope gets the id execute drew, and other scopes are kept', () => {
  const d = desired();
  const other = { id: 'other-id', value: 'other', type: 'User', isEnabled: true };
  const body = applicationPatch(d, syncedApp(d, { api: { oauth2PermissionScopes: [other] } }), { appId: APP_ID, newScopeId: NEW_SCOPE });
  assert.deepEqual(body.api?.oauth2PermissionScopes?.map((s) => s.id), ['other-id', NEW_SCOPE]);
});

test('flags: implicit grant off (whole web object), public client on, identifier URI appended', () => {
  const d = desired();
  const app = syncedApp(d, {
    identifierUris: ['api://custom'],
    isFallbackPublicClient: null,
    web: { redirectUris: ['https://web.example.com'], implicitGrantSettings: { enableIdTokenIssuance: true, enableAccessTokenIssuance: true } },
  });
  assert.deepEqual(applicationPatch(d, app, { appId: APP_ID, newScopeId: NEW_SCOPE }), {
    identifierUris: ['api://custom', `api://${APP_ID}`],
    web: { redirectUris: ['https://web.example.com'], implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false } },
    isFallbackPublicClient: true,
  });
});

test('grant scopes grow to the union, never shrink', () => {
  assert.equal(scopeUnion('openid profile', ['User.Read']), 'openid profile User.Read');
  assert.equal(scopeUnion(' User.Read  openid ', ['user.read']), undefined);
  assert.equal(scopeUnion(null, ['access_as_user']), 'access_as_user');
});
