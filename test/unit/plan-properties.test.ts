/**
 * One judgement per aspect, checked over many generated Entra states (random combinations of the
 * ways an application drifts, with and without --prune):
 *  - an aspect has writes exactly when it has changes other than "keep" (an unmanaged item left in place);
 *  - its verdict fails exactly when it has changes;
 *  - carrying the writes out (in an in-memory Entra with Graph's rules) gives a state the same
 *    aspects judge in sync — with --prune nothing is left; without it, only the kept unmanaged items.
 * The same holds in a customer tenant of a multi-tenant application (service principal and consent
 * only, every change naming its tenant).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../../src/reconcile/plan.js';
import { CUSTOMER_ASPECTS, planCustomer } from '../../src/reconcile/customer.js';
import { ASPECTS, type Change } from '../../src/reconcile/types.js';
import type { DesiredState, Observed } from '../../src/model/state.js';
import { INTEGRATED_APP_TAG, MICROSOFT_GRAPH_APP_ID } from '../../src/model/portal.js';
import { APP_ID, GRAPH_SP_ID, SCOPE_ID, SP_ID, desired, emptyTenant, fakeCert, grant, storedKey, syncedObserved } from '../fixtures/plan/builders.js';
import { simulate } from '../fixtures/plan/simulate.js';
import { prng } from '../../src/emulator/faults.js';
import { assertValidPlan } from '../fixtures/plan/validate.js';

const EXCHANGE_SP = { id: '66666666-6666-4666-8666-666666666666', appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' };
const NEW_SCOPE_ID = '99999999-9999-4999-8999-999999999999';

type Mutation = [name: string, (o: Observed, d: DesiredState) => void];

const app = (o: Observed) => o.application!;
const setScope = (o: Observed, resourceId: string, scope: string) => {
  const g = o.grants.find((x) => x.resourceId === resourceId);
  if (g) g.scope = scope;
};

/** The ways an application drifts: an intruder's changes, an administrator's edits, replication gaps. */
export const MUTATIONS: Mutation[] = [
  ['client secret added', (o) => app(o).passwordCredentials!.push({ keyId: 'pw-1', displayName: 'backdoor', hint: 'abc', endDateTime: '2030-01-01T00:00:00Z' })],
  ['federated credential added', (o) => o.federatedCredentials.push({ id: 'fic-1', name: 'gh', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:evil/x:ref:refs/heads/main' })],
  ['web redirect URI added', (o) => (app(o).web!.redirectUris = ['https://evil.example.com/cb'])],
  ['public client redirect URI added', (o) => (app(o).publicClient = { redirectUris: ['http://localhost:1234'] })],
  ['foreign SPA redirect URI added', (o) => app(o).spa!.redirectUris!.push('https://evil.example.com/spa')],
  ['portal redirect URI removed', (o) => (app(o).spa = { redirectUris: [] })],
  ['audience widened', (o) => (app(o).signInAudience = 'AzureADMultipleOrgs')],
  ['implicit grant on', (o) => (app(o).web!.implicitGrantSettings = { enableIdTokenIssuance: true, enableAccessTokenIssuance: true })],
  ['public client flows off', (o) => (app(o).isFallbackPublicClient = false)],
  ['second certificate added', (o) => app(o).keyCredentials!.push(storedKey(fakeCert('intruder', 'CN=intruder'), 'intruder-key'))],
  ['configured certificate removed', (o) => (app(o).keyCredentials = [])],
  ['identifier URI added', (o) => app(o).identifierUris!.push('api://other-name')],
  ['own identifier URI removed', (o) => (app(o).identifierUris = [])],
  ['access_as_user disabled', (o) => (app(o).api!.oauth2PermissionScopes![0]!.isEnabled = false)],
  ['access_as_user made user-consentable', (o) => (app(o).api!.oauth2PermissionScopes![0]!.type = 'User')],
  ['extra enabled scope', (o) => app(o).api!.oauth2PermissionScopes!.push({ id: 'scope-x', value: 'impersonate', type: 'User', isEnabled: true })],
  ['extra disabled scope', (o) => app(o).api!.oauth2PermissionScopes!.push({ id: 'scope-y', value: 'old', type: 'User', isEnabled: false })],
  ['extra app role', (o) => (app(o).appRoles = [{ id: 'role-x', value: 'Admin', allowedMemberTypes: ['User'], isEnabled: true }])],
  ['Mail.Read requested', (o) => app(o).requiredResourceAccess![0]!.resourceAccess.push({ id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', type: 'Scope' })],
  ['application permission requested', (o) => app(o).requiredResourceAccess![0]!.resourceAccess.push({ id: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', type: 'Role' })],
  ['User.Read no longer requested', (o) => app(o).requiredResourceAccess!.shift()],
  ['own scope no longer requested', (o) => app(o).requiredResourceAccess!.pop()],
  ['display name changed', (o) => (app(o).displayName = 'Something else')],
  ['client secret added to the service principal', (o) => (o.servicePrincipal!.passwordCredentials = [{ keyId: 'sp-pw-1', displayName: 'sp backdoor', hint: 'xyz' }])],
  ['certificate added to the service principal', (o) => (o.servicePrincipal!.keyCredentials = [{ ...storedKey(fakeCert('sp-intruder', 'CN=sp intruder'), 'sp-key'), key: null }])],
  ['an owner added', (o) => (o.owners = [...(o.owners ?? []), { id: 'b0b0b0b0-0000-4000-8000-0000000000b0', '@odata.type': '#microsoft.graph.user', userPrincipalName: 'mallory@contoso.com' }])],
  ['an owner removed', (o) => (o.owners = (o.owners ?? []).slice(1))],
  ['a client pre-authorized for access_as_user', (o) => (app(o).api!.preAuthorizedApplications = [{ appId: '9e1f0b7a-0000-4000-8000-00000000e71c', delegatedPermissionIds: [SCOPE_ID] }])],
  ['service principal tag removed', (o) => (o.servicePrincipal!.tags = [])],
  ['service principal disabled', (o) => (o.servicePrincipal!.accountEnabled = false)],
  ['Graph consent revoked', (o) => (o.grants = o.grants.filter((g) => g.resourceId !== GRAPH_SP_ID))],
  ['own consent revoked', (o) => (o.grants = o.grants.filter((g) => g.resourceId !== SP_ID))],
  ['Graph consent widened', (o) => setScope(o, GRAPH_SP_ID, 'User.Read Mail.Read')],
  ['own consent emptied', (o) => setScope(o, SP_ID, '')],
  ['consent on Exchange', (o) => {
    o.resources[EXCHANGE_SP.appId] = EXCHANGE_SP;
    o.grants.push(grant(EXCHANGE_SP.id, 'EWS.AccessAsUser.All', { id: 'grant-exo' }));
  }],
  ['application permission granted', (o) => o.appRoleAssignments.push({ id: 'ara-1', appRoleId: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', principalId: SP_ID, resourceId: GRAPH_SP_ID, resourceDisplayName: 'Microsoft Graph' })],
  ['appId not recorded in the config', (_o, d) => delete d.appId],
  // last: it takes the grants and assignments with it
  ['service principal deleted', (o) => {
    delete o.servicePrincipal;
    o.grants = [];
    o.appRoleAssignments = [];
  }],
];

/** Desired states worth varying: single/multi-tenant, extra redirect URIs, a rotation in progress. */
const DESIRED: [string, () => DesiredState][] = [
  ['plain', () => desired()],
  ['multi-tenant with extra redirect URIs', () => desired({ signInAudience: 'AzureADMultipleOrgs', redirectUris: ['https://portal.abc.com:4443', 'https://other.abc.com:4443'] })],
  ['rotation in progress', () => desired({ certificates: [fakeCert(), fakeCert('old', 'CN=old', 'previous')] })],
  ['owners managed', () => desired({ owners: OWNERS })],
];

interface Case {
  name: string;
  desired: DesiredState;
  observed: Observed;
}

function* cases(count: number, seed = 1): Generator<Case> {
  const next = prng(seed);
  for (const [dname, make] of DESIRED) {
    // each mutation alone, then random combinations
    for (const m of MUTATIONS) yield build(dname, make, [m]);
    const d0 = make();
    yield { name: `${dname}: nothing registered yet`, desired: { ...d0, appId: undefined } as DesiredState, observed: emptyTenant() };
    for (let i = 0; i < count; i++) {
      const picked = MUTATIONS.filter(() => next() < 0.25);
      yield build(dname, make, picked);
    }
  }
}

function build(dname: string, make: () => DesiredState, picked: Mutation[]): Case {
  const d = make();
  const o = syncedObserved(d);
  // the synced state for a rotation holds both certificates
  for (const [, mutate] of picked) mutate(o, d);
  if (d.appId === undefined) delete (d as { appId?: string }).appId;
  return { name: `${dname}: ${picked.map(([n]) => n).join(', ') || 'in sync'}`, desired: d, observed: o };
}

const NOW = Date.parse('2026-06-01T00:00:00Z');
const writeChanges = (changes: readonly Change[]) => changes.filter((c) => c.action !== 'keep');

for (const prune of [false, true]) {
  test(`every aspect: writes ⇔ changes, fail ⇔ changes, and its writes converge (prune: ${prune})`, () => {
    let checked = 0;
    for (const c of cases(60)) {
      const run = plan(c.desired, c.observed, { prune, newScopeId: NEW_SCOPE_ID, now: NOW });
      assertValidPlan(run.plan);
      for (const aspect of ASPECTS) {
        const a = run.assessments[aspect];
        assert.equal(a.writes.length > 0, writeChanges(a.changes).length > 0, `${c.name}: ${aspect} writes ${JSON.stringify(a.writes)} vs changes ${JSON.stringify(a.changes)}`);
        assert.equal(a.verdict.status === 'fail', a.changes.length > 0, `${c.name}: ${aspect} verdict ${a.verdict.status} with ${a.changes.length} changes`);
        if (!prune) assert.ok(a.changes.every((ch) => ch.action !== 'remove'), `${c.name}: nothing is removed without --prune`);
      }
      const after = simulate(c.observed, c.desired, run.writes);
      const again = plan(after.desired, after.observed, { prune, newScopeId: NEW_SCOPE_ID, now: NOW });
      const left = again.plan.changes;
      if (prune) assert.deepEqual(left, [], `${c.name}: after the writes, still ${JSON.stringify(left)}`);
      else {
        assert.ok(left.every((ch) => ch.action === 'keep'), `${c.name}: after the writes, only kept items remain: ${JSON.stringify(writeChanges(left))}`);
        assert.equal(left.length, run.plan.changes.filter((ch) => ch.action === 'keep').length, `${c.name}: the same unmanaged items are kept`);
      }
      checked++;
    }
    assert.ok(checked > 250, `only ${checked} states generated`);
  });
}

const OWNERS = ['a0a0a0a0-0000-4000-8000-0000000000a0', 'a1a1a1a1-0000-4000-8000-0000000000a1'];

test('every mutation alone is drift, named in the plan (owners managed)', () => {
  const d = desired();
  for (const [name, mutate] of MUTATIONS) {
    const dd = desired({ owners: OWNERS });
    const o = syncedObserved(dd);
    mutate(o, dd);
    const run = plan(dd, o, { newScopeId: NEW_SCOPE_ID });
    assert.ok(run.plan.changes.length > 0, `${name}: not seen as drift`);
  }
  assert.deepEqual(plan(d, syncedObserved(d)).plan.changes, []);
});

test('the Restore Portal shape itself is in sync, with a rotation in progress too', () => {
  for (const [name, make] of DESIRED) {
    const d = make();
    assert.deepEqual(plan(d, syncedObserved(d), { prune: true, now: NOW }).plan.changes, [], name);
  }
  // and the in-sync service principal carries the tag
  assert.ok(syncedObserved(desired()).servicePrincipal?.tags?.includes(INTEGRATED_APP_TAG));
  assert.equal(syncedObserved(desired()).application?.appId, APP_ID);
  assert.ok(syncedObserved(desired()).resources[MICROSOFT_GRAPH_APP_ID]);
});

/* ------------------------------------------------------------------- customer tenants (service providers) */

const CUSTOMER_TENANT = 'fabrikam.onmicrosoft.com';
/** The drift a customer tenant can have: everything about the service principal and its consent. */
const CUSTOMER_MUTATIONS = MUTATIONS.filter(([name]) =>
  [
    'service principal tag removed',
    'service principal disabled',
    'Graph consent revoked',
    'own consent revoked',
    'Graph consent widened',
    'own consent emptied',
    'consent on Exchange',
    'application permission granted',
    'service principal deleted',
  ].includes(name),
);

/** A customer tenant in the shape the provider's application needs there: no application, its service principal and the two grants. */
function customerSynced(): Observed {
  const { application: _a, ...rest } = syncedObserved(desired());
  return { ...rest, providerAppId: APP_ID };
}

function* customerCases(count: number, seed = 7): Generator<{ name: string; observed: Observed }> {
  const next = prng(seed);
  yield { name: 'nothing there yet', observed: { ...emptyTenant(), providerAppId: APP_ID } };
  for (const m of CUSTOMER_MUTATIONS) yield customerCase([m]);
  for (let i = 0; i < count; i++) yield customerCase(CUSTOMER_MUTATIONS.filter(() => next() < 0.3));
}

function customerCase(picked: Mutation[]): { name: string; observed: Observed } {
  const o = customerSynced();
  for (const [, mutate] of picked) mutate(o, desired());
  return { name: picked.map(([n]) => n).join(', ') || 'in sync', observed: o };
}

for (const prune of [false, true]) {
  test(`a customer tenant: the same two aspects, writes ⇔ changes, fail ⇔ changes, convergence; every change names the tenant (prune: ${prune})`, () => {
    let checked = 0;
    for (const c of customerCases(40)) {
      const run = planCustomer(c.observed, { prune, newScopeId: NEW_SCOPE_ID, now: NOW, tenant: CUSTOMER_TENANT });
      assertValidPlan(run.plan);
      assert.ok(run.plan.changes.every((ch) => ch.tenant === CUSTOMER_TENANT), `${c.name}: a change without its tenant`);
      for (const aspect of CUSTOMER_ASPECTS) {
        const a = run.assessments[aspect];
        assert.equal(a.writes.length > 0, writeChanges(a.changes).length > 0, `${c.name}: ${aspect} writes vs changes`);
        assert.equal(a.verdict.status === 'fail', a.changes.length > 0, `${c.name}: ${aspect} verdict ${a.verdict.status}`);
      }
      // the service principal is created for the provider's appId, never a placeholder
      for (const w of run.writes) if (w.op === 'createServicePrincipal') assert.equal(w.body.appId, APP_ID);
      const after = simulate(c.observed, desired(), run.writes).observed;
      const left = planCustomer(after, { prune, newScopeId: NEW_SCOPE_ID, now: NOW, tenant: CUSTOMER_TENANT }).plan.changes;
      if (prune) assert.deepEqual(left, [], `${c.name}: after the writes, still ${JSON.stringify(left)}`);
      else assert.ok(left.every((ch) => ch.action === 'keep'), `${c.name}: after the writes, only kept items remain: ${JSON.stringify(writeChanges(left))}`);
      checked++;
    }
    assert.ok(checked > 40, `only ${checked} customer states generated`);
  });
}

test('a customer tenant in shape is in sync; each of its drifts is named, with its tenant', () => {
  assert.deepEqual(planCustomer(customerSynced(), { prune: true, tenant: CUSTOMER_TENANT }).plan.changes, []);
  for (const [name, mutate] of CUSTOMER_MUTATIONS) {
    const o = customerSynced();
    mutate(o, desired());
    const changes = planCustomer(o, { tenant: CUSTOMER_TENANT }).plan.changes;
    assert.ok(changes.length > 0 && changes.every((c) => c.tenant === CUSTOMER_TENANT), `${name}: ${JSON.stringify(changes)}`);
  }
  assert.throws(() => planCustomer(emptyTenant(), { tenant: CUSTOMER_TENANT }), /providerAppId/);
});

test('owners are opt-in: without application.owners they are neither read nor judged', () => {
  const d = desired();
  const o = syncedObserved(d, { owners: [{ id: 'b0b0b0b0-0000-4000-8000-0000000000b0', '@odata.type': '#microsoft.graph.user' }] });
  const run = plan(d, o, { prune: true });
  assert.deepEqual(run.plan.changes, []);
  assert.equal(run.assessments.owners.verdict.status, 'pass');
  const managed = plan(desired({ owners: [] }), o, { prune: true });
  assert.deepEqual(managed.plan.changes.map((c) => [c.resource, c.action]), [['owner', 'remove']]);
  assert.deepEqual(managed.writes.map((w) => w.op), ['removeOwner']);
});
