import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';

test('new-app creates the file with a comment header; the unique name is a slug of the name', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['new-app', '--name', 'Veeam Restore Portal (EU)', '--region', 'GLOBAL', '--tenant', 'Contoso.onmicrosoft.com', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.verb, 'new-app');
    assert.equal(doc.created, true);
    assert.equal(doc.changed, true);
    assert.deepEqual(doc.application, { name: 'Veeam Restore Portal (EU)', uniqueName: 'veeam-restore-portal-eu', multiTenant: false });
    assert.equal(doc.region, 'Worldwide');
    assert.equal(doc.tenant, 'contoso.onmicrosoft.com');
    const text = await readFile(join(dir, 'entra-portal.json5'), 'utf8');
    assert.ok(text.startsWith("// entra-portal configuration — desired state of the Restore Portal's Entra application.\n// Docs: "), text);
    assert.match(text, /\{\n {2}version: 1,\n {2}region: 'Worldwide',\n {2}tenant: 'contoso\.onmicrosoft\.com',\n {2}application: \{\n {4}name: 'Veeam Restore Portal \(EU\)',\n {4}uniqueName: 'veeam-restore-portal-eu',\n {4}multiTenant: false,\n {2}\},\n\}\n$/);
    // idempotent
    const again = await runMain(['new-app', '--name', 'Veeam Restore Portal (EU)', '--region', 'global', '--tenant', 'contoso.onmicrosoft.com', '--json'], { cwd: dir });
    assert.equal(again.code, 0);
    assert.equal(JSON.parse(again.stdout).changed, false);
    assert.equal(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), text);
  });
});

test('--unique-name and --multi-tenant are recorded', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['new-app', '--name', 'Portal', '--unique-name', 'portal.eu_1', '--multi-tenant'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created entra-portal\.json5/);
    const text = await readFile(join(dir, 'entra-portal.json5'), 'utf8');
    assert.match(text, /uniqueName: 'portal\.eu_1',\n {4}multiTenant: true,/);
  });
});

test('new-app refuses (65) when the file pins an appId, unless --force, which removes it', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    const pinned = "{\n  version: 1,\n  application: {\n    name: 'Old',\n    appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', // pinned\n  },\n}\n";
    await writeFile(file, pinned);
    const refused = await runMain(['new-app', '--name', 'New Portal'], { cwd: dir });
    assert.equal(refused.code, 65);
    assert.match(refused.stderr, /already pins application 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c/);
    assert.match(refused.stderr, /--force/);
    assert.equal(await readFile(file, 'utf8'), pinned);

    const preview = await runMain(['new-app', '--name', 'New Portal', '--force', '--what-if'], { cwd: dir });
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stderr, /warning: would remove the pinned application 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c/);
    assert.equal(await readFile(file, 'utf8'), pinned);

    const forced = await runMain(['new-app', '--name', 'New Portal', '--force', '--json'], { cwd: dir });
    assert.equal(forced.code, 0, forced.stderr);
    const doc = JSON.parse(forced.stdout);
    assert.equal(doc.unpinned, '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c');
    assert.match(forced.stderr, /warning: removed the pinned application .*not deleted from Entra/);
    assert.equal(await readFile(file, 'utf8'), "{\n  version: 1,\n  application: {\n    name: 'New Portal',\n    uniqueName: 'new-portal',\n    multiTenant: false,\n  },\n}\n");
  });
});

test('bad values on the command line and missing options exit 64; nothing is created', async () => {
  await withTempDir(async (dir) => {
    const cases: Array<[string[], number, RegExp]> = [
      [['new-app'], 64, /new-app: missing --name/],
      [['new-app', '--name'], 64, /Not enough arguments|name/],
      [['new-app', '--name', 'A', '--name', 'B'], 64, /given 2 times/],
      [['new-app', '--name', '   '], 64, /--name is empty/],
      [['new-app', '--name', '!!!'], 64, /cannot make a unique name/],
      // the value is the command line's, not the file's: 64 (it was 65, "the new file would be invalid")
      [['new-app', '--name', 'Portal\u001b]0;pwned\u0007'], 64, /--name contains a control character \(U\+001B\)/],
      [['new-app', '--name', 'Portal\uD800'], 64, /--name contains a lone surrogate/],
      [['new-app', '--name', 'A', '--unique-name=-bad'], 64, /not a valid unique name/],
      [['new-app', '--name', 'A', '--region', 'Germany'], 64, /closed on 2021-10-29/],
      [['new-app', '--name', 'A', '--region', 'mars'], 64, /unknown region 'mars'/],
      [['new-app', '--name', 'A', '--tenant', 'contoso'], 64, /neither a tenant ID \(GUID\) nor a domain name/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runMain(args, { cwd: dir });
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.deepEqual(await readdir(dir), []);
  });
});

test('--what-if shows the new file as a diff against /dev/null and creates nothing', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['new-app', '--name', 'Portal', '--what-if'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- \/dev\/null\n\+\+\+ b\/entra-portal\.json5\n@@ -0,0 \+1,\d+ @@\n\+\/\/ entra-portal configuration/);
    assert.match(r.stdout, /\+ {4}uniqueName: 'portal',/);
    assert.deepEqual(await readdir(dir), []);
  });
});

test('--help shows examples', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['new-app', '--help'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--unique-name/);
    assert.match(r.stdout, /Examples:/);
    assert.match(r.stdout, /entra-portal new-app --name "Veeam Restore Portal"/);
  });
});
