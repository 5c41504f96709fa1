import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plan as planRun } from '../../src/reconcile/plan.js';
import type { DesiredState, Observed } from '../../src/model/state.js';
import type { PlanOptions } from '../../src/reconcile/types.js';

const plan = (d: DesiredState, o: Observed, opts: PlanOptions = {}) => planRun(d, o, opts).plan;
import { desired, emptyTenant, fakeCert, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';
import { assertValidApplyResult, assertValidPlan } from '../fixtures/plan/validate.js';

test('a plan from scratch validates against the schema and carries no key bytes', () => {
  const d = desired({ appId: undefined });
  const p = plan(d, emptyTenant());
  assertValidPlan(p);
  const text = JSON.stringify(p);
  assert.ok(!text.includes(d.certificates[0]!.derBase64), 'certificate bytes must not appear in the plan');
  assert.ok(text.includes(d.certificates[0]!.thumbprint));
});

test('a pruning plan validates against the schema', () => {
  const d = desired();
  const old = fakeCert('old');
  const p = plan(d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [storedKey(d.certificates[0]!), storedKey(old)], spa: { redirectUris: ['https://portal.abc.com:4443', 'https://foreign.example.com'] } }) }), { prune: true });
  assertValidPlan(p);
  assert.ok(!JSON.stringify(p).includes(old.derBase64));
});

test('an apply result validates, and the schema rejects unknown step statuses', () => {
  const result = {
    version: 2, config: '/tmp/x/entra-portal.json5', tenant: 'contoso.onmicrosoft.com', appId: 'a', inSync: true, whatIf: false,
    plan: { version: 2, changes: [] }, kept: [], warnings: [], steps: [{ step: 'application', status: 'unchanged' }], exitCode: 0,
  };
  assertValidApplyResult(result);
  assert.throws(() => assertValidApplyResult({ ...result, steps: [{ step: 'application', status: 'maybe' }] }));
});
