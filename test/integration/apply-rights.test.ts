/** The unprivileged operator: exit 77 naming the missing right, before any write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { PermissionError } from '../../src/errors.js';
import { graphCall } from '../../src/graph/request.js';
import { baseConfig, patchApp, readApp, withWorkspace } from '../helpers/apply-harness.js';
import { testPki } from '../helpers/pki.js';

test('an operator without the rights exits 77 before anything changes (apply and --what-if)', { timeout: 60_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    // seed the state the embedded emulator will load, to learn the tenant's unprivileged client
    const seeded = await startEmulator({ statePath: join(ws.dir, '.entra-portal', 'emulator-state.json'), pki: testPki });
    const tenant = await seeded.ensureTenant('contoso.onmicrosoft.com');
    await seeded.stop();
    const env = { AZURE_TENANT_ID: tenant.id, AZURE_CLIENT_ID: tenant.unprivileged.clientId, AZURE_CLIENT_SECRET: tenant.unprivileged.clientSecret };
    const before = await ws.configText();

    const out = await ws.run({}, { env, auth: 'environment' });
    assert.ok(out.error instanceof PermissionError, String(out.error));
    assert.equal(out.error.exitCode, 77);
    assert.deepEqual(out.error.missing, ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
    assert.match(out.error.message, /Application\.ReadWrite\.All/);
    assert.deepEqual(out.writes, [], 'nothing was written');
    assert.equal(out.roundTrips, 0, 'not even a read: the token told');
    assert.equal(await ws.configText(), before);

    const check = await ws.run({ whatIf: true, detailedExitcode: true }, { env, auth: 'environment' });
    assert.ok(check.error instanceof PermissionError);
    // a read-only run is told the read rights it lacks, never a write right
    assert.deepEqual(check.error.missing, ['Application.Read.All', 'Directory.Read.All']);
    assert.doesNotMatch(check.error.message, /ReadWrite/);
  });
});

/**
 * A read-only drift monitor, set up as an administrator would (through Graph): an application with
 * exactly Application.Read.All and Directory.Read.All (the least-privileged right to list
 * oauth2PermissionGrants) and a client secret. It can check for drift; it cannot apply.
 */
test('a read-only monitor with exactly Application.Read.All + Directory.Read.All: drift checks work, apply is refused (77)', { timeout: 120_000 }, async () => {
  await withWorkspace(async (ws) => {
    const cert = await ws.makeCert('portal', 'CN=Veeam Restore Portal');
    await ws.writeConfig(baseConfig({ certificate: { thumbprint: cert.info.thumbprint, file: cert.file } }));
    const registered = await ws.run();
    assert.equal(registered.error, undefined, String(registered.error));
    const monitor = await ws.admin(async (s) => {
      const app = (await graphCall<{ id: string; appId: string }>(s, { method: 'POST', path: '/applications', body: { displayName: 'drift monitor' } })).body;
      const secret = (await graphCall<{ secretText: string }>(s, { method: 'POST', path: `/applications/${app.id}/addPassword`, body: { passwordCredential: { displayName: 'cron' } } })).body;
      const sp = (await graphCall<{ id: string }>(s, { method: 'POST', path: '/servicePrincipals', body: { appId: app.appId } })).body;
      const graph = (await graphCall<{ value: { id: string }[] }>(s, { method: 'GET', path: `/servicePrincipals?$filter=${encodeURIComponent("appId eq '00000003-0000-0000-c000-000000000000'")}` })).body.value[0]!;
      for (const role of ['9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', '7ab1d382-f21e-4acd-a863-ba3e13f7da61']) {
        await graphCall(s, { method: 'POST', path: `/servicePrincipals/${sp.id}/appRoleAssignments`, body: { principalId: sp.id, resourceId: graph.id, appRoleId: role } });
      }
      return { clientId: app.appId, clientSecret: secret.secretText, tenant: s.tenant };
    });
    const seeded = await startEmulator({ statePath: join(ws.dir, '.entra-portal', 'emulator-state.json'), pki: testPki });
    const tenantId = (await seeded.ensureTenant('contoso.onmicrosoft.com')).id;
    await seeded.stop();
    const env = { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: monitor.clientId, AZURE_CLIENT_SECRET: monitor.clientSecret };

    const clean = await ws.run({ whatIf: true, detailedExitcode: true }, { env, auth: 'environment' });
    assert.equal(clean.error, undefined, String(clean.error));
    assert.equal(clean.result?.exitCode, 0);

    await ws.admin(async (s) => patchApp(s, (await readApp(s, registered.result!.appId!)).id, { web: { redirectUris: ['https://evil.example.com/cb'] } }));
    const drift = await ws.run({ whatIf: true, detailedExitcode: true }, { env, auth: 'environment' });
    assert.equal(drift.error, undefined, String(drift.error));
    assert.equal(drift.result?.exitCode, 2);

    const write = await ws.run({}, { env, auth: 'environment' });
    assert.ok(write.error instanceof PermissionError, String(write.error));
    assert.deepEqual(write.error.missing, ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
    assert.deepEqual(write.writes, []);
  });
});
