/**
 * Rotation in the model: certificate.previous is read and managed (role `previous`), so both keys
 * are in sync during a rotation; `retire` removes exactly the outgoing key without --prune and
 * leaves every other unmanaged item kept (still drift).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSelfSigned } from '../../src/certs/index.js';
import { InputError } from '../../src/errors.js';
import { loadDesired } from '../../src/reconcile/desired.js';
import { plan } from '../../src/reconcile/plan.js';
import { desired, fakeCert, storedKey, syncedApp, syncedObserved } from '../fixtures/plan/builders.js';

test('loadDesired reads certificate.previous: both certificates managed, roles current and previous', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-rotation-'));
  try {
    const [fresh, old] = await Promise.all([generateSelfSigned({ subject: 'CN=New', validityDays: 30 }), generateSelfSigned({ subject: 'CN=Old', validityDays: 30 })]);
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'certs', 'new.cer'), fresh.info.certPem);
    await writeFile(join(dir, 'certs', 'old.cer'), old.info.certPem);
    const config = { version: 1 as const, certificate: { thumbprint: fresh.info.thumbprint, file: 'certs/new.cer', previous: { thumbprint: old.info.thumbprint, file: 'certs/old.cer' } } };
    const d = await loadDesired(config, dir);
    assert.deepEqual(
      d.certificates.map((c) => [c.role, c.thumbprint, c.subject]),
      [
        ['current', fresh.info.thumbprint, 'CN=New'],
        ['previous', old.info.thumbprint, 'CN=Old'],
      ],
    );
    // in sync with both registered, also under --prune
    const both = { ...desired(), certificates: d.certificates };
    assert.deepEqual(plan(both, syncedObserved(both), { prune: true }).plan.changes, []);

    await assert.rejects(
      loadDesired({ ...config, certificate: { ...config.certificate, previous: { thumbprint: 'AB'.repeat(20), file: 'certs/old.cer' } } }, dir),
      (e: unknown) => e instanceof InputError && /certificate\.previous\.thumbprint says/.test(e.message),
    );
    await assert.rejects(
      loadDesired({ ...config, certificate: { ...config.certificate, previous: { thumbprint: old.info.thumbprint, file: 'certs/gone.cer' } } }, dir),
      (e: unknown) => e instanceof InputError && /^certificate\.previous\.file: /.test(e.message) && /rotate-cert --finish/.test(e.remedy ?? ''),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('retire removes exactly the outgoing key, without --prune; another unmanaged certificate and a secret are kept', () => {
  const d = desired(); // previous already gone from the config
  const old = fakeCert('old', 'CN=old');
  const intruder = fakeCert('intruder', 'CN=intruder');
  const app = syncedApp(d, { keyCredentials: [storedKey(d.certificates[0]!), storedKey(old), storedKey(intruder)], passwordCredentials: [{ keyId: 'pw-1', hint: 'abc' }] });
  const run = plan(d, syncedObserved(d, { application: app }), { retire: [old.thumbprint.toLowerCase()] });
  const certs = run.assessments.certificates;
  assert.deepEqual(
    certs.changes.map((c) => [c.action, (c as { before?: { thumbprint?: string } }).before?.thumbprint, c.reason]),
    [
      ['remove', old.thumbprint, 'the outgoing certificate of a finished rotation (rotate-cert --finish)'],
      ['keep', intruder.thumbprint, 'not a certificate the config manages: kept; apply --prune removes it'],
    ],
  );
  const patch = run.writes.find((w) => w.op === 'patchApplication') as { body: { keyCredentials: { key?: string | null }[] } };
  assert.deepEqual(
    patch.body.keyCredentials.map((k) => k.key),
    [d.certificates[0]!.derBase64, intruder.derBase64],
  );
  assert.deepEqual(run.assessments.credentials.changes.map((c) => c.action), ['keep']);
  assert.ok(!run.writes.some((w) => w.op === 'removePassword'), 'the secret is not touched');
});
