import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan, inSync } from '../../src/reconcile/plan.js';
import type { Change } from '../../src/reconcile/types.js';
import { INTEGRATED_APP_TAG, MICROSOFT_GRAPH_APP_ID, USER_READ_SCOPE_ID } from '../../src/reconcile/constants.js';
import { APP_ID, GRAPH_SP_ID, SCOPE_ID, SP_ID, desired, emptyTenant, fakeCert, grant, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';
import { assertValidPlan } from '../fixtures/plan/validate.js';

const summary = (changes: Change[]) => changes.map((c) => `${c.resource}:${c.action}${'field' in c && c.field ? `:${c.field}` : ''}`);

test('an application already in shape gives an empty plan', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d));
  assert.deepEqual(p, { version: 1, changes: [] });
  assert.equal(inSync(p), true);
});

test('registration from scratch plans every aspect, in execution order', () => {
  const d = desired({ appId: undefined, signInAudience: 'AzureADMultipleOrgs' });
  const p = plan(d, emptyTenant());
  assertValidPlan(p);
  assert.deepEqual(summary(p.changes), [
    'application:create',
    'application:update:signInAudience',
    'application:update:identifierUris',
    'application:update:api.oauth2PermissionScopes',
    'application:update:isFallbackPublicClient',
    'redirectUri:add:spa.redirectUris',
    'keyCredential:add:keyCredentials',
    'requiredResourceAccess:add:requiredResourceAccess',
    'requiredResourceAccess:add:requiredResourceAccess',
    'servicePrincipal:create',
    'oauth2PermissionGrant:create:scope',
    'oauth2PermissionGrant:create:scope',
    'config:record:application.appId',
  ]);
  assert.deepEqual(p.changes[0], { resource: 'application', action: 'create', after: { displayName: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' } });
});

test('the default audience is not planned as a change on create', () => {
  const p = plan(desired({ appId: undefined }), emptyTenant());
  assert.ok(!summary(p.changes).includes('application:update:signInAudience'));
});

test('redirect URIs compare as canonical sets: case, trailing slash and order do not drift', () => {
  const d = desired({ redirectUris: ['https://portal.abc.com:4443', 'https://other.abc.com:4443'] });
  const app = syncedApp(d, { spa: { redirectUris: ['HTTPS://Other.ABC.com:4443/', 'https://PORTAL.abc.com:4443/'] } });
  assert.deepEqual(plan(d, syncedObserved(d, { application: app })).changes, []);
});

test('a foreign redirect URI is kept, and removed only with prune', () => {
  const d = desired();
  const app = syncedApp(d, { spa: { redirectUris: ['https://foreign.example.com/cb', 'https://portal.abc.com:4443'] } });
  const o = syncedObserved(d, { application: app });
  assert.deepEqual(plan(d, o).changes, []);
  assert.deepEqual(plan(d, o, { prune: true }).changes, [
    { resource: 'redirectUri', action: 'remove', field: 'spa.redirectUris', before: 'https://foreign.example.com/cb', reason: 'not in the config (--prune)' },
  ]);
});

test('a missing portal URL is added; omitted redirect URIs are unmanaged even with prune', () => {
  const d = desired();
  const o = syncedObserved(d, { application: syncedApp(d, { spa: { redirectUris: ['https://x.example.com'] } }) });
  assert.deepEqual(summary(plan(d, o).changes), ['redirectUri:add:spa.redirectUris']);
  const unmanaged = desired({ redirectUris: undefined });
  assert.deepEqual(plan(unmanaged, o, { prune: true }).changes, []);
});

test('certificates merge by thumbprint: an old one is kept, pruned only with prune, and never shows key bytes', () => {
  const d = desired();
  const old = fakeCert('old', 'CN=Old');
  const o = syncedObserved(d, { application: syncedApp(d, { keyCredentials: [storedKey(old, 'old-key-id')] }) });
  const p = plan(d, o);
  assert.deepEqual(p.changes, [
    {
      resource: 'keyCredential', action: 'add', field: 'keyCredentials',
      after: { thumbprint: d.certificate!.thumbprint, displayName: 'CN=Veeam Restore Portal', startDateTime: '2026-01-01T00:00:00.000Z', endDateTime: '2027-01-01T00:00:00.000Z' },
    },
  ]);
  const pruned = plan(d, o, { prune: true });
  assert.equal(pruned.changes.length, 2);
  assert.deepEqual(pruned.changes[1], {
    resource: 'keyCredential', action: 'remove', field: 'keyCredentials', reason: 'not the configured certificate (--prune)',
    before: { thumbprint: old.thumbprint, keyId: 'old-key-id', displayName: 'CN=Old', startDateTime: old.notBefore, endDateTime: old.notAfter },
  });
});

test('a stored certificate is recognised without its key bytes, by customKeyIdentifier (hex or base64)', () => {
  const d = desired();
  const hex = { ...storedKey(d.certificate!), key: null };
  assert.deepEqual(plan(d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [hex] }) })).changes, []);
  const b64 = { ...hex, customKeyIdentifier: Buffer.from(d.certificate!.thumbprint, 'hex').toString('base64') };
  assert.deepEqual(plan(d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [b64] }) })).changes, []);
});

