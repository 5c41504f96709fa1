/**
 * The Azure CLI recipe of docs/emulator-usage.md, run for real when `az` is installed (Debian's
 * azure-cli 2.45 was used to build it; it is never a dependency of this project): a custom cloud
 * whose authority is the emulator's ADFS-style `/adfs` (MSAL for Python skips instance discovery
 * only for those) and whose Graph and resource manager are the emulator; then the `az ad` commands an administrator
 * uses on an application, each checked against what the emulator holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../../src/emulator/index.js';
import { graphClientFor, makeTestCertificate } from '../helpers/emulator.js';
import { testPki } from '../helpers/pki.js';

const run = promisify(execFile);
const onPath = (cmd: string) => (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));

test('the Azure CLI signs in through a custom cloud and manages an application', { timeout: 300_000 }, async (t) => {
  if (!onPath('az')) {
    t.skip('az not installed (apt-get install azure-cli to run this recipe)');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'az-recipe-'));
  const emu = await startEmulator({ statePath: join(dir, 'state.json'), pki: testPki });
  try {
    const tenant = emu.tenants[0]!;
    // async child processes only: a synchronous one would block the in-process emulator
    const env = { ...process.env, AZURE_CONFIG_DIR: join(dir, 'az'), REQUESTS_CA_BUNDLE: emu.caFile, AZURE_CORE_COLLECT_TELEMETRY: '0', AZURE_CORE_ONLY_SHOW_ERRORS: '1' };
    const az = async (...args: string[]) => (await run('az', args, { env, timeout: 120_000 })).stdout.trim();
    const cloud = join(dir, 'cloud.json');
    const root = `${emu.url}/`;
    await writeFile(
      cloud,
      JSON.stringify({
        endpoints: { activeDirectory: `${emu.url}/adfs`, activeDirectoryResourceId: root, activeDirectoryGraphResourceId: root, resourceManager: root, microsoftGraphResourceId: root, management: root },
      }),
    );
    await az('cloud', 'register', '-n', 'EntraEmulator', '--cloud-config', `@${cloud}`);
    await az('cloud', 'set', '-n', 'EntraEmulator');
    await az('login', '--service-principal', '-u', tenant.operator.clientId, '-p', tenant.operator.clientSecret, '--tenant', tenant.id, '--allow-no-subscriptions', '-o', 'none');

    const appId = await az('ad', 'app', 'create', '--display-name', 'made by az', '--query', 'appId', '-o', 'tsv');
    assert.match(appId, /^[0-9a-f-]{36}$/);
    assert.equal(await az('ad', 'app', 'show', '--id', appId, '--query', 'displayName', '-o', 'tsv'), 'made by az');
    assert.equal(await az('ad', 'app', 'list', '--display-name', 'made by az', '--query', '[].appId', '-o', 'tsv'), appId);
    await az('ad', 'app', 'update', '--id', appId, '--web-redirect-uris', `https://portal.${tenant.domain}/`);
    // the CLI uploads the certificate's PEM body with its line breaks
    const cert = await makeTestCertificate({ subject: 'az recipe' });
    await writeFile(join(dir, 'cert.pem'), cert.certPem);
    await az('ad', 'app', 'credential', 'reset', '--id', appId, '--cert', `@${join(dir, 'cert.pem')}`, '--append', '-o', 'none');
    const spId = await az('ad', 'sp', 'create', '--id', appId, '--query', 'id', '-o', 'tsv');
    await az('ad', 'app', 'permission', 'add', '--id', appId, '--api', '00000003-0000-0000-c000-000000000000', '--api-permissions', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d=Scope');
    await az('ad', 'app', 'permission', 'grant', '--id', appId, '--api', '00000003-0000-0000-c000-000000000000', '--scope', 'User.Read', '-o', 'none');
    const operatorSp = await az('ad', 'sp', 'show', '--id', tenant.operator.clientId, '--query', 'id', '-o', 'tsv');
    await az('ad', 'app', 'owner', 'add', '--id', appId, '--owner-object-id', operatorSp);
    assert.equal(await az('ad', 'app', 'owner', 'list', '--id', appId, '--query', '[].id', '-o', 'tsv'), operatorSp);

    const g = graphClientFor(emu, tenant);
    const app = await g.api(`/applications(appId='${appId}')`).select('id,web,keyCredentials,requiredResourceAccess').get();
    assert.deepEqual(app.web.redirectUris, [`https://portal.${tenant.domain}/`]);
    assert.equal(app.keyCredentials[0].key, cert.derBase64);
    assert.equal(app.requiredResourceAccess[0].resourceAccess[0].id, 'e1fe6dd8-ba31-4d61-89e7-88639da4683d');
    const grants = await g.api('/oauth2PermissionGrants').filter(`clientId eq '${spId}'`).get();
    assert.equal(grants.value[0].scope, 'User.Read');

    await az('ad', 'app', 'delete', '--id', appId);
    const deleted = await g.api('/directory/deletedItems/microsoft.graph.application').filter(`appId eq '${appId}'`).get();
    assert.equal(deleted.value.length, 1, 'deleted, restorable');

    // a user signs in with a device code (approved as the tenant's administrator) and reads /me
    await az('login', '--use-device-code', '--allow-no-subscriptions', '--tenant', tenant.id, '-o', 'none');
    assert.equal(await az('ad', 'signed-in-user', 'show', '--query', 'userPrincipalName', '-o', 'tsv'), `admin@${tenant.domain}`);
  } finally {
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
