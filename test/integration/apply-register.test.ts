import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASPECTS } from '../../src/reconcile/types.js';
import { appsNamed, baseConfig, grantsOf, PORTAL_URL, readApp, spOf, withWorkspace } from '../helpers/apply-harness.js';
import { assertValidApplyResult } from '../fixtures/plan/validate.js';

test('register from scratch, then a second run makes zero writes in ≤ 3 round trips', { timeout: 120_000 }, async () => {
  await withWorkspace(async (ws) => {
    const cert = await ws.makeCert('portal', 'CN=Veeam Restore Portal');
    await ws.writeConfig(baseConfig({ certificate: { thumbprint: cert.info.thumbprint, file: cert.file } }));

    const first = await ws.run({ detailedExitcode: true });
    assert.equal(first.error, undefined, String(first.error));
    const r = first.result!;
    assertValidApplyResult(r);
    assert.equal(r.inSync, false);
    assert.equal(r.exitCode, 2);
    assert.ok(r.appId);
    assert.deepEqual(
      r.steps.filter((s) => s.status !== 'unchanged').map((s) => `${s.step}:${s.status}`),
      ['application:created', 'config:updated', 'exposedApi:updated', 'redirectUris:updated', 'certificates:updated', 'permissions:updated', 'servicePrincipal:created', 'consent:created'],
    );
    // the appId is recorded losslessly (the comment survives)
    const text = await ws.configText();
    assert.match(text, /^\/\/ written by the apply tests/);
    assert.match(text, new RegExp(`"?appId"?: ['"]${r.appId}['"]`));
    // writes: upsert, one PATCH for every field, the principal, two grants
    assert.deepEqual(first.writes.map((w) => w.method), ['PATCH', 'PATCH', 'POST', 'POST', 'POST']);
    assert.ok(!JSON.stringify(r).includes(cert.info.derBase64), 'no key bytes in the result');

    await ws.admin(async (s) => {
      const app = await readApp(s, r.appId!);
      assert.equal(app.signInAudience, 'AzureADMyOrg');
      assert.deepEqual(app.spa?.redirectUris, [PORTAL_URL]);
      assert.deepEqual(app.identifierUris, [`api://${r.appId}`]);
      assert.equal(app.isFallbackPublicClient, true);
      const scope = app.api?.oauth2PermissionScopes?.find((x) => x.value === 'access_as_user');
      assert.equal(scope?.type, 'Admin');
      assert.equal(scope?.isEnabled, true);
      assert.deepEqual(
        (app.requiredResourceAccess ?? []).map((x) => [x.resourceAppId, x.resourceAccess.map((a) => a.id)]),
        [['00000003-0000-0000-c000-000000000000', ['e1fe6dd8-ba31-4d61-89e7-88639da4683d']], [r.appId, [scope?.id]]],
      );
      const [kc] = app.keyCredentials ?? [];
      assert.equal(app.keyCredentials?.length, 1);
      assert.equal(kc?.type, 'AsymmetricX509Cert');
      assert.equal(kc?.usage, 'Verify');
      assert.equal(new Date(kc!.startDateTime!).getTime(), cert.info.notBefore.getTime());
      assert.equal(new Date(kc!.endDateTime!).getTime(), cert.info.notAfter.getTime());
      const sp = await spOf(s, r.appId!);
      assert.ok(sp?.tags?.includes('WindowsAzureActiveDirectoryIntegratedApp'));
      const grants = await grantsOf(s, sp!.id);
      assert.deepEqual(grants.map((g) => [g.consentType, g.scope]).sort(), [['AllPrincipals', 'User.Read'], ['AllPrincipals', 'access_as_user']].sort());
      assert.equal((await appsNamed(s)).length, 1);
    });

    const second = await ws.run({ detailedExitcode: true });
    assert.equal(second.error, undefined, String(second.error));
    assert.equal(second.result?.inSync, true);
    assert.equal(second.result?.exitCode, 0);
    assert.deepEqual(second.writes, [], 'a second run writes nothing');
    assert.ok(second.roundTrips <= 3, `no-op run used ${second.roundTrips} round trips`);
    assert.deepEqual(second.result?.plan, { version: 2, changes: [] });
    // one step per aspect, each unchanged
    assert.deepEqual(second.result!.steps.map((s) => [s.step, s.status]), ASPECTS.map((a) => [a, 'unchanged']));
    assertValidApplyResult(second.result);

    const whatIf = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(whatIf.result?.exitCode, 0);
    assert.deepEqual(whatIf.writes, []);
  });
});

test('an application with our display name but no uniqueName is never adopted silently', { timeout: 60_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    const foreignAppId = await ws.admin(async (s) => {
      const { graphCall } = await import('../../src/graph/request.js');
      return (await graphCall<{ appId: string }>(s, { method: 'POST', path: '/applications', body: { displayName: 'Veeam Restore Portal' } })).body.appId;
    });
    const out = await ws.run();
    assert.ok(out.error instanceof Error);
    assert.equal((out.error as { exitCode?: number }).exitCode, 65);
    assert.match((out.error as Error & { remedy?: string }).remedy ?? '', new RegExp(`set-app --app-id ${foreignAppId}`));
    assert.deepEqual(out.writes, []);
    assert.ok(!(await ws.configText()).includes('appId'));
  });
});
