import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPlan } from '../../src/reconcile/render.js';
import { plan as planRun } from '../../src/reconcile/plan.js';
import type { DesiredState, Observed } from '../../src/model/state.js';
import type { PlanOptions } from '../../src/reconcile/types.js';

const plan = (d: DesiredState, o: Observed, opts: PlanOptions = {}) => planRun(d, o, opts).plan;
import { createColors } from '../../src/color.js';
import { desired, emptyTenant, fakeCert, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';

test('the human plan: + ~ - lines, no key bytes, "No changes." when in sync', () => {
  const color = createColors(0);
  const d = desired();
  assert.match(renderPlan(plan(d, syncedObserved(d)), color), /^No changes\./);
  const old = fakeCert('old', 'CN=Old');
  const o = syncedObserved(d, { application: syncedApp(d, { isFallbackPublicClient: false, keyCredentials: [storedKey(old)] }) });
  const text = renderPlan(plan(d, o, { prune: true }), color);
  assert.match(text, /^Plan: 1 to add, 1 to change, 1 to remove\./);
  assert.match(text, /^ {2}~ application\.isFallbackPublicClient: false → true$/m);
  assert.match(text, new RegExp(`^  \\+ certificate ${d.certificates[0]!.thumbprint} \\(CN=Veeam Restore Portal\\) valid 2026-01-01 → 2027-01-01$`, 'm'));
  assert.match(text, new RegExp(`^  - certificate ${old.thumbprint} .*# not a certificate the config manages`, 'm'));
  assert.ok(!text.includes(d.certificates[0]!.derBase64));
  assert.match(renderPlan(plan(desired({ appId: undefined }), emptyTenant()), color), /\+ application "Veeam Restore Portal" \(uniqueName veeam-restore-portal\) will be created/);
});

test('unmanaged items are shown with !, and values from Entra cannot drive the terminal', () => {
  const color = createColors(0);
  const d = desired();
  const o = syncedObserved(d, {
    application: syncedApp(d, {
      passwordCredentials: [{ keyId: 'pw-1', displayName: 'x\u001b]0;pwned\u0007\u001b[2J', hint: 'abc' }],
      web: { redirectUris: ['https://evil.example.com/\u202ecb'] },
    }),
  });
  const text = renderPlan(plan(d, o), color);
  assert.match(text, /^Plan: 0 to add, 0 to change, 0 to remove, 2 unmanaged \(kept\)\./);
  assert.match(text, /^ {2}! web redirect URI https:\/\/evil\.example\.com\/\\u202ecb {2}# a web redirect URI/m);
  assert.match(text, /^ {2}! client secret "x\\x1b\]0;pwned\\x07\\x1b\[2J" keyId pw-1 hint abc…/m);
  assert.ok(!/[\u001b\u0007\u202e]/.test(text), 'no raw control character reaches the terminal');
});
