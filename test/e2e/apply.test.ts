/** The built CLI: `apply` in a temp dir with an Emulator-region config (the real argv path). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';
import { assertValidApplyResult } from '../fixtures/plan/validate.js';

const CONFIG = `{
  // entra-portal e2e
  version: 1,
  region: 'Emulator',
  tenant: 'contoso.onmicrosoft.com',
  application: {
    name: 'Veeam Restore Portal',
    uniqueName: 'veeam-restore-portal',
    multiTenant: false,
  },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },
}
`;

test('apply registers, records the appId, then a drift check is clean; a config change is drift (2) until applied', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, CONFIG);

    const first = await runMain(['apply', '--json'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout) as { appId: string; inSync: boolean; steps: { step: string; status: string }[] };
    assertValidApplyResult(result);
    assert.equal(result.inSync, false);
    assert.match(first.stderr, /\+ application "Veeam Restore Portal" \(uniqueName veeam-restore-portal\) will be created/);
    const text = await readFile(file, 'utf8');
    assert.match(text, /\/\/ entra-portal e2e/);
    assert.match(text, new RegExp(`appId: '${result.appId}'`));

    const check = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /^In sync \(appId /);
    assert.match(check.stderr, /No changes\./);

    await writeFile(file, text.replace("multiTenant: false,", "multiTenant: false,\n    extraRedirectUris: ['https://portal2.abc.com:4443'],"));
    const drift = await runMain(['apply', '--what-if', '--detailed-exitcode', '--json'], { cwd: dir });
    assert.equal(drift.code, 2, drift.stderr);
    assert.match(drift.stderr, /\+ spa redirect URI https:\/\/portal2\.abc\.com:4443/);
    const plan = (JSON.parse(drift.stdout) as { plan: { changes: unknown[] } }).plan;
    assert.deepEqual(plan.changes, [{ resource: 'redirectUri', action: 'add', field: 'spa.redirectUris', after: 'https://portal2.abc.com:4443' }]);

    const fix = await runMain(['apply', '--detailed-exitcode'], { cwd: dir });
    assert.equal(fix.code, 2, 'changes made → 2 with --detailed-exitcode');
    assert.match(fix.stdout, /^Applied 1 change/);
    const clean = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir });
    assert.equal(clean.code, 0, clean.stderr);
  });
});

test('apply: bad options exit 64, a bad config 65 — never the drift code', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
    for (const bad of [['--propagation-timeout', 'abc'], ['--propagation-timeout', '0'], ['--propagation-timeout', '1.5'], ['--auth', 'password']]) {
      const r = await runMain(['apply', '--what-if', '--detailed-exitcode', ...bad], { cwd: dir });
      assert.equal(r.code, 64, `${bad.join(' ')}: ${r.stderr}`);
    }
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG.replace("url: 'https://portal.abc.com:4443'", "url: 'http://portal.abc.com:4443'"));
    const invalid = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir });
    assert.equal(invalid.code, 65, invalid.stderr);
    assert.match(invalid.stderr, /entra-portal\.json5:\d+:\d+/);
  });
});

test('a config in another folder via $ENTRA_PORTAL_CONFIG: apply records the appId there and says where, relative to the working directory', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const { mkdir } = await import('node:fs/promises');
    const { existsSync } = await import('node:fs');
    await mkdir(join(dir, 'tenants'));
    await writeFile(join(dir, 'tenants', 'contoso.json5'), CONFIG);
    const env = { ENTRA_PORTAL_CONFIG: 'tenants/contoso.json5' };
    const r = await runMain(['apply', '--json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const { appId } = JSON.parse(r.stdout) as { appId: string };
    assert.match(r.stderr, new RegExp(`✔ recorded application\\.appId = ${appId} in tenants/contoso\\.json5\\n`));
    assert.match(await readFile(join(dir, 'tenants', 'contoso.json5'), 'utf8'), new RegExp(`appId: '${appId}'`));
    assert.ok(existsSync(join(dir, 'tenants', '.entra-portal', 'emulator-state.json')), 'the embedded emulator keeps its state beside the config');
    const again = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir, env });
    assert.equal(again.code, 0, again.stderr);
  });
});
