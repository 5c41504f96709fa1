/**
 * Owners, when the config lists them (`application.owners`): apply makes them exactly so; an owner
 * added behind the tool's back is drift (exit 2, named, entra.app fails), kept without --prune and
 * removed with it. Without the key, owners are neither read nor judged. Owners here are the seeded
 * automation identities (service principals), as an organisation's deployment identity would be.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/context.js';
import { testPortal } from '../../src/cmdlets/test-portal.js';
import { graphCall, graphList } from '../../src/graph/request.js';
import { graphBatch } from '../../src/graph/batch.js';
import type { GraphSession } from '../../src/graph/session.js';
import { baseConfig, withWorkspace, type Workspace } from '../helpers/apply-harness.js';
import { fakeClock } from '../helpers/graph-fakes.js';
import { testEnv } from '../helpers/pki.js';
import { exitCodeFor, InputError } from '../../src/errors.js';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain } from '../helpers/cli.js';

async function spNamed(s: GraphSession, displayName: string): Promise<string> {
  const found = await graphList<{ id: string }>(s, `/servicePrincipals?$filter=${encodeURIComponent(`displayName eq '${displayName}'`)}`);
  assert.equal(found.length, 1, displayName);
  return found[0]!.id;
}

async function ownersOf(s: GraphSession, appId: string): Promise<string[]> {
  return (await graphList<{ id: string }>(s, `/applications(appId='${appId}')/owners`)).map((o) => o.id).sort();
}

async function appCheck(ws: Workspace): Promise<{ status: string; message: string }> {
  const sink = { write: () => true };
  const ctx = createContext({ cwd: ws.dir, env: testEnv(ws.dir), clock: fakeClock(Date.now()), stderr: sink, stdout: sink });
  const r = await testPortal({ config: ws.configPath, timeout: 5, settle: 1 }, ctx);
  return r.checks.find((c) => c.id === 'entra.app')!;
}

/** Registered without owners listed; then another admin makes the unprivileged operator an owner. */
async function registeredWithIntruder(ws: Workspace): Promise<{ deployer: string; intruder: string; appId: string }> {
    await ws.writeConfig(baseConfig());
    const [deployer, intruder] = await ws.admin(async (s) => [await spNamed(s, 'entra-portal emulator operator'), await spNamed(s, 'entra-portal emulator unprivileged operator')]);
    const registered = await ws.run();
    assert.equal(registered.error, undefined, String(registered.error));
    const appId = registered.result!.appId!;
    await ws.admin((s) => graphCall(s, { method: 'POST', path: `/applications(appId='${appId}')/owners/$ref`, body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${intruder}` } }));
  return { deployer, intruder, appId };
}

test('application.owners: made exactly so; an owner added behind the tool’s back is drift, kept, then pruned; unlisted, owners are not judged', { timeout: 300_000 }, async () => {
  await withWorkspace(async (ws) => {
    // not managed: registered with no owner listed, and an owner added later is nobody's business
    const { deployer, intruder, appId } = await registeredWithIntruder(ws);
    const unmanaged = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(unmanaged.result?.exitCode, 0, 'owners not listed: not drift');
    assert.ok(!unmanaged.writes.some((w) => w.path.includes('/owners')));

    // managed: the listed owner is added; the one nobody listed is drift, kept, then removed
    await ws.writeConfig(baseConfig({ application: { appId, owners: [deployer.toUpperCase()] } }));
    const kept = await ws.run();
    assert.equal(kept.error, undefined, String(kept.error));
    assert.deepEqual(await ws.admin((s) => ownersOf(s, appId)), [deployer, intruder].sort(), 'the listed owner added, the other kept');
    assert.match(kept.stderr, /not described by the config was kept \(still drift\)/);
    const drift = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(drift.result?.exitCode, 2);
    assert.match(drift.stderr, new RegExp(`owner servicePrincipal entra-portal emulator unprivileged operator \\(${intruder}, appId [0-9a-f-]{36}\\)`));
    const check = await appCheck(ws);
    assert.equal(check.status, 'fail');
    assert.match(check.message, /owners: .*owner servicePrincipal/);

    const pruned = await ws.run({ prune: true, yes: true });
    assert.equal(pruned.error, undefined, String(pruned.error));
    assert.deepEqual(await ws.admin((s) => ownersOf(s, appId)), [deployer]);
    assert.equal((await ws.run({ whatIf: true, detailedExitcode: true })).result?.exitCode, 0);
    assert.equal((await appCheck(ws)).status, 'pass');
  });
});

test('application.owners naming an object that is not in the tenant: invalid input (65) naming it and the way out, at once — also on the run that registers the application', { timeout: 120_000 }, async () => {
  await withWorkspace(async (ws) => {
    const missing = '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b';
    await ws.writeConfig(baseConfig({ application: { owners: [missing] } }));
    // budgetS 30: a 404 about the owner is no replication lag to wait out (it waited the whole budget, then said 75)
    for (const run of ['registering', 'registered']) {
      const r = await ws.run({}, { budgetS: 30 });
      assert.ok(r.error instanceof InputError, `${run}: ${String(r.error)}`);
      assert.equal(exitCodeFor(r.error), 65);
      assert.match(r.error.message, new RegExp(`application\\.owners: ${missing} is not a user or service principal in the tenant`));
      // a rerun alone does not finish it
      if (run === 'registering') assert.match(r.stderr, /apply stopped part-way; .*\. Once the error below is fixed, run "entra-portal apply" again/);
      assert.match(r.error.remedy ?? '', /Object ID/);
      assert.match(r.error.remedy ?? '', new RegExp(`set-app --app-id [0-9a-f-]{36} --remove-owner ${missing}`), 'a command that runs as printed');
    }
    // run from another folder, the command names the config
    const elsewhere = join(ws.dir, 'elsewhere');
    await mkdir(elsewhere);
    const cli = await runMain(['apply', '-c', ws.configPath], { cwd: elsewhere });
    assert.equal(cli.code, 65, cli.stderr);
    assert.match(cli.stderr, new RegExp(`hint: .*set-app -c \\S*entra-portal\\.json5 --app-id [0-9a-f-]{36} --remove-owner ${missing}`));
  });
});

test('apply --prune on a terminal asks before removing an owner (it may be the operator’s own way to edit the application); no: nothing removed', { timeout: 300_000 }, async () => {
  await withWorkspace(async (ws) => {
    const { deployer, intruder, appId } = await registeredWithIntruder(ws);
    await ws.writeConfig(baseConfig({ application: { appId, owners: [deployer] } }));

    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const errSink: PassThrough & { isTTY: boolean } = Object.assign(new PassThrough(), { isTTY: true });
    errSink.end = (() => errSink) as never;
    let stderr = '';
    let answered = false;
    errSink.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (/the config does not describe/.test(stderr) && !answered) {
        answered = true;
        stdin.write('n');
        setTimeout(() => stdin.write('\r'), 50);
      }
    });
    const stdout = { text: '', write(s: string) { this.text += s; return true; } };
    const code = await main(['apply', '-c', ws.configPath, '--prune'], { cwd: ws.dir, env: testEnv(ws.dir), stdin, stdout, stderr: errSink });
    assert.ok(answered, `asked: ${stderr}`);
    assert.match(stderr, /Remove 1 .*owner/);
    assert.match(stderr, /pruning was not confirmed/);
    assert.equal(code, 1, stderr);
    assert.deepEqual(await ws.admin((s) => ownersOf(s, appId)), [intruder], 'nothing added or removed');
  });
});

test('an owner past the first page of owners (Graph answers 100 at a time) is seen: drift, named', { timeout: 300_000 }, async () => {
  await withWorkspace(async (ws) => {
    const { deployer, intruder, appId } = await registeredWithIntruder(ws);
    // 100 more owners (service principals of throwaway applications), then the intruder again last:
    // it is removed and re-added so that it sits on the second page
    await ws.admin(async (s) => {
      const apps = await graphBatch(s, Array.from({ length: 100 }, (_, i) => ({ method: 'POST' as const, path: '/applications', body: { displayName: `filler ${i}` } })));
      const sps = await graphBatch(s, apps.map((a) => ({ method: 'POST' as const, path: '/servicePrincipals', body: { appId: (a as { body: { appId: string } }).body.appId } })));
      const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
      await graphCall(s, { method: 'DELETE', path: `/applications(appId='${appId}')/owners/${intruder}/$ref` });
      await graphBatch(s, sps.map((sp) => ({ method: 'POST' as const, path: `/applications(appId='${appId}')/owners/$ref`, body: ref((sp as { body: { id: string } }).body.id) })));
      await graphCall(s, { method: 'POST', path: `/applications(appId='${appId}')/owners/$ref`, body: ref(intruder) });
    });
    assert.equal((await ws.admin((s) => ownersOf(s, appId))).length, 101);
    await ws.writeConfig(baseConfig({ application: { appId, owners: [deployer] } }));
    const drift = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(drift.result?.exitCode, 2);
    assert.match(drift.stderr, new RegExp(`owner servicePrincipal entra-portal emulator unprivileged operator \\(${intruder}`), 'the 101st owner');
  });
});
