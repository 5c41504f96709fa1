import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphCall } from '../../src/graph/request.js';
import { baseConfig, grantsOf, PORTAL_URL, readApp, spOf, withWorkspace } from '../helpers/apply-harness.js';
import { assertValidApplyResult } from '../fixtures/plan/validate.js';

const MAIL_READ = '570282fd-fa5c-430d-a7fd-fc8dc98a9dca';
const FOREIGN = 'https://foreign.example.com/cb';

test('configure an application created out of band: merge, then --prune removes what the config does not manage', { timeout: 120_000 }, async () => {
  await withWorkspace(async (ws) => {
    const old = await ws.makeCert('old', 'CN=Old Portal Cert');
    const current = await ws.makeCert('current', 'CN=Veeam Restore Portal');
    await ws.writeConfig(baseConfig());
    // another admin registered it by hand: a foreign redirect URI, an old certificate, Mail.Read, no principal
    const created = await ws.admin(async (s) =>
      (await graphCall<{ id: string; appId: string }>(s, {
        method: 'POST',
        path: '/applications',
        body: {
          displayName: 'Legacy Portal',
          spa: { redirectUris: [FOREIGN] },
          requiredResourceAccess: [{ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: MAIL_READ, type: 'Scope' }] }],
          keyCredentials: [{
            type: 'AsymmetricX509Cert', usage: 'Verify', key: old.info.derBase64, displayName: 'CN=Old Portal Cert',
            startDateTime: old.info.notBefore.toISOString(), endDateTime: old.info.notAfter.toISOString(),
          }],
        },
      })).body,
    );
    const oldKeyId = await ws.admin(async (s) => (await readApp(s, created.appId)).keyCredentials?.[0]?.keyId);
    assert.ok(oldKeyId);
    await ws.writeConfig(baseConfig({
      application: { name: undefined, uniqueName: undefined, appId: created.appId },
      certificate: { thumbprint: current.info.thumbprint, file: current.file },
    }));

    const merged = await ws.run();
    assert.equal(merged.error, undefined, String(merged.error));
    assertValidApplyResult(merged.result);
    assert.equal(merged.result?.appId, created.appId);
    assert.ok(!merged.result?.plan.changes.some((c) => c.action === 'remove'), 'nothing is removed without --prune');
    await ws.admin(async (s) => {
      const app = await readApp(s, created.appId);
      assert.deepEqual(app.spa?.redirectUris, [FOREIGN, PORTAL_URL]);
      assert.deepEqual(app.keyCredentials?.map((k) => k.displayName), ['CN=Old Portal Cert', 'CN=Veeam Restore Portal']);
      assert.equal(app.keyCredentials?.[0]?.keyId, oldKeyId, 'an existing keyId never changes');
      const graphAccess = app.requiredResourceAccess?.find((r) => r.resourceAppId === '00000003-0000-0000-c000-000000000000');
      assert.deepEqual(graphAccess?.resourceAccess.map((a) => a.id).sort(), [MAIL_READ, 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'].sort());
      const sp = await spOf(s, created.appId);
      assert.ok(sp, 'the service principal was created');
      assert.equal((await grantsOf(s, sp!.id)).length, 2);
    });
    assert.ok(!(await ws.configText()).includes('uniqueName'), 'the config is not touched when its appId is already there');

    const preview = await ws.run({ prune: true, whatIf: true, detailedExitcode: true });
    assert.equal(preview.result?.exitCode, 2);
    assert.deepEqual(preview.writes, []);
    const removes = preview.result!.plan.changes.filter((c) => c.action === 'remove');
    assert.deepEqual(removes.map((c) => c.resource).sort(), ['keyCredential', 'redirectUri', 'requiredResourceAccess']);
    assert.ok(removes.some((c) => c.resource === 'keyCredential' && c.before?.thumbprint === old.info.thumbprint));

    const pruned = await ws.run({ prune: true });
    assert.equal(pruned.error, undefined, String(pruned.error));
    assert.equal(pruned.writes.length, 1, 'one PATCH carries every removal');
    await ws.admin(async (s) => {
      const app = await readApp(s, created.appId);
      assert.deepEqual(app.spa?.redirectUris, [PORTAL_URL]);
      assert.deepEqual(app.keyCredentials?.map((k) => k.displayName), ['CN=Veeam Restore Portal']);
      assert.ok(!JSON.stringify(app.requiredResourceAccess).includes(MAIL_READ));
    });
    const again = await ws.run({ prune: true, detailedExitcode: true });
    assert.equal(again.result?.inSync, true);
    assert.deepEqual(again.writes, []);
  });
});

test('an adopted application (set-app) without a uniqueName gets the configured one and display name', { timeout: 60_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    const created = await ws.admin(async (s) =>
      (await graphCall<{ id: string; appId: string }>(s, { method: 'POST', path: '/applications', body: { displayName: 'Hand-made' } })).body,
    );
    await ws.writeConfig(baseConfig({ application: { appId: created.appId } }));
    const out = await ws.run();
    assert.equal(out.error, undefined, String(out.error));
    const fields = out.result!.plan.changes.flatMap((c) => (c.resource === 'application' && c.action === 'update' ? [c.field] : []));
    assert.ok(fields.includes('uniqueName') && fields.includes('displayName'), fields.join());
    await ws.admin(async (s) => {
      const app = await readApp(s, created.appId);
      assert.equal(app.uniqueName, 'veeam-restore-portal');
      assert.equal(app.displayName, 'Veeam Restore Portal');
    });
    const again = await ws.run();
    assert.equal(again.result?.inSync, true);
  });
});
