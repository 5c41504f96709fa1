import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runMain, withTempDir } from '../helpers/cli.js';
import { fakeClock } from '../helpers/graph-fakes.js';

interface DemoJson {
  passed: boolean;
  appId?: string;
  steps: { step: string; exitCode: number; expectedExitCode: number; ok: boolean }[];
}

test('demo: the whole job end to end on the embedded emulator, exit 0, drift found and repaired', async () => {
  await withTempDir(async (dir) => {
    // the built CLI as a process, as a new user runs it first: the emulator makes its own keys
    // (every other test starts emulator states from the test PKI)
    const r = await runCli(['demo', '--json'], { cwd: dir, env: { ENTRA_PORTAL_EMULATOR_PKI: undefined }, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as DemoJson;
    assert.equal(doc.passed, true);
    assert.match(doc.appId ?? '', /^[0-9a-f-]{36}$/);
    const byStep = Object.fromEntries(doc.steps.map((s) => [s.step, s]));
    assert.deepEqual(
      doc.steps.map((s) => s.step),
      ['new-app', 'install-cert', 'set-portal-url', 'apply', 'drift-check', 'tamper', 'drift-detected', 'repair', 'in-sync', 'test-portal'],
    );
    assert.equal(byStep['drift-detected']?.exitCode, 2);
    assert.equal(byStep['in-sync']?.exitCode, 0);
    assert.ok(doc.steps.every((s) => s.ok));
    // the narration goes to stderr, never into the JSON on stdout
    assert.match(r.stderr, /Step 7\. The scheduled drift check notices/);
  });
});

test('demo --dir keeps the folder with the config, the certificate and the emulator state; it passes under replication lag', async () => {
  await withTempDir(async (dir) => {
    // a relative --dir is a new folder under the working directory; with lag=2000 new objects stay
    // invisible for 2 s, so the drift check right after apply must wait for them, not report drift
    // (on a virtual clock, which the embedded emulator's lag follows: the waits pass at once)
    const r = await runMain(['demo', '--dir', 'demo-run'], { cwd: dir, clock: fakeClock(Date.now()), env: { ENTRA_PORTAL_EMULATOR_FAULTS: 'lag=2000' } });
    assert.equal(r.code, 0, r.stderr);
    const { readdir, readFile } = await import('node:fs/promises');
    const files = await readdir(`${dir}/demo-run`);
    assert.ok(files.includes('entra-portal.json5'));
    assert.ok(files.includes('certs'));
    assert.ok(files.includes('.entra-portal'));
    const config = await readFile(`${dir}/demo-run/entra-portal.json5`, 'utf8');
    assert.match(config, /appId: '[0-9a-f-]{36}'/);
    assert.match(r.stdout, /Demo passed/);
    // the commands it narrated run in the kept folder as printed, once its store is named (the
    // demo's store is demo-run/store, not the user's): it says how, and then the key signs in
    const store = `${dir}/demo-run/store`;
    assert.ok(r.stderr.includes(`ENTRA_PORTAL_STORE=${store}`), r.stderr);
    const again = await runMain(['test-portal', '--timeout', '1', '--json'], { cwd: `${dir}/demo-run`, env: { ENTRA_PORTAL_STORE: store } });
    const signIn = (JSON.parse(again.stdout) as { checks: { id: string; status: string }[] }).checks.find((c) => c.id === 'entra.sign-in');
    assert.equal(signIn?.status, 'pass', again.stdout);
  });
});

test('demo --dir refuses a folder that is not empty (exit 65) and writes nothing there', async () => {
  await withTempDir(async (dir) => {
    const { readdir, writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/entra-portal.json5`, '{ version: 1 }\n');
    const r = await runMain(['demo', '--dir', '.'], { cwd: dir });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /is not empty/);
    assert.match(r.stderr, /hint: Give a new or empty folder/);
    assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5']);
  });
});

test('demo --dir naming a file is refused (65) saying so, not with a bare ENOTDIR (1); an empty --dir is a usage error (64), not the working folder', async () => {
  await withTempDir(async (dir) => {
    const { readdir, readFile, writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/notes.txt`, 'mine\n');
    for (const target of ['notes.txt', 'notes.txt/demo']) {
      const r = await runMain(['demo', '--dir', target, '--json'], { cwd: dir });
      assert.equal(r.code, 65, `${target}: ${r.stderr}`);
      const error = JSON.parse(r.stdout).error;
      assert.match(error.message, /^--dir .*notes\.txt(\/demo)?: not a folder \(ENOTDIR\)/);
      assert.match(error.remedy, /Give a new or empty folder/);
    }
    const empty = await runMain(['demo', '--dir', ''], { cwd: dir });
    assert.equal(empty.code, 64, empty.stderr);
    assert.match(empty.stderr, /--dir is empty/);
    assert.deepEqual(await readdir(dir), ['notes.txt']);
    assert.equal(await readFile(`${dir}/notes.txt`, 'utf8'), 'mine\n');
  });
});

test('demo under a Graph that stays busy (throttle=1): 75 with a remedy the demo can follow, not apply\'s --propagation-timeout (which demo refuses)', async () => {
  await withTempDir(async (dir) => {
    const env = { ENTRA_PORTAL_EMULATOR_FAULTS: 'throttle=1,retry-after=0' };
    const r = await runMain(['demo', '--json'], { cwd: dir, clock: fakeClock(Date.now()), env });
    assert.equal(r.code, 75, r.stderr);
    const error = JSON.parse(r.stdout).error;
    assert.doesNotMatch(`${error.remedy}\n${r.stderr}`, /--propagation-timeout/);
    assert.match(error.remedy, /ENTRA_PORTAL_EMULATOR_FAULTS/);
    assert.equal((await runMain(['demo', '--propagation-timeout', '300'], { cwd: dir })).code, 64, 'the option really is not demo\'s');
  });
});
