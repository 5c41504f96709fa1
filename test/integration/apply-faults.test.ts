/**
 * Faults (emulator fault injection): a dropped response after every write position, throttling,
 * unavailability and replication lag. Each converges — after, at worst, one clean rerun — with
 * exactly one application, its appId recorded, and Entra in sync.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appsNamed, baseConfig, withWorkspace, type Workspace } from '../helpers/apply-harness.js';

/** Writes of a registration from scratch: upsert, PATCH, principal, two grants. */
const REGISTRATION_WRITES = 5;

async function setUp(ws: Workspace): Promise<void> {
  const cert = await ws.makeCert('portal', 'CN=Veeam Restore Portal');
  await ws.writeConfig(baseConfig({ certificate: { thumbprint: cert.info.thumbprint, file: cert.file } }));
}

async function assertConverged(ws: Workspace, label: string): Promise<void> {
  const rerun = await ws.run();
  assert.equal(rerun.error, undefined, `${label}: the rerun failed: ${String(rerun.error)}`);
  const check = await ws.run({ whatIf: true, detailedExitcode: true });
  assert.equal(check.result?.exitCode, 0, `${label}: still drifting: ${JSON.stringify(check.result?.plan)}`);
  const apps = await ws.admin((s) => appsNamed(s));
  assert.equal(apps.length, 1, `${label}: exactly one application`);
  assert.match(await ws.configText(), new RegExp(apps[0]!.appId), `${label}: its appId is recorded`);
}

for (let n = 1; n <= REGISTRATION_WRITES; n++) {
  test(`drop-after-write=${n}: the response to write #${n} is lost; a rerun converges with one application`, { timeout: 120_000 }, async (t) => {
    await withWorkspace(async (ws) => {
      await setUp(ws);
      const faulty = await ws.run({}, { faults: `drop-after-write=${n}` });
      assert.ok(faulty.writes.length >= n, `write #${n} happened`);
      t.diagnostic(faulty.error ? `faulty run failed (exit ${(faulty.error as { exitCode?: number }).exitCode}): ${(faulty.error as Error).message}` : 'faulty run succeeded');
      if (faulty.error) {
        assert.notEqual((faulty.error as { exitCode?: number }).exitCode, 0);
        assert.match(faulty.stderr, /already done|stopped/i, 'a partial failure says what was done');
      }
      await assertConverged(ws, `drop-after-write=${n}`);
    });
  });
}

for (let n = 1; n <= REGISTRATION_WRITES; n++) {
  test(`a crash right after write #${n} (its response lost, no retry): the rerun converges with one application`, { timeout: 120_000 }, async () => {
    await withWorkspace(async (ws) => {
      await setUp(ws);
      // maxAttempts 1: nothing is retried, so the run stops where a crash would, with write #n committed
      const crashed = await ws.run({}, { faults: `drop-after-write=${n}`, retry: { maxAttempts: 1 } });
      assert.ok(crashed.error, `the run stops at write #${n}`);
      assert.notEqual((crashed.error as { exitCode?: number }).exitCode, 0);
      assert.equal(crashed.writes.length, n, `it stopped right after write #${n}`);
      if (n > 1) assert.match(crashed.stderr, /apply stopped part-way; already done: application created/);
      await assertConverged(ws, `crash after write #${n}`);
    });
  });
}

for (const faults of ['throttle=0.5,retry-after=0,seed=7', 'unavailable=0.3,retry-after=0,seed=11']) {
  test(`${faults}: apply rides it out and converges with one application`, { timeout: 180_000 }, async () => {
    await withWorkspace(async (ws) => {
      await setUp(ws);
      const faulty = await ws.run({}, { faults, budgetS: 90 });
      assert.equal(faulty.error, undefined, `${faults}: ${String(faulty.error)}\n${faulty.stderr}`);
      assert.ok(faulty.result?.appId);
      // a second faulty run must find what the first made (lag: reads of the new objects 404 for a while)
      const second = await ws.run({}, { faults, budgetS: 90 });
      assert.equal(second.error, undefined, `${faults} (second run): ${String(second.error)}\n${second.stderr}`);
      await assertConverged(ws, faults);
    });
  });
}

test('lag=3000 on reads, writes and references: a first registration converges with exactly one application', { timeout: 180_000 }, async () => {
  await withWorkspace(async (ws) => {
    await setUp(ws);
    const first = await ws.run({}, { faults: 'lag=3000', budgetS: 90 });
    assert.equal(first.error, undefined, `${String(first.error)}\n${first.stderr}`);
    assert.ok(first.result?.appId);
    // Entra 404s writes to an object created moments ago (PATCH, addPassword) and refuses references
    // to it (service principal, grant): the run met such refusals and rode them out
    const writesRefused = first.refused.filter((r) => r.method !== 'GET' && (r.status === 404 || r.status === 400));
    assert.ok(writesRefused.length > 0, `writes were refused while replicating: ${JSON.stringify(first.refused)}`);
    // the next run (objects it did not create, still replicating for a moment) finds them
    const second = await ws.run({}, { faults: 'lag=3000', budgetS: 90 });
    assert.equal(second.error, undefined, `second run: ${String(second.error)}\n${second.stderr}`);
    await assertConverged(ws, 'lag=3000');
  });
});

test('the config cannot record the appId after a create: exit non-zero, say what was done; a rerun converges', { timeout: 120_000 }, async () => {
  const { writeFile, rm } = await import('node:fs/promises');
  const { hostname } = await import('node:os');
  await withWorkspace(async (ws) => {
    await setUp(ws);
    // another live process (this one) holds the config's lock, and we do not wait for it
    const lock = `${ws.configPath}.lock`;
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString() }));
    const failed = await ws.run({}, { env: { ENTRA_PORTAL_LOCK_TIMEOUT_MS: '0' } });
    assert.ok(failed.error instanceof Error, 'never success after a partial failure');
    const err = failed.error as Error & { exitCode: number; remedy?: string };
    assert.equal(err.exitCode, 1);
    const [app] = await ws.admin((s) => appsNamed(s));
    assert.ok(app);
    assert.match(err.message, new RegExp(`exists in Entra \\(appId ${app.appId}\\)`));
    assert.match(err.remedy ?? '', new RegExp(`set-app --app-id ${app.appId}`));
    assert.match(failed.stderr, /already done: application created/);
    assert.ok(!(await ws.configText()).includes(app.appId));
    await rm(lock);
    await assertConverged(ws, 'after the config write failed');
  });
});
