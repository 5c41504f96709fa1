/**
 * A tenant whose app management policy limits certificates to 365 days (CISA SCuBA MS.AAD.5.7,
 * https://github.com/cisagov/ScubaGear/issues/1963), set as an administrator sets it (PATCH
 * /policies/defaultAppManagementPolicy). test-portal reads the policy and warns before it bites;
 * `apply` turns Entra's 400 CredentialInvalidLifetimeAsPerAppPolicy into exit 65 naming the limit and
 * the remedy; the default `install-cert --generate` certificate (365 days) fits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContext, type Context } from '../../src/context.js';
import { installCert } from '../../src/cmdlets/install-cert.js';
import { testPortal } from '../../src/cmdlets/test-portal.js';
import { generateSelfSigned } from '../../src/certs/index.js';
import { graphCall } from '../../src/graph/request.js';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { baseConfig, withWorkspace } from '../helpers/apply-harness.js';
import { testEnv } from '../helpers/pki.js';

function ctxFor(dir: string): Context {
  const sink = { write: () => true };
  return createContext({ cwd: dir, env: testEnv(dir), stderr: sink, stdout: sink });
}

test('a 365-day certificate policy: test-portal warns, apply exits 65 with the limit and the remedy, the default certificate fits', { timeout: 180_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    const registered = await ws.run();
    assert.equal(registered.error, undefined, String(registered.error));
    await ws.admin((s) =>
      graphCall(s, {
        method: 'PATCH',
        path: '/policies/defaultAppManagementPolicy',
        body: { isEnabled: true, applicationRestrictions: { keyCredentials: [{ restrictionType: 'asymmetricKeyLifetime', maxLifetime: 'P365D', restrictForAppsCreatedAfterDateTime: null }] } },
      }),
    );
    // then a certificate valid 400 days goes into the config
    const { info } = await generateSelfSigned({ subject: 'CN=Veeam Restore Portal', validityDays: 400 });
    await mkdir(join(ws.dir, 'certs'), { recursive: true });
    await writeFile(join(ws.dir, 'certs', 'long.cer'), info.certPem);
    await ws.writeConfig(baseConfig({ application: { appId: registered.result!.appId }, certificate: { thumbprint: info.thumbprint, file: 'certs/long.cer' } }));

    const ctx = ctxFor(ws.dir);
    const checked = await testPortal({ config: ws.configPath, timeout: 10, settle: 1 }, ctx);
    const cert = checked.checks.find((c) => c.id === 'entra.certificate')!;
    // failing already (a certificate to register: drift), and saying why apply will not fix it
    assert.equal(cert.status, 'fail', JSON.stringify(cert));
    assert.match(cert.message, /valid 400 days, but the tenant's app management policy '00000000-0000-0000-0000-000000000000' allows at most 365: apply will be refused/);
    assert.match(cert.remedy ?? '', /install-cert --generate --validity-days 365 --apply/);

    const refused = await ws.run();
    const err = refused.error as Error & { exitCode?: number; remedy?: string };
    assert.ok(err, 'apply is refused');
    assert.equal(err.exitCode, 65);
    assert.match(err.message, /app management policy '00000000-0000-0000-0000-000000000000' allows certificates of at most 365 days/);
    assert.match(err.remedy ?? '', /entra-portal install-cert --generate --validity-days 365 --apply/);

    // the remedy works: the default generated certificate (365 days) is within the policy
    await installCert({ generate: true, subject: 'CN=Veeam Restore Portal', config: ws.configPath }, ctx);
    const fixed = await ws.run();
    assert.equal(fixed.error, undefined, String(fixed.error));
  });
});
