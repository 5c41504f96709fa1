/**
 * The entra.* checks report the aspects' verdicts (src/reconcile/aspects): the same judgement as
 * the drift check, with the messages an operator acts on (no network).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_ASPECTS, verdictOf } from '../../src/checks/entra.js';
import { assess } from '../../src/reconcile/plan.js';
import { ASPECTS } from '../../src/reconcile/types.js';
import { thumbprintOf } from '../../src/reconcile/aspects/certificates.js';
import type { DesiredState, Observed } from '../../src/model/state.js';
import { GRAPH_SP_ID, SP_ID, desired, fakeCert, grant, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const check = (id: keyof typeof CHECK_ASPECTS, d: DesiredState, o: Observed, now = NOW) => verdictOf(assess(d, o, { now }), CHECK_ASPECTS[id]!);

test('every aspect is reported by exactly one check', () => {
  const reported = Object.values(CHECK_ASPECTS).flat();
  assert.deepEqual([...reported].sort(), [...ASPECTS].sort());
});

test('entra.app: the audience is judged, and the message names both', () => {
  const d = desired();
  assert.equal(check('entra.app', d, syncedObserved(d)).status, 'pass');
  const multi = check('entra.app', desired({ signInAudience: 'AzureADMultipleOrgs' }), syncedObserved(d));
  assert.equal(multi.status, 'fail');
  assert.match(multi.message, /signInAudience: AzureADMyOrg → AzureADMultipleOrgs/);
  assert.match(multi.remedy!, /entra-portal apply/);
});

test('entra.redirect-uri: a normalised match passes; a miss says AADSTS50011; a foreign URI on any platform fails', () => {
  const d = desired();
  assert.equal(check('entra.redirect-uri', d, syncedObserved(d, { application: syncedApp(d, { spa: { redirectUris: ['HTTPS://Portal.ABC.com:4443/'] } }) })).status, 'pass');
  const miss = check('entra.redirect-uri', d, syncedObserved(d, { application: syncedApp(d, { spa: { redirectUris: [] } }) }));
  assert.equal(miss.status, 'fail');
  assert.match(miss.message, /AADSTS50011/);
  const web = check('entra.redirect-uri', d, syncedObserved(d, { application: syncedApp(d, { web: { redirectUris: ['https://evil.example.com/cb'] } }) }));
  assert.equal(web.status, 'fail');
  assert.match(web.message, /unmanaged web redirect URI https:\/\/evil\.example\.com\/cb/);
  assert.match(web.remedy!, /apply --prune/);
});

test('entra.certificate: by thumbprint; an unknown certificate fails; expiring warns; expired fails', () => {
  const d = desired();
  assert.equal(check('entra.certificate', d, syncedObserved(d)).status, 'pass');
  const extra = check('entra.certificate', d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [storedKey(d.certificates[0]!), storedKey(fakeCert('x', 'CN=x'))] }) }));
  assert.equal(extra.status, 'fail');
  assert.match(extra.message, /unmanaged certificate .* \(CN=x\)/);
  const soon = check('entra.certificate', d, syncedObserved(d), Date.parse('2026-12-20T00:00:00Z'));
  assert.equal(soon.status, 'warn');
  assert.match(soon.message, /expires in 12 days, on 2027-01-01/);
  assert.equal(check('entra.certificate', d, syncedObserved(d), Date.parse('2027-02-01T00:00:00Z')).status, 'fail');
  assert.equal(check('entra.certificate', desired({ certificates: [] }), syncedObserved(desired({ certificates: [] }))).status, 'fail');
});

test('thumbprintOf falls back to customKeyIdentifier (hex or base64 of 20 bytes)', () => {
  const c = fakeCert();
  assert.equal(thumbprintOf({ type: 'AsymmetricX509Cert', usage: 'Verify', key: null, customKeyIdentifier: c.thumbprint.toLowerCase() }), c.thumbprint);
  assert.equal(thumbprintOf({ type: 'AsymmetricX509Cert', usage: 'Verify', customKeyIdentifier: Buffer.from(c.thumbprint, 'hex').toString('base64') }), c.thumbprint);
});

test('entra.credentials: a client secret or a federated credential fails, naming it', () => {
  const d = desired();
  assert.equal(check('entra.credentials', d, syncedObserved(d)).status, 'pass');
  const secret = check('entra.credentials', d, syncedObserved(d, { application: syncedApp(d, { passwordCredentials: [{ keyId: 'pw-1', displayName: 'backdoor', hint: 'xY1' }] }) }));
  assert.equal(secret.status, 'fail');
  assert.match(secret.message, /client secret "backdoor" keyId pw-1 hint xY1/);
});

test('entra.permissions: the exposed scope and exactly the two delegated permissions', () => {
  const d = desired();
  assert.equal(check('entra.permissions', d, syncedObserved(d)).status, 'pass');
  const none = check('entra.permissions', d, syncedObserved(d, { application: syncedApp(d, { requiredResourceAccess: [], api: { oauth2PermissionScopes: [] } }) }));
  assert.equal(none.status, 'fail');
  assert.match(none.message, /access_as_user/);
  assert.match(none.message, /User\.Read/);
});

test('entra.consent: the service principal and both AllPrincipals grants, exactly', () => {
  const d = desired();
  assert.equal(check('entra.consent', d, syncedObserved(d)).status, 'pass');
  const noSp = check('entra.consent', d, syncedObserved(d, { servicePrincipal: undefined, grants: [] }));
  assert.equal(noSp.status, 'fail');
  assert.match(noSp.message, /no service principal/);
  const revoked = check('entra.consent', d, syncedObserved(d, { grants: [grant(GRAPH_SP_ID, 'User.Read')] }));
  assert.equal(revoked.status, 'fail');
  assert.match(revoked.message, /admin consent on this application: "access_as_user" will be granted.*Need admin approval/);
  const perUser = check('entra.consent', d, syncedObserved(d, { grants: [grant(GRAPH_SP_ID, 'User.Read', { consentType: 'Principal' }), grant(SP_ID, 'access_as_user', { consentType: 'Principal' })] }));
  assert.equal(perUser.status, 'fail', 'per-user grants are not admin consent');
});
