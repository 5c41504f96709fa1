/**
 * add-customer / remove-customer / consent-url through the real CLI (in-process): lossless edits,
 * idempotence, --what-if, the refusal of a single-tenant application (65, file untouched), the JSON
 * contract, and the consent URL a customer's administrator opens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';

const APP = '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c';
const SINGLE = `// the provider's portal
{
  version: 1,
  tenant: 'contoso.onmicrosoft.com',
  application: {
    name: 'SP Portal',
    appId: '${APP}', // registered 2025
    multiTenant: false,
  },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },
}
`;
const MULTI = SINGLE.replace('multiTenant: false', 'multiTenant: true');

test('a customer on a single-tenant application is refused (65) with the remedy; the file stays', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, SINGLE);
    const r = await runMain(['add-customer', '--tenant', 'fabrikam.onmicrosoft.com'], { cwd: dir });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /the application is single-tenant/);
    assert.match(r.stderr, new RegExp(`entra-portal set-app --app-id ${APP} --multi-tenant.*then "entra-portal apply"`));
    assert.equal(await readFile(file, 'utf8'), SINGLE);
    // a hand-edited file with customers on a single-tenant app does not load either
    await writeFile(file, SINGLE.replace('  portal:', "  customers: [{ tenant: 'fabrikam.onmicrosoft.com' }],\n  portal:"));
    const apply = await runMain(['apply', '--what-if'], { cwd: dir });
    assert.equal(apply.code, 65);
    assert.match(apply.stderr, /entra-portal\.json5:10:\d+: customers: 1 customer tenant is listed, but application\.multiTenant is not true/);
    // set-app --multi-tenant repairs it
    const fixed = await runMain(['set-app', '--app-id', APP, '--multi-tenant'], { cwd: dir });
    assert.equal(fixed.code, 0, fixed.stderr);
  });
});

test('add-customer / remove-customer: lossless, idempotent, --what-if writes nothing, JSON per schema', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, MULTI);
    const preview = await runMain(['add-customer', '--tenant', 'Fabrikam.onmicrosoft.com', '--what-if'], { cwd: dir });
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, /^\+ {2}customers: \[\n\+ {4}\{ tenant: 'fabrikam\.onmicrosoft\.com' \},\n\+ {2}\],$/m);
    assert.equal(await readFile(file, 'utf8'), MULTI);

    const added = await runMain(['add-customer', '--tenant', 'Fabrikam.onmicrosoft.com', '--json'], { cwd: dir });
    assert.equal(added.code, 0, added.stderr);
    const doc = JSON.parse(added.stdout);
    assertMatchesSchema('edit-result.schema.json', doc);
    assert.equal(doc.tenant, 'fabrikam.onmicrosoft.com');
    assert.deepEqual(doc.customers, ['fabrikam.onmicrosoft.com']);
    assert.equal(doc.credentialEnv, 'ENTRA_PORTAL_TENANT_FABRIKAM_ONMICROSOFT_COM');
    assert.match(added.stderr, /ENTRA_PORTAL_TENANT_FABRIKAM_ONMICROSOFT_COM_CLIENT_ID/);
    const one = MULTI.replace('  portal:', "  customers: [\n    { tenant: 'fabrikam.onmicrosoft.com' },\n  ],\n  portal:");
    // the new list goes at the end of the file, everything before it keeps its bytes
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith(MULTI.slice(0, MULTI.lastIndexOf('}'))), text);
    assert.match(text, /customers: \[\n {4}\{ tenant: 'fabrikam\.onmicrosoft\.com' \},\n {2}\],\n\}\n$/);

    // the same tenant in another case: no change; a second one and a credential prefix
    const again = await runMain(['add-customer', '--tenant', 'FABRIKAM.ONMICROSOFT.COM', '--json'], { cwd: dir });
    assert.equal(JSON.parse(again.stdout).changed, false);
    assert.equal(await readFile(file, 'utf8'), text);
    await writeFile(file, one.replace("{ tenant: 'fabrikam.onmicrosoft.com' },", "{ tenant: 'fabrikam.onmicrosoft.com' }, // Fabrikam Ltd"));
    const second = await runMain(['add-customer', '--tenant', '72F988BF-86F1-41AF-91AB-2D7CD011DB47', '--credential-env', 'WOODGROVE'], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /WOODGROVE_CLIENT_ID with WOODGROVE_CLIENT_SECRET/);
    const two = await readFile(file, 'utf8');
    assert.match(two, /\{ tenant: 'fabrikam\.onmicrosoft\.com' \}, \/\/ Fabrikam Ltd\n {4}\{ tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', credentialEnv: 'WOODGROVE' \},\n/);

    const removed = await runMain(['remove-customer', '--tenant', 'fabrikam.onmicrosoft.com', '--json'], { cwd: dir });
    assert.equal(removed.code, 0, removed.stderr);
    assertMatchesSchema('edit-result.schema.json', JSON.parse(removed.stdout));
    assert.match(removed.stderr, /its service principal and admin consent stay in that tenant/);
    assert.equal(await readFile(file, 'utf8'), two.replace("    { tenant: 'fabrikam.onmicrosoft.com' }, // Fabrikam Ltd\n", ''));
    const absent = await runMain(['remove-customer', '--tenant', 'fabrikam.onmicrosoft.com'], { cwd: dir });
    assert.equal(absent.code, 0);
    assert.match(absent.stderr, /fabrikam\.onmicrosoft\.com is not in customers: nothing to remove/);
    // the last one gone: no empty list left
    await runMain(['remove-customer', '--tenant', '72f988bf-86f1-41af-91ab-2d7cd011db47'], { cwd: dir });
    assert.doesNotMatch(await readFile(file, 'utf8'), /customers/);
  });
});

test('add-customer: a bad value or a missing --tenant is 64; the provider\'s own tenant (the file refuses it) 65', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), MULTI);
    assert.equal((await runMain(['add-customer'], { cwd: dir })).code, 64);
    assert.equal((await runMain(['add-customer', '--tenant', 'nodot'], { cwd: dir })).code, 64);
    assert.equal((await runMain(['add-customer', '--tenant', 'a.example', '--credential-env', 'NO-DASH'], { cwd: dir })).code, 64);
    const own = await runMain(['add-customer', '--tenant', 'CONTOSO.onmicrosoft.com'], { cwd: dir });
    assert.equal(own.code, 65);
    assert.match(own.stderr, /is the application's own tenant/);
    assert.equal(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), MULTI);
  });
});

test('consent-url: the v2 admin-consent link on the region\'s login host; refused (65) when the config cannot give one', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, MULTI.replace("  tenant: 'contoso.onmicrosoft.com',", "  region: 'usgov',\n  tenant: 'contoso.onmicrosoft.us',"));
    const r = await runMain(['consent-url', '--tenant', 'fabrikam.onmicrosoft.us'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout.trim(),
      `https://login.microsoftonline.us/fabrikam.onmicrosoft.us/v2.0/adminconsent?client_id=${APP}&scope=https%3A%2F%2Fgraph.microsoft.us%2F.default&redirect_uri=https%3A%2F%2Fportal.abc.com%3A4443`,
    );
    assert.match(r.stderr, /not in customers: add it/);
    const json = await runMain(['consent-url', '--tenant', 'fabrikam.onmicrosoft.us', '--json'], { cwd: dir });
    const doc = JSON.parse(json.stdout);
    assertMatchesSchema('consent-url-result.schema.json', doc);
    assert.equal(doc.listed, false);

    for (const [text, why] of [
      [SINGLE, /single-tenant/],
      [MULTI.replace(`    appId: '${APP}', // registered 2025\n`, ''), /no appId yet.*\n.*entra-portal apply/],
      [MULTI.replace("  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n", ''), /no portal URL.*\n.*set-portal-url/],
      [MULTI.replace("  tenant: 'contoso.onmicrosoft.com',", "  region: 'Emulator',"), /embedded emulator/],
    ] as const) {
      await writeFile(file, text);
      const refused = await runMain(['consent-url', '--tenant', 'fabrikam.onmicrosoft.com'], { cwd: dir });
      assert.equal(refused.code, 65, refused.stderr);
      assert.match(refused.stderr, why);
    }
  });
});
