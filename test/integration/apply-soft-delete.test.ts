/**
 * An application deleted behind the tool's back. Entra keeps it in deleted items for 30 days with
 * its uniqueName reserved (https://learn.microsoft.com/graph/api/application-delete,
 * https://github.com/microsoftgraph/msgraph-bicep-types/issues/137), so registering it again by
 * uniqueName would fail: the drift check names the deletion (exit 2), `apply` restores it — same appId,
 * same object ids, its service principal and consent back — and never makes a second application.
 * A purged application gets a clear message, and the remedy (register anew) works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphCall, graphList } from '../../src/graph/request.js';
import { appsNamed, baseConfig, grantsOf, readApp, spOf, withWorkspace } from '../helpers/apply-harness.js';
import { assertValidApplyResult } from '../fixtures/plan/validate.js';

test('a deleted application: the drift check names it, apply restores it with the same ids, one application', { timeout: 180_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    const first = await ws.run();
    assert.equal(first.error, undefined, String(first.error));
    const appId = first.result!.appId!;
    const before = await ws.admin(async (s) => {
      const app = await readApp(s, appId);
      const sp = (await spOf(s, appId))!;
      return { id: app.id, spId: sp.id, grants: (await grantsOf(s, sp.id)).map((g) => g.id).sort() };
    });
    await ws.admin((s) => graphCall(s, { method: 'DELETE', path: `/applications/${before.id}` }));

    const check = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(check.error, undefined, String(check.error));
    assert.equal(check.result?.exitCode, 2, 'a deletion is drift');
    assertValidApplyResult(check.result!);
    const changes = check.result!.plan.changes;
    assert.deepEqual(changes.map((c) => `${c.resource}:${c.action}`), ['application:restore', 'servicePrincipal:restore']);
    const restore = changes[0] as { before: { deletedDateTime: string }; after: { appId: string; restorableUntil: string } };
    assert.equal(restore.after.appId, appId);
    assert.equal(Date.parse(restore.after.restorableUntil) - Date.parse(restore.before.deletedDateTime), 30 * 86_400_000);
    assert.equal(check.writes.length, 0, 'the drift check wrote nothing');

    const restored = await ws.run();
    assert.equal(restored.error, undefined, `${String(restored.error)}\n${restored.stderr}`);
    assert.equal(restored.result?.appId, appId, 'the same appId');
    await ws.admin(async (s) => {
      const apps = await appsNamed(s);
      assert.deepEqual(apps.map((a) => a.id), [before.id], 'exactly one application, the same object');
      const sp = (await spOf(s, appId))!;
      assert.equal(sp.id, before.spId, 'the same service principal');
      assert.deepEqual((await grantsOf(s, sp.id)).map((g) => g.id).sort(), before.grants, 'its consent came back with it');
    });
    const clean = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(clean.result?.exitCode, 0, JSON.stringify(clean.result?.plan.changes));

    // purged: not restorable — said so, and registering anew works (the uniqueName is free again)
    await ws.admin(async (s) => {
      await graphCall(s, { method: 'DELETE', path: `/applications/${before.id}` });
      await graphCall(s, { method: 'DELETE', path: `/directory/deletedItems/${before.id}` });
    });
    const gone = await ws.run();
    const err = gone.error as Error & { exitCode?: number; remedy?: string };
    assert.ok(err, 'a purged application is an error');
    assert.match(err.message, new RegExp(`application ${appId} .*nor among its deleted items .*purged`));
    assert.match(err.remedy ?? '', /remove application\.appId to register a new one/);
    await ws.writeConfig(baseConfig());
    const anew = await ws.run();
    assert.equal(anew.error, undefined, String(anew.error));
    assert.notEqual(anew.result?.appId, appId);
    await ws.admin(async (s) => {
      assert.equal((await appsNamed(s)).length, 1);
      const deleted = await graphList(s, `/directory/deletedItems/microsoft.graph.application?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
      assert.equal(deleted.length, 0);
    });
  });
});
