/**
 * test-portal end to end in-process: the embedded emulator (region Emulator) holds the application
 * registered by the real `apply`; the emulator's restoreApi stand-in serves
 * GET /v8/RestorePortalSettings on the portal URL. Then Entra is broken behind our back, one thing
 * at a time (redirect URI, consent, the application itself), and the key is taken out of reach.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createContext, type Context } from '../../src/context.js';
import { loadConfig } from '../../src/config/index.js';
import { installCert } from '../../src/cmdlets/install-cert.js';
import { testPortal, type TestPortalResult } from '../../src/cmdlets/test-portal.js';
import { testPortalExitCode } from '../../src/checks/result.js';
import { graphCall } from '../../src/graph/request.js';
import { startEmulator } from '../../src/emulator/index.js';
import { baseConfig, grantsOf, patchApp, readApp, spOf, withWorkspace } from '../helpers/apply-harness.js';
import { testEnv, testPki } from '../helpers/pki.js';

function ctxFor(dir: string): Context {
  const sink = { write: () => true };
  return createContext({ cwd: dir, env: testEnv(dir), stderr: sink, stdout: sink });
}

const by = (r: TestPortalResult, id: string) => r.checks.find((c) => c.id === id)!;

test('test-portal against the emulator: a healthy portal, then Entra broken one thing at a time', async (t) => {
  const settings = { applicationId: '00000000-0000-0000-0000-000000000000' };
  let restUrl = '';
  const rest = await startEmulator({
    pki: testPki,
    restoreApi: { port: 0, settings: () => ({ ...settings, msalAuthorityUri: 'https://127.0.0.1/organizations', restorePortalUri: `${restUrl}/`, isEnabled: true }) },
  });
  restUrl = rest.restoreApiUrl!;
  const port = Number(new URL(restUrl).port);
  try {
    await withWorkspace(async (ws) => {
      const ctx = ctxFor(ws.dir);
      await ws.writeConfig(baseConfig({ portal: { url: restUrl, restApiPort: port } }));
      const installed = await installCert({ generate: true, subject: 'CN=Veeam Restore Portal', config: ws.configPath }, ctx);
      const thumbprint = installed.certificate.thumbprint;
      const applied = await ws.run();
      assert.equal(applied.error, undefined, String(applied.error));
      const appId = (await loadConfig(ws.configPath)).config.application!.appId!;
      settings.applicationId = appId;
      const run = (extra: { store?: string } = {}) => testPortal({ config: ws.configPath, ca: rest.caPem, timeout: 10, settle: 1, ...extra }, ctx);

      await t.test('healthy: every check passes (the loopback URL is only a warning), sign-in included', async () => {
        const r = await run();
        const notPass = r.checks.filter((c) => c.status !== 'pass');
        assert.deepEqual(notPass.map((c) => c.id), ['url.format', 'dns'], JSON.stringify(notPass, null, 1));
        assert.equal(by(r, 'url.format').status, 'warn');
        assert.equal(by(r, 'dns').status, 'skip');
        assert.equal(r.passed, true);
        assert.equal(testPortalExitCode(r), 0);
        assert.match(by(r, 'restapi.settings').message, new RegExp(`enabled for application ${appId}`));
        assert.match(by(r, 'entra.sign-in').message, new RegExp(`signed in as application ${appId} with certificate ${thumbprint}`));
        assert.match(by(r, 'entra.certificate').message, new RegExp(thumbprint));
        assert.equal(JSON.stringify(r).includes('PRIVATE KEY'), false, 'no key material in the result');
      });

      await t.test('certificate registered in Entra but its key not in this store: sign-in skipped with the reason', async () => {
        const empty = join(ws.dir, 'empty-store');
        await mkdir(empty);
        const r = await run({ store: empty });
        assert.equal(by(r, 'entra.certificate').status, 'pass');
        const s = by(r, 'entra.sign-in');
        assert.equal(s.status, 'skip');
        assert.match(s.message, /private key of certificate [0-9A-F]{40} is not in the store/);
        assert.ok(s.remedy);
        assert.equal(r.passed, true, 'a skip is not a failure');
      });

      await t.test('missing redirect URI: fails and names the URIs that are registered (AADSTS50011)', async () => {
        await ws.admin(async (s) => patchApp(s, (await readApp(s, appId)).id, { spa: { redirectUris: ['https://old-portal.abc.com:4443'] } }));
        const r = await run();
        const c = by(r, 'entra.redirect-uri');
        assert.equal(c.status, 'fail');
        assert.match(c.message, /unmanaged spa redirect URI https:\/\/old-portal\.abc\.com:4443/);
        assert.match(c.message, /AADSTS50011/);
        assert.equal(testPortalExitCode(r), 2);
        assert.equal(by(r, 'entra.consent').status, 'pass', 'one problem, one failure');
      });

      await t.test('revoked consent: entra.consent fails naming the scope', async () => {
        await ws.admin(async (s) => {
          const sp = (await spOf(s, appId))!;
          for (const g of await grantsOf(s, sp.id)) {
            if (g.resourceId === sp.id) await graphCall(s, { method: 'DELETE', path: `/oauth2PermissionGrants/${g.id}` });
          }
        });
        const r = await run();
        const c = by(r, 'entra.consent');
        assert.equal(c.status, 'fail');
        assert.match(c.message, /admin consent on this application: "access_as_user" will be granted/);
        assert.match(c.remedy!, /entra-portal apply/);
      });

      await t.test('service principal deleted: entra.consent fails once; sign-in is skipped, not failed again', async () => {
        await ws.admin(async (s) => graphCall(s, { method: 'DELETE', path: `/servicePrincipals/${(await spOf(s, appId))!.id}` }));
        const r = await run();
        assert.equal(by(r, 'entra.consent').status, 'fail');
        assert.match(by(r, 'entra.consent').message, /no service principal/);
        assert.equal(by(r, 'entra.sign-in').status, 'skip');
        assert.match(by(r, 'entra.sign-in').message, /see entra\.consent/);
      });

      await t.test('deleted application: entra.app fails once, naming the deletion; every other Entra check is skipped', async () => {
        await ws.admin(async (s) => graphCall(s, { method: 'DELETE', path: `/applications/${(await readApp(s, appId)).id}` }));
        const r = await run();
        assert.equal(by(r, 'entra.app').status, 'fail');
        assert.match(by(r, 'entra.app').message, new RegExp(`application ${appId} was deleted on .*; it can be restored until `));
        assert.match(by(r, 'entra.app').remedy ?? '', /entra-portal apply to restore it/);
        for (const id of ['entra.redirect-uri', 'entra.certificate', 'entra.credentials', 'entra.permissions', 'entra.consent', 'entra.sign-in']) {
          assert.equal(by(r, id).status, 'skip', id);
        }
        assert.equal(by(r, 'restapi.settings').status, 'pass', 'the network side is unaffected');
      });
    });
  } finally {
    await rest.stop();
  }
});
