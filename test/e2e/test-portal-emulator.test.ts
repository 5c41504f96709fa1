/**
 * The whole flow through the built CLI, as an administrator would run it: install-cert --generate,
 * apply (embedded emulator, region Emulator), then test-portal against the emulator's VB365 REST
 * stand-in — whose CA the child trusts through NODE_EXTRA_CA_CERTS, as Node's own trust store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSON5 from 'json5';
import { runCli, runMain, withTempDir } from '../helpers/cli.js';
import { withRestoreApiStandIn } from '../helpers/emulator.js';

interface Result {
  passed: boolean;
  url?: string;
  checks: { id: string; status: string; message: string }[];
}

test('install-cert → apply → test-portal passes end to end (NODE_EXTRA_CA_CERTS trusted, sign-in with the stored key)', async () => {
  await withRestoreApiStandIn(async (standIn) => {
    const restUrl = standIn.url;
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'entra-portal.json5'), standIn.config('Veeam Restore Portal', 'veeam-restore-portal'));
      const cert = await runMain(['install-cert', '--generate'], { cwd: dir });
      assert.equal(cert.code, 0, cert.stderr);
      const applied = await runMain(['apply'], { cwd: dir, timeoutMs: 120_000 });
      assert.equal(applied.code, 0, applied.stderr);
      const config = JSON5.parse(await readFile(join(dir, 'entra-portal.json5'), 'utf8')) as { application: { appId: string } };
      standIn.setAppId(config.application.appId);

      const env = { NODE_EXTRA_CA_CERTS: standIn.caFile };
      // NODE_EXTRA_CA_CERTS is read at process start: a real process
      const r = await runCli(['test-portal', '--json'], { cwd: dir, env, timeoutMs: 60_000 });
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const doc = JSON.parse(r.stdout) as Result;
      assert.equal(doc.passed, true);
      assert.equal(doc.url, restUrl);
      const status = Object.fromEntries(doc.checks.map((c) => [c.id, c.status]));
      assert.deepEqual(status, {
        config: 'pass',
        'url.format': 'warn', // loopback: reachable from this machine only
        'url.port': 'pass',
        dns: 'skip',
        tcp: 'pass',
        'tls.handshake': 'pass',
        'tls.expiry': 'pass',
        'tls.hostname': 'pass',
        'tls.trust': 'pass',
        'restapi.settings': 'pass',
        'entra.app': 'pass',
        'entra.redirect-uri': 'pass',
        'entra.certificate': 'pass',
        'entra.credentials': 'pass',
        'entra.permissions': 'pass',
        'entra.consent': 'pass',
        'entra.sign-in': 'pass',
      });

      // without the CA the same certificate is an untrusted-CA warning: still exit 0
      const human = await runMain(['test-portal'], { cwd: dir, timeoutMs: 60_000 });
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^! tls\.trust +the chain ends at a root that is not trusted here \(CN=entra-portal emulator CA/m);
      assert.match(human.stdout, /^✔ entra\.sign-in +signed in as application/m);
      assert.match(human.stdout, /The Restore Portal works, with warnings: 14 passed, 2 warnings, 0 failed, 1 skipped\./);
    });
  });
});

test('an unprivileged operator (--auth environment): apply exits 77 naming the rights; entra.app fails with Graph\'s answer, not our request line', async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, 'entra-portal.json5'),
      `{\n  version: 1,\n  region: 'Emulator',\n  tenant: 'contoso.onmicrosoft.com',\n  application: { name: 'Portal', uniqueName: 'portal' },\n  portal: { url: 'https://127.0.0.1:9', restApiPort: 9 },\n}\n`,
    );
    const applied = await runMain(['apply'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(applied.code, 0, applied.stderr);
    // the embedded emulator's seeded client without roles (src/emulator/seed-data.ts), from its state
    // beside the config
    const state = JSON.parse(await readFile(join(dir, '.entra-portal', 'emulator-state.json'), 'utf8')) as {
      tenants: { id: string; domain: string; unprivileged: { clientId: string; clientSecret: string } }[];
    };
    const tenant = state.tenants.find((t) => t.domain === 'contoso.onmicrosoft.com')!;
    const env = { AZURE_TENANT_ID: tenant.id, AZURE_CLIENT_ID: tenant.unprivileged.clientId, AZURE_CLIENT_SECRET: tenant.unprivileged.clientSecret };

    const denied = await runMain(['apply', '--auth', 'environment'], { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(denied.code, 77, denied.stderr);
    assert.match(denied.stderr, /lacks Application\.ReadWrite\.All and DelegatedPermissionGrant\.ReadWrite\.All/);

    const r = await runMain(['test-portal', '--auth', 'environment', '--timeout', '2', '--json'], { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.stderr);
    const app = (JSON.parse(r.stdout) as Result).checks.find((c) => c.id === 'entra.app')!;
    assert.equal(app.status, 'fail');
    assert.match(app.message, /^cannot read the application from Microsoft Graph: 403 Authorization_RequestDenied: /);
    assert.doesNotMatch(app.message, /\$select|GET /);
    assert.ok(!r.stdout.includes(tenant.unprivileged.clientSecret) && !r.stderr.includes(tenant.unprivileged.clientSecret));
  });
});

test('Graph throttling past test-portal\'s budget: entra.app fails with a remedy naming test-portal\'s own --timeout (it named apply\'s --propagation-timeout, which test-portal refuses)', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, 'entra-portal.json5'),
      "{\n  version: 1,\n  region: 'Emulator',\n  application: { name: 'Busy Portal', uniqueName: 'busy-portal' },\n  portal: { url: 'https://127.0.0.1:9', restApiPort: 9 },\n}\n",
    );
    const { fakeClock } = await import('../helpers/graph-fakes.js');
    const env = { ENTRA_PORTAL_EMULATOR_FAULTS: 'throttle=1,retry-after=0' };
    const r = await runMain(['test-portal', '--timeout', '1', '--json'], { cwd: dir, env, clock: fakeClock(Date.now()) });
    assert.equal(r.code, 2, r.stderr);
    const app = (JSON.parse(r.stdout) as { checks: { id: string; status: string; remedy?: string }[] }).checks.find((c) => c.id === 'entra.app')!;
    assert.equal(app.status, 'fail');
    assert.match(app.remedy ?? '', /--timeout/);
    assert.doesNotMatch(r.stdout + r.stderr, /--propagation-timeout/, 'no option test-portal does not have');
    const refused = await runMain(['test-portal', '--propagation-timeout', '30'], { cwd: dir });
    assert.equal(refused.code, 64, 'the option really is not test-portal\'s');
  });
});
