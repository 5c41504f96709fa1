import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPlan } from '../../src/reconcile/render.js';
import { plan } from '../../src/reconcile/plan.js';
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
  assert.match(text, new RegExp(`^  \\+ certificate ${d.certificate!.thumbprint} \\(CN=Veeam Restore Portal\\) valid 2026-01-01 → 2027-01-01$`, 'm'));
  assert.match(text, new RegExp(`^  - certificate ${old.thumbprint} .*# not the configured certificate`, 'm'));
  assert.ok(!text.includes(d.certificate!.derBase64));
  assert.match(renderPlan(plan(desired({ appId: undefined }), emptyTenant()), color), /\+ application "Veeam Restore Portal" \(uniqueName veeam-restore-portal\) will be created/);
});
