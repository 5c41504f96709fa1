/**
 * Expiry a scheduler sees: tls.expiry and entra.certificate honour --warn-days and carry notAfter
 * and daysLeft; Entra's end date counts when it is earlier than the certificate's; --strict makes a
 * warning exit 2 (a failing check exits 2 anyway, an invalid config 65).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { generateSelfSigned } from '../../src/certs/index.js';
import { checkTlsExpiry, type TlsProbe } from '../../src/checks/tls.js';
import { testPortalExitCode, summarize, type TestPortalResult } from '../../src/checks/result.js';
import type { CheckResult } from '../../src/checks/types.js';
import { plan } from '../../src/reconcile/plan.js';
import { desired, fakeCert, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';

const DAY = 86_400_000;

test('tls.expiry: pass, warn within --warn-days, fail once expired; notAfter and daysLeft always in details', async () => {
  const now = Date.now();
  const g = await generateSelfSigned({ subject: 'CN=portal.abc.com', validityDays: 10, notBefore: new Date(now - DAY) });
  const probe = { chain: [new X509Certificate(g.info.certPem)] } as unknown as TlsProbe;
  const soon = checkTlsExpiry(probe, now);
  assert.equal(soon.status, 'warn');
  assert.match(soon.message, /^the certificate expires in 8 days, on /);
  assert.deepEqual([soon.details?.daysLeft, soon.details?.notAfter], [8, g.info.notAfter.toISOString()]);
  const relaxed = checkTlsExpiry(probe, now, 7);
  assert.equal(relaxed.status, 'pass');
  assert.equal(relaxed.details?.daysLeft, 8);
  const expired = checkTlsExpiry(probe, now + 20 * DAY, 7);
  assert.equal(expired.status, 'fail');
  assert.equal(expired.details?.daysLeft, -12);
});

test('entra.certificate: warn within warnDays with notAfter/daysLeft; the earlier end date registered in Entra counts', () => {
  const cert = fakeCert(); // notAfter 2027-01-01
  const d = desired({ certificates: [cert] });
  const now = Date.parse('2026-12-22T00:00:00Z'); // 10 days before
  const run = plan(d, syncedObserved(d), { now });
  const v = run.assessments.certificates.verdict;
  assert.equal(v.status, 'warn');
  assert.match(v.message, /expires in 10 days/);
  assert.deepEqual([v.details?.thumbprint, v.details?.notAfter, v.details?.daysLeft], [cert.thumbprint, cert.notAfter, 10]);
  assert.ok(run.warnings.some((w) => /expires in 10 days/.test(w)), 'apply prints it and returns it in warnings[]');
  assert.equal(plan(d, syncedObserved(d), { now, warnDays: 5 }).assessments.certificates.verdict.status, 'pass');

  // registered with an end date 3 days before the certificate's: Entra stops accepting it then
  const early = { ...storedKey(cert), endDateTime: '2026-12-29T00:00:00Z' };
  const o = syncedObserved(d, { application: syncedApp(d, { keyCredentials: [early] }) });
  const e = plan(d, o, { now }).assessments.certificates.verdict;
  assert.equal(e.status, 'warn');
  assert.deepEqual([e.details?.notAfter, e.details?.daysLeft, e.details?.entraEndDateTime], ['2026-12-29T00:00:00.000Z', 7, '2026-12-29T00:00:00.000Z']);

  // not registered at all: the check fails on the shape, and still reports the dates
  const missing = plan(d, syncedObserved(d, { application: syncedApp(d, { keyCredentials: [] }) }), { now }).assessments.certificates.verdict;
  assert.equal(missing.status, 'fail');
  assert.deepEqual([missing.details?.notAfter, missing.details?.daysLeft], [cert.notAfter, 10]);
});

function result(statuses: CheckResult['status'][], configInvalid = false): TestPortalResult {
  const checks: CheckResult[] = statuses.map((status, i) => ({ id: i === 0 ? 'config' : 'tls.expiry', status, message: status, ...(configInvalid && i === 0 ? { details: { inputError: true } } : {}) }));
  const summary = summarize(checks);
  return { passed: summary.fail === 0, summary, checks };
}

test('exit codes: warnings 0, with --strict 2; a failure 2 either way; an invalid config 65 either way', () => {
  assert.equal(testPortalExitCode(result(['pass', 'warn'])), 0);
  assert.equal(testPortalExitCode(result(['pass', 'warn']), { strict: true }), 2);
  assert.equal(testPortalExitCode(result(['pass', 'pass']), { strict: true }), 0);
  assert.equal(testPortalExitCode(result(['pass', 'fail'])), 2);
  assert.equal(testPortalExitCode(result(['fail', 'skip'], true), { strict: true }), 65);
});
