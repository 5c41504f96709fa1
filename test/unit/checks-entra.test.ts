/** The Entra verdicts as pure functions of what Graph returned (no network). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Application, Observed } from '../../src/graph/api.js';
import { judgeApplication, judgeCertificate, judgeConsent, judgePermissions, judgeRedirectUri, keyCredentialThumbprint } from '../../src/checks/entra-judge.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const SCOPE_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
const DER = Buffer.from('not really a certificate, but bytes to hash');
const THUMB = createHash('sha1').update(DER).digest('hex').toUpperCase();
const NOW = Date.parse('2026-11-27T12:00:00Z');

function app(over: Partial<Application> = {}): Application {
  return {
    id: 'obj-1',
    appId: APP_ID,
    displayName: 'Veeam Restore Portal',
    signInAudience: 'AzureADMyOrg',
    identifierUris: [`api://${APP_ID}`],
    api: { oauth2PermissionScopes: [{ id: SCOPE_ID, value: 'access_as_user', type: 'Admin', isEnabled: true }] },
    spa: { redirectUris: ['https://portal.abc.com:4443'] },
    requiredResourceAccess: [
      { resourceAppId: GRAPH, resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] },
      { resourceAppId: APP_ID, resourceAccess: [{ id: SCOPE_ID, type: 'Scope' }] },
    ],
    keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: DER.toString('base64'), keyId: 'k1', startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2027-06-01T00:00:00Z' }],
    ...over,
  };
}

function observed(over: Partial<Observed> = {}): Observed {
  return {
    application: app(),
    servicePrincipal: { id: 'sp-own', appId: APP_ID },
    resources: { [GRAPH]: { id: 'sp-graph', appId: GRAPH } },
    grants: [
      { id: 'g1', clientId: 'sp-own', consentType: 'AllPrincipals', resourceId: 'sp-graph', scope: 'openid User.Read' },
      { id: 'g2', clientId: 'sp-own', consentType: 'AllPrincipals', resourceId: 'sp-own', scope: 'access_as_user' },
    ],
    roundTrips: 2,
    ...over,
  };
}

test('entra.app: present with the wanted audience passes; wrong audience fails; missing names the remedy', () => {
  assert.equal(judgeApplication({ version: 1, application: { appId: APP_ID, multiTenant: false } }, observed(), 'contoso').status, 'pass');
  const multi = judgeApplication({ version: 1, application: { appId: APP_ID, multiTenant: true } }, observed(), 'contoso');
  assert.equal(multi.status, 'fail');
  assert.match(multi.message, /AzureADMyOrg, the config wants AzureADMultipleOrgs/);
  const gone = judgeApplication({ version: 1, application: { appId: APP_ID } }, observed({ application: undefined }), 'contoso');
  assert.equal(gone.status, 'fail');
  assert.match(gone.message, /does not exist in tenant contoso/);
  assert.match(gone.remedy!, /Deleted applications/);
  assert.equal(judgeApplication({ version: 1, application: { uniqueName: 'x' } }, observed(), 'contoso').status, 'warn');
});

test('entra.redirect-uri: normalised match passes; a miss names the registered URIs and AADSTS50011', () => {
  assert.equal(judgeRedirectUri(app(), 'HTTPS://Portal.ABC.com:4443/').status, 'pass');
  const miss = judgeRedirectUri(app({ spa: { redirectUris: ['https://old.abc.com:4443'] } }), 'https://portal.abc.com:4443');
  assert.equal(miss.status, 'fail');
  assert.match(miss.message, /registered: https:\/\/old\.abc\.com:4443/);
  assert.match(miss.message, /AADSTS50011/);
  const web = judgeRedirectUri(app({ spa: { redirectUris: [] }, web: { redirectUris: ['https://portal.abc.com:4443'] } }), 'https://portal.abc.com:4443');
  assert.match(web.message, /Web redirect URI/);
});

test('entra.certificate: by thumbprint over the key bytes; missing, expired and expiring', () => {
  const config = { version: 1 as const, certificate: { thumbprint: THUMB.toLowerCase() } };
  assert.equal(judgeCertificate(config, app(), NOW).status, 'pass');
  const missing = judgeCertificate({ version: 1, certificate: { thumbprint: 'A'.repeat(40) } }, app(), NOW);
  assert.equal(missing.status, 'fail');
  assert.ok(missing.message.includes(THUMB), 'names the registered thumbprints');
  assert.equal(judgeCertificate(config, app(), Date.parse('2027-07-01T00:00:00Z')).status, 'fail');
  const soon = judgeCertificate(config, app(), Date.parse('2027-05-20T00:00:00Z'));
  assert.equal(soon.status, 'warn');
  assert.match(soon.message, /expires in 12 days, on 2027-06-01/);
  assert.equal(judgeCertificate({ version: 1 }, app(), NOW).status, 'fail');
});

test('keyCredentialThumbprint falls back to customKeyIdentifier (hex or base64 of 20 bytes)', () => {
  assert.equal(keyCredentialThumbprint({ type: 'AsymmetricX509Cert', usage: 'Verify', key: null, customKeyIdentifier: THUMB.toLowerCase() }), THUMB);
  assert.equal(keyCredentialThumbprint({ type: 'AsymmetricX509Cert', usage: 'Verify', customKeyIdentifier: Buffer.from(THUMB, 'hex').toString('base64') }), THUMB);
});

test('entra.permissions: User.Read, the exposed access_as_user and its own delegated access', () => {
  assert.equal(judgePermissions(app()).status, 'pass');
  const none = judgePermissions(app({ requiredResourceAccess: [], api: { oauth2PermissionScopes: [] } }));
  assert.equal(none.status, 'fail');
  assert.match(none.message, /User\.Read/);
  assert.match(none.message, /exposed scope access_as_user/);
});

test('entra.consent: the service principal and both AllPrincipals grants', () => {
  assert.equal(judgeConsent(observed()).status, 'pass');
  const noSp = judgeConsent(observed({ servicePrincipal: undefined, grants: [] }));
  assert.equal(noSp.status, 'fail');
  assert.match(noSp.message, /no service principal/);
  const revoked = judgeConsent(observed({ grants: [{ id: 'g1', clientId: 'sp-own', consentType: 'AllPrincipals', resourceId: 'sp-graph', scope: 'User.Read' }] }));
  assert.equal(revoked.status, 'fail');
  assert.match(revoked.message, /does not cover access_as_user/);
  const perUser = judgeConsent(observed({ grants: observed().grants.map((g) => ({ ...g, consentType: 'Principal' as const })) }));
  assert.equal(perUser.status, 'fail', 'per-user grants are not admin consent');
});
