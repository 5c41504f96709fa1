/** The unprivileged operator: exit 77 naming the missing right, before any write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { PermissionError } from '../../src/errors.js';
import { baseConfig, withWorkspace } from '../helpers/apply-harness.js';

test('an operator without the rights exits 77 before anything changes (apply and --what-if)', { timeout: 60_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    // seed the state the embedded emulator will load, to learn the tenant's unprivileged client
    const seeded = await startEmulator({ statePath: join(ws.dir, '.entra-portal', 'emulator-state.json') });
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