test('no configured certificate leaves keyCredentials unmanaged', () => {
  const d = desired({ certificate: undefined });
  const o = syncedObserved(d, { application: syncedApp(d, { keyCredentials: [storedKey(fakeCert('x'))] }) });
  assert.deepEqual(plan(d, o, { prune: true }).changes, []);
});

test('permissions are a set union; unmanaged ones are kept, pruned with prune', () => {
  const d = desired();
  const mailRead = { id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', type: 'Scope' };
  const app = syncedApp(d, {
    requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID.toUpperCase(), resourceAccess: [mailRead] }],
  });
  const o = syncedObserved(d, { application: app });
  const p = plan(d, o);
  assert.deepEqual(p.changes.map((c) => c.action === 'add' && c.resource === 'requiredResourceAccess' && c.after?.value), ['User.Read', 'access_as_user']);
  const self = p.changes[1];
  assert.ok(self?.resource === 'requiredResourceAccess' && self.after?.resourceAppId === APP_ID && self.after.id === SCOPE_ID);
  const pruned = plan(d, o, { prune: true });
  assert.deepEqual(pruned.changes.at(-1), {
    resource: 'requiredResourceAccess', action: 'remove', field: 'requiredResourceAccess', reason: 'not required by the Restore Portal (--prune)',
    before: { resourceAppId: MICROSOFT_GRAPH_APP_ID.toUpperCase(), id: mailRead.id, type: 'Scope' },
  });
});

test('each application flag drifts on its own', () => {
  const d = desired();
  const cases: [Parameters<typeof syncedApp>[1], string][] = [
    [{ signInAudience: 'AzureADMultipleOrgs' }, 'signInAudience'],
    [{ displayName: 'Renamed' }, 'displayName'],
    [{ identifierUris: ['api://something-else'] }, 'identifierUris'],
    [{ isFallbackPublicClient: false }, 'isFallbackPublicClient'],
    [{ web: { implicitGrantSettings: { enableIdTokenIssuance: true, enableAccessTokenIssuance: false } } }, 'web.implicitGrantSettings'],
    [{ api: { oauth2PermissionScopes: [{ id: SCOPE_ID, value: 'access_as_user', type: 'User', isEnabled: true, adminConsentDisplayName: 'x', adminConsentDescription: 'y' }] } }, 'api.oauth2PermissionScopes'],
    [{ api: { oauth2PermissionScopes: [] } }, 'api.oauth2PermissionScopes'],
  ];
  for (const [override, field] of cases) {
    const p = plan(d, syncedObserved(d, { application: syncedApp(d, override) }));
    assertValidPlan(p);
    const fields = p.changes.filter((c) => c.resource === 'application').map((c) => ('field' in c ? c.field : ''));
    assert.deepEqual(fields, [field], `override ${JSON.stringify(override)}`);
  }
});

test('an unmanaged audience (multiTenant omitted) never drifts', () => {
  const d = desired({ signInAudience: undefined });
  assert.deepEqual(plan(d, syncedObserved(d, { application: syncedApp(d, { signInAudience: 'AzureADMultipleOrgs' }) })).changes, []);
});

test('a missing service principal plans its creation and both grants', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, { servicePrincipal: undefined, grants: [] }));
  assert.deepEqual(summary(p.changes), ['servicePrincipal:create', 'oauth2PermissionGrant:create:scope', 'oauth2PermissionGrant:create:scope']);
  assert.deepEqual(p.changes[0], { resource: 'servicePrincipal', action: 'create', after: { appId: APP_ID, tags: [INTEGRATED_APP_TAG] } });
});

test('a service principal without the integrated-app tag gets it, keeping other tags', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, { servicePrincipal: { id: SP_ID, appId: APP_ID, tags: ['HideApp'] } }));
  assert.deepEqual(p.changes, [{ resource: 'servicePrincipal', action: 'update', field: 'tags', before: ['HideApp'], after: ['HideApp', INTEGRATED_APP_TAG] }]);
});

test('consent extends an existing AllPrincipals grant and ignores per-user grants', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, {
    grants: [
      grant(GRAPH_SP_ID, 'openid profile'),
      grant(SP_ID, 'access_as_user', { consentType: 'Principal', principalId: 'some-user' }),
    ],
  }));
  assert.deepEqual(p.changes, [
    { resource: 'oauth2PermissionGrant', action: 'update', field: 'scope', target: 'Microsoft Graph', before: 'openid profile', after: 'openid profile User.Read' },
    { resource: 'oauth2PermissionGrant', action: 'create', field: 'scope', target: 'this application', after: 'access_as_user' },
  ]);
});

test('scope values compare case-insensitively', () => {
  const d = desired();
  assert.deepEqual(plan(d, syncedObserved(d, { grants: [grant(GRAPH_SP_ID, 'user.read'), grant(SP_ID, 'access_as_user')] })).changes, []);
});

test('an application found by uniqueName gets its appId recorded in the config', () => {
  const d = desired({ appId: undefined });
  assert.deepEqual(plan(d, syncedObserved(d)).changes, [{ resource: 'config', action: 'record', field: 'application.appId', after: APP_ID }]);
});

test('an adopted application without a uniqueName gets the configured one', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, { application: syncedApp(d, { uniqueName: null }) }));
  assert.deepEqual(p.changes, [{ resource: 'application', action: 'update', field: 'uniqueName', after: 'veeam-restore-portal' }]);
  assert.equal(USER_READ_SCOPE_ID.length, 36);
});
