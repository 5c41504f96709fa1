/** The planner, aspect by aspect: what each one shows and writes (pure: builders, no network). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan as planRun, inSync } from '../../src/reconcile/plan.js';
import type { Change, PlanOptions, Write } from '../../src/reconcile/types.js';
import type { DesiredState, Observed } from '../../src/model/state.js';
import { INTEGRATED_APP_TAG, MICROSOFT_GRAPH_APP_ID, USER_READ_SCOPE_ID } from '../../src/model/portal.js';
import { APP_ID, GRAPH_SP_ID, SCOPE_ID, SP_ID, desired, emptyTenant, fakeCert, grant, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';
import { assertValidPlan } from '../fixtures/plan/validate.js';

const NEW_SCOPE = '99999999-9999-4999-8999-999999999999';
const plan = (d: DesiredState, o: Observed, opts: PlanOptions = {}) => planRun(d, o, { newScopeId: NEW_SCOPE, ...opts }).plan;
const writes = (d: DesiredState, o: Observed, opts: PlanOptions = {}): Write[] => planRun(d, o, { newScopeId: NEW_SCOPE, ...opts }).writes;
const summary = (changes: Change[]) => changes.map((c) => `${c.resource}:${c.action}${'field' in c && c.field ? `:${c.field}` : ''}`);
const patch = (ws: Write[]) => ws.find((w) => w.op === 'patchApplication' && !w.phase) as (Write & { op: 'patchApplication' }) | undefined;

test('an application already in shape gives an empty plan and no writes', () => {
  const d = desired();
  const run = planRun(d, syncedObserved(d));
  assert.deepEqual(run.plan, { version: 2, changes: [] });
  assert.deepEqual(run.writes, []);
  assert.equal(inSync(run.plan), true);
});

test('registration from scratch plans every aspect, in execution order, and writes upsert → record → one PATCH → SP → grants', () => {
  const d = desired({ appId: undefined, signInAudience: 'AzureADMultipleOrgs' });
  const run = planRun(d, emptyTenant(), { newScopeId: NEW_SCOPE });
  assertValidPlan(run.plan);
  assert.deepEqual(summary(run.plan.changes), [
    'application:create',
    'application:update:signInAudience',
    'application:update:isFallbackPublicClient',
    'config:record:application.appId',
    'identifierUri:add:identifierUris',
    'permissionScope:add:api.oauth2PermissionScopes',
    'redirectUri:add:spa.redirectUris',
    'keyCredential:add:keyCredentials',
    'requiredResourceAccess:add:requiredResourceAccess',
    'requiredResourceAccess:add:requiredResourceAccess',
    'servicePrincipal:create',
    'oauth2PermissionGrant:create:scope',
    'oauth2PermissionGrant:create:scope',
  ]);
  assert.deepEqual(run.writes.map((w) => w.op), ['upsertApplication', 'recordAppId', 'patchApplication', 'createServicePrincipal', 'createGrant', 'createGrant']);
  const upsert = run.writes[0] as Write & { op: 'upsertApplication' };
  // only scalars in the upsert: if the application exists after all, no collection is replaced
  assert.deepEqual(upsert.body, { displayName: 'Veeam Restore Portal', signInAudience: 'AzureADMultipleOrgs', isFallbackPublicClient: true });
  const p = patch(run.writes)!;
  assert.deepEqual(p.aspects, ['exposedApi', 'redirectUris', 'certificates', 'permissions']);
  assert.deepEqual(p.body.identifierUris, ['api://{{app.appId}}']);
  assert.deepEqual(p.body.api?.oauth2PermissionScopes?.map((s) => s.id), [NEW_SCOPE]);
  assert.deepEqual(p.body.requiredResourceAccess, [
    { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ_SCOPE_ID, type: 'Scope' }] },
    { resourceAppId: '{{app.appId}}', resourceAccess: [{ id: NEW_SCOPE, type: 'Scope' }] },
  ]);
  assert.deepEqual(run.writes.slice(3).map((w) => JSON.stringify('body' in w ? w.body : w)), [
    JSON.stringify({ appId: '{{app.appId}}', tags: [INTEGRATED_APP_TAG] }),
    JSON.stringify({ clientId: '{{sp.id}}', resourceId: GRAPH_SP_ID, scope: 'User.Read' }),
    JSON.stringify({ clientId: '{{sp.id}}', resourceId: '{{sp.id}}', scope: 'access_as_user' }),
  ]);
});

test('redirect URIs compare as canonical sets: case, trailing slash and order do not drift', () => {
  const d = desired({ redirectUris: ['https://portal.abc.com:4443', 'https://other.abc.com:4443'] });
  const app = syncedApp(d, { spa: { redirectUris: ['HTTPS://Other.ABC.com:4443/', 'https://PORTAL.abc.com:4443/'] } });
  assert.deepEqual(plan(d, syncedObserved(d, { application: app })).changes, []);
});

test('a foreign redirect URI on any platform is drift: kept (and named) without --prune, removed with it', () => {
  const d = desired();
  const app = syncedApp(d, {
    spa: { redirectUris: ['https://foreign.example.com/cb', 'https://portal.abc.com:4443'] },
    web: { redirectUris: ['https://evil.example.com/cb'], implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false } },
  });
  const o = syncedObserved(d, { application: app });
  const kept = planRun(d, o);
  assert.deepEqual(summary(kept.plan.changes), ['redirectUri:keep:spa.redirectUris', 'redirectUri:keep:web.redirectUris']);
  assert.ok(kept.plan.changes.every((c) => c.unmanaged === true && /apply --prune removes it/.test(c.reason ?? '')));
  assert.deepEqual(kept.writes, []);
  const pruned = planRun(d, o, { prune: true });
  assert.deepEqual(summary(pruned.plan.changes), ['redirectUri:remove:spa.redirectUris', 'redirectUri:remove:web.redirectUris']);
  // one PATCH, both objects sent whole: the web object keeps its implicit-grant settings
  assert.deepEqual(patch(pruned.writes)!.body, {
    spa: { redirectUris: ['https://portal.abc.com:4443'] },
    web: { redirectUris: [], implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false } },
  });
});

test('a config without portal.url wants no redirect URI: registered ones are unmanaged', () => {
  const d = desired({ redirectUris: [] });
  const o = syncedObserved(d, { application: syncedApp(d, { spa: { redirectUris: ['https://x.example.com'] } }) });
  assert.deepEqual(summary(plan(d, o).changes), ['redirectUri:keep:spa.redirectUris']);
});

test('certificates: the configured one is added whole-array; another is unmanaged and shows no key bytes', () => {
  const d = desired();
  const old = fakeCert('old', 'CN=Old');
  const o = syncedObserved(d, { application: syncedApp(d, { keyCredentials: [storedKey(old, 'old-key-id')] }) });
  const p = plan(d, o);
  assert.deepEqual(p.changes, [
    { resource: 'keyCredential', action: 'add', field: 'keyCredentials', after: { thumbprint: d.certificates[0]!.thumbprint, displayName: 'CN=Veeam Restore Portal', startDateTime: '2026-01-01T00:00:00.000Z', endDateTime: '2027-01-01T00:00:00.000Z' } },
    {
      resource: 'keyCredential', action: 'keep', field: 'keyCredentials', unmanaged: true, reason: 'not a certificate the config manages: kept; apply --prune removes it',
      before: { thumbprint: old.thumbprint, keyId: 'old-key-id', displayName: 'CN=Old', startDateTime: old.notBefore, endDateTime: old.notAfter },
    },
  ]);
  const body = patch(writes(d, o))!.body;
  assert.equal(body.keyCredentials?.length, 2);
  assert.deepEqual(body.keyCredentials?.[0], storedKey(old, 'old-key-id'), 'an existing entry goes back as read (its keyId unchanged)');
  assert.equal(body.keyCredentials?.[1]?.keyId, undefined, 'Graph assigns the new keyId');
  assert.equal(body.keyCredentials?.[1]?.key, d.certificates[0]!.derBase64);
  const both = syncedObserved(d, { application: syncedApp(d, { keyCredentials: [storedKey(d.certificates[0]!), storedKey(old)] }) });
  assert.deepEqual(patch(writes(d, both, { prune: true }))!.body, { keyCredentials: [storedKey(d.certificates[0]!)] });
  assert.ok(!JSON.stringify(p).includes(old.derBase64));
});

test('a stored certificate is recognised without its key bytes, by customKeyIdentifier (hex or base64)', () => {
  const d = desired();
  const hex = { ...storedKey(d.certificates[0]!), key: null };
  assert.deepEqual(plan(d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [hex] }) })).changes, []);
  const b64 = { ...hex, customKeyIdentifier: Buffer.from(d.certificates[0]!.thumbprint, 'hex').toString('base64') };
  assert.deepEqual(plan(d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [b64] }) })).changes, []);
});

test('a rotation in progress keeps both certificates managed', () => {
  const d = desired({ certificates: [fakeCert(), fakeCert('old', 'CN=old', 'previous')] });
  assert.deepEqual(plan(d, syncedObserved(d), { prune: true }).changes, []);
});

test('client secrets and federated credentials are unmanaged: removePassword / DELETE with --prune', () => {
  const d = desired();
  const app = syncedApp(d, { passwordCredentials: [{ keyId: 'pw-1', displayName: 'ci', hint: 'Zx9', endDateTime: '2030-01-01T00:00:00Z' }] });
  const o = syncedObserved(d, { application: app, federatedCredentials: [{ id: 'fic-1', name: 'gh', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:x/y:ref:refs/heads/main' }] });
  const kept = plan(d, o);
  assert.deepEqual(summary(kept.changes), ['passwordCredential:keep:passwordCredentials', 'federatedCredential:keep:federatedIdentityCredentials']);
  assert.deepEqual(kept.changes[0], {
    resource: 'passwordCredential', action: 'keep', field: 'passwordCredentials', unmanaged: true,
    before: { keyId: 'pw-1', displayName: 'ci', hint: 'Zx9', endDateTime: '2030-01-01T00:00:00Z' },
    reason: 'the portal application signs in with its certificate only: kept; apply --prune removes it',
  });
  assert.deepEqual(writes(d, o, { prune: true }), [
    { aspect: 'credentials', op: 'removePassword', keyId: 'pw-1' },
    { aspect: 'credentials', op: 'deleteFederatedCredential', id: 'fic-1' },
  ]);
});

test('permissions: exactly User.Read and access_as_user; others unmanaged, named by value, pruned from the whole array', () => {
  const d = desired();
  const mailRead = { id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', type: 'Scope' };
  const app = syncedApp(d, {
    requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID.toUpperCase(), resourceAccess: [mailRead] }],
  });
  const o = syncedObserved(d, { application: app });
  const p = plan(d, o);
  assert.deepEqual(summary(p.changes), ['requiredResourceAccess:add:requiredResourceAccess', 'requiredResourceAccess:add:requiredResourceAccess', 'requiredResourceAccess:keep:requiredResourceAccess']);
  const self = p.changes[1];
  assert.ok(self?.resource === 'requiredResourceAccess' && self.after?.resourceAppId === APP_ID && self.after.id === SCOPE_ID);
  const mail = p.changes[2];
  assert.ok(mail?.resource === 'requiredResourceAccess' && mail.before?.value === 'Mail.Read' && mail.before.resource === 'Microsoft Graph');
  assert.deepEqual(patch(writes(d, o))!.body.requiredResourceAccess, [
    { resourceAppId: MICROSOFT_GRAPH_APP_ID.toUpperCase(), resourceAccess: [mailRead, { id: USER_READ_SCOPE_ID, type: 'Scope' }] },
    { resourceAppId: APP_ID, resourceAccess: [{ id: SCOPE_ID, type: 'Scope' }] },
  ]);
  // the emptied block goes; User.Read comes back in a block of its own
  assert.deepEqual(patch(writes(d, o, { prune: true }))!.body.requiredResourceAccess, [
    { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ_SCOPE_ID, type: 'Scope' }] },
    { resourceAppId: APP_ID, resourceAccess: [{ id: SCOPE_ID, type: 'Scope' }] },
  ]);
});

test('each application field drifts on its own', () => {
  const d = desired();
  const cases: [Parameters<typeof syncedApp>[1], string][] = [
    [{ signInAudience: 'AzureADMultipleOrgs' }, 'application:update:signInAudience'],
    [{ displayName: 'Renamed' }, 'application:update:displayName'],
    [{ isFallbackPublicClient: false }, 'application:update:isFallbackPublicClient'],
    [{ web: { implicitGrantSettings: { enableIdTokenIssuance: true, enableAccessTokenIssuance: false } } }, 'application:update:web.implicitGrantSettings'],
    [{ identifierUris: ['api://something-else'] }, 'identifierUri:add:identifierUris,identifierUri:keep:identifierUris'],
    [{ api: { oauth2PermissionScopes: [{ id: SCOPE_ID, value: 'access_as_user', type: 'User', isEnabled: true, adminConsentDisplayName: 'x', adminConsentDescription: 'y' }] } }, 'permissionScope:update:api.oauth2PermissionScopes'],
  ];
  for (const [override, expected] of cases) {
    const p = plan(d, syncedObserved(d, { application: syncedApp(d, override) }));
    assertValidPlan(p);
    assert.deepEqual(summary(p.changes).join(','), expected, `override ${JSON.stringify(override)}`);
  }
});

test('the audience is always pinned: single-tenant unless the config says multiTenant, and a defaulted one says so', () => {
  const d = desired({ audienceDefaulted: true });
  const run = planRun(d, syncedObserved(d, { application: syncedApp(d, { signInAudience: 'AzureADMultipleOrgs' }) }));
  assert.deepEqual(run.plan.changes, [
    { resource: 'application', action: 'update', field: 'signInAudience', before: 'AzureADMultipleOrgs', after: 'AzureADMyOrg', reason: 'application.multiTenant is not set in the config: read as false (single-tenant)' },
  ]);
  assert.match(run.warnings.join('\n'), /multiTenant is not set/);
});

test('extra scopes and app roles: kept, or pruned in two PATCHes (disable, then remove)', () => {
  const d = desired();
  const own = syncedApp(d).api!.oauth2PermissionScopes![0]!;
  const extra = { id: 'scope-x', value: 'impersonate', type: 'User', isEnabled: true };
  const o = syncedObserved(d, { application: syncedApp(d, { api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [own, extra] } }) });
  assert.deepEqual(summary(plan(d, o).changes), ['permissionScope:keep:api.oauth2PermissionScopes']);
  const ws = writes(d, o, { prune: true });
  assert.deepEqual(ws.map((w) => [w.op, w.op === 'patchApplication' ? w.phase ?? 1 : 0]), [['patchApplication', 1], ['patchApplication', 2]]);
  const [first, second] = ws as (Write & { op: 'patchApplication' })[];
  assert.deepEqual(first!.body.api, { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ ...extra, isEnabled: false }, own] });
  assert.deepEqual(second!.body.api, { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [own] });
});

test('a missing service principal plans its creation and both grants', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, { servicePrincipal: undefined, grants: [] }));
  assert.deepEqual(summary(p.changes), ['servicePrincipal:create', 'oauth2PermissionGrant:create:scope', 'oauth2PermissionGrant:create:scope']);
  assert.deepEqual(p.changes[0], { resource: 'servicePrincipal', action: 'create', after: { appId: APP_ID, tags: [INTEGRATED_APP_TAG] } });
});

test('a service principal without the integrated-app tag gets it, keeping other tags; a disabled one is enabled', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, { servicePrincipal: { id: SP_ID, appId: APP_ID, tags: ['HideApp'], accountEnabled: false } }));
  assert.deepEqual(p.changes, [
    { resource: 'servicePrincipal', action: 'update', field: 'tags', before: ['HideApp'], after: ['HideApp', INTEGRATED_APP_TAG] },
    { resource: 'servicePrincipal', action: 'update', field: 'accountEnabled', before: false, after: true },
  ]);
});

test('consent: a missing scope is added to the existing grant; extra scopes are unmanaged; per-user grants are ignored', () => {
  const d = desired();
  const o = syncedObserved(d, {
    grants: [grant(GRAPH_SP_ID, 'openid profile'), grant(SP_ID, 'access_as_user', { consentType: 'Principal', principalId: 'some-user' })],
  });
  assert.deepEqual(plan(d, o).changes, [
    { resource: 'oauth2PermissionGrant', action: 'update', field: 'scope', target: 'Microsoft Graph', before: 'openid profile', after: 'openid profile User.Read' },
    { resource: 'oauth2PermissionGrant', action: 'keep', field: 'scope', target: 'Microsoft Graph', before: 'openid profile', unmanaged: true, reason: 'scopes openid profile not in the config: kept; apply --prune removes it' },
    { resource: 'oauth2PermissionGrant', action: 'create', field: 'scope', target: 'this application', after: 'access_as_user' },
  ]);
  const pruned = writes(d, o, { prune: true }).filter((w) => w.op === 'patchGrant');
  assert.deepEqual(pruned, [{ aspect: 'consent', op: 'patchGrant', grantId: o.grants[0]!.id, scope: 'User.Read' }]);
});

test('scope values compare case-insensitively', () => {
  const d = desired();
  assert.deepEqual(plan(d, syncedObserved(d, { grants: [grant(GRAPH_SP_ID, 'user.read'), grant(SP_ID, 'access_as_user')] })).changes, []);
});

test('admin consent on another resource and application permissions are unmanaged', () => {
  const d = desired();
  const o = syncedObserved(d, {
    grants: [grant(GRAPH_SP_ID, 'User.Read'), grant(SP_ID, 'access_as_user'), grant('exo-sp', 'EWS.AccessAsUser.All', { id: 'g-exo' })],
    appRoleAssignments: [{ id: 'ara-1', appRoleId: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', principalId: SP_ID, resourceId: GRAPH_SP_ID }],
  });
  const p = plan(d, o);
  assert.deepEqual(summary(p.changes), ['oauth2PermissionGrant:keep:scope', 'appRoleAssignment:keep']);
  const ara = p.changes[1];
  assert.ok(ara?.resource === 'appRoleAssignment' && ara.before.value === 'Directory.ReadWrite.All' && ara.before.resource === 'Microsoft Graph');
  assert.deepEqual(writes(d, o, { prune: true }), [
    { aspect: 'consent', op: 'deleteGrant', grantId: 'g-exo' },
    { aspect: 'consent', op: 'deleteAppRoleAssignment', servicePrincipalId: SP_ID, assignmentId: 'ara-1' },
  ]);
});

test('an application found by uniqueName gets its appId recorded in the config', () => {
  const d = desired({ appId: undefined });
  assert.deepEqual(plan(d, syncedObserved(d)).changes, [{ resource: 'config', action: 'record', field: 'application.appId', after: APP_ID }]);
});

test('an adopted application without a uniqueName gets the configured one', () => {
  const d = desired();
  const p = plan(d, syncedObserved(d, { application: syncedApp(d, { uniqueName: null }) }));
  assert.deepEqual(p.changes, [{ resource: 'application', action: 'update', field: 'uniqueName', after: 'veeam-restore-portal' }]);
});

test('the access_as_user scope keeps its id and custom texts when repaired, and the whole api object is sent', () => {
  const d = desired();
  const app = syncedApp(d, {
    api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ id: SCOPE_ID, value: 'access_as_user', type: 'User', isEnabled: false, adminConsentDisplayName: 'Custom', adminConsentDescription: 'Custom text' }] },
  });
  const body = patch(writes(d, syncedObserved(d, { application: app })))!.body;
  assert.equal(body.api?.requestedAccessTokenVersion, 2);
  const [scope] = body.api?.oauth2PermissionScopes ?? [];
  assert.equal(scope?.id, SCOPE_ID);
  assert.equal(scope?.isEnabled, true);
  assert.equal(scope?.type, 'Admin');
  assert.equal(scope?.adminConsentDisplayName, 'Custom');
  assert.equal(scope?.userConsentDisplayName, 'Access Veeam Backup for Microsoft 365 Restore Portal');
});

test('expiry is health, not drift: a certificate expiring soon warns, an expired one fails, both without changes', () => {
  const d = desired();
  const o = syncedObserved(d);
  const soon = planRun(d, o, { now: Date.parse('2026-12-20T00:00:00Z') });
  assert.equal(soon.plan.changes.length, 0);
  assert.equal(soon.assessments.certificates.verdict.status, 'warn');
  assert.match(soon.warnings.join('\n'), /expires in 12 days/);
  const expired = planRun(d, o, { now: Date.parse('2027-02-01T00:00:00Z') });
  assert.equal(expired.assessments.certificates.verdict.status, 'fail');
  assert.equal(expired.plan.changes.length, 0);
  assert.equal(planRun(d, o, { now: Date.parse('2026-06-01T00:00:00Z') }).assessments.certificates.verdict.status, 'pass');
});
