/**
 * `test-portal --customer <t>` on a single-tenant application: no consent can let another
 * organisation's users in, so the check says the application is single-tenant and how to make it
 * multi-tenant — not "open the consent link", which Entra refuses for such an application.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult as Check } from '../../src/checks/types.js';
import { runMain, withTempDir } from '../helpers/cli.js';


test('test-portal --customer on a single-tenant application: fails saying so, with the way to make it multi-tenant', async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, 'entra-portal.json5'),
      "{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Single', uniqueName: 'single-check', multiTenant: false }, portal: { url: 'https://127.0.0.1:9', restApiPort: 9 } }\n",
    );
    assert.equal((await runMain(['apply'], { cwd: dir })).code, 0);
    const r = await runMain(['test-portal', '--customer', 'fabrikam.onmicrosoft.com', '--json', '--timeout', '1'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    const check = (JSON.parse(r.stdout).checks as Check[]).find((c) => c.id === 'entra.customer')!;
    assert.equal(check.status, 'fail');
    assert.equal(check.tenant, 'fabrikam.onmicrosoft.com');
    assert.match(check.message, /single-tenant/);
    assert.match(check.remedy ?? '', /entra-portal set-app --app-id [0-9a-f-]{36} --multi-tenant/);
    assert.doesNotMatch(check.remedy ?? '', /consent/);
  });
});
