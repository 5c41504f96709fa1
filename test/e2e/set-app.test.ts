import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';
import { fakeClock } from '../helpers/graph-fakes.js';

const APP = '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c';

test('set-app pins the application (lowercase) and keeps the rest of the file', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    const before = "{\n  version: 1,\n  // the portal\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n}\n";
    await writeFile(file, before);
    const r = await runMain(['set-app', '--app-id', APP.toUpperCase(), '--region', 'usgov', '--tenant', '72F988BF-86F1-41AF-91AB-2D7CD011DB47', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.verb, 'set-app');
    assert.equal(doc.appId, APP);
    assert.equal(doc.region, 'USGovernment');
    assert.equal(doc.tenant, '72f988bf-86f1-41af-91ab-2d7cd011db47');
    assert.deepEqual(doc.changes.map((c: { path: string }) => c.path).sort(), ['application.appId', 'application.multiTenant', 'region', 'tenant']);
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith("{\n  version: 1,\n  // the portal\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n"), text);
    assert.match(text, new RegExp(`appId: '${APP}'`));
    // idempotent, also with the ID in another case
    const again = await runMain(['set-app', '--app-id', APP.toUpperCase(), '--region', 'gcchigh', '--json'], { cwd: dir });
    assert.equal(JSON.parse(again.stdout).changed, false, again.stdout);
    assert.equal(await readFile(file, 'utf8'), text);
  });
});

test('set-app creates a missing file', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['set-app', '--app-id', APP], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created entra-portal\.json5\n {2}\+ version: 1\n {2}\+ application\.appId: '4c0c2a11/);
  });
});

test('a pinned application cannot move to another region (65); the file stays', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    const before = `{ version: 1, region: 'China', application: { appId: '${APP}' } }\n`;
    await writeFile(file, before);
    const r = await runMain(['set-app', '--app-id', APP, '--region', 'Worldwide'], { cwd: dir });
    assert.equal(r.code, 65);
    assert.match(r.stderr, /lives in the China cloud: its region cannot change to Worldwide/);
    assert.equal(await readFile(file, 'utf8'), before);
    // another application may be pinned in another region
    const other = await runMain(['set-app', '--app-id', '11111111-2222-3333-4444-555555555555', '--region', 'Worldwide'], { cwd: dir });
    assert.equal(other.code, 0, other.stderr);
  });
});

test('bad values on the command line and a missing --app-id exit 64 (the fix is in the command line)', async () => {
  await withTempDir(async (dir) => {
    const missing = await runMain(['set-app'], { cwd: dir });
    assert.equal(missing.code, 64);
    assert.match(missing.stderr, /app-id/);
    const bad = await runMain(['set-app', '--app-id', 'not-a-guid', '--json'], { cwd: dir });
    assert.equal(bad.code, 64);
    assert.equal(JSON.parse(bad.stdout).error.code, 'invalid-app-id');
    const tenant = await runMain(['set-app', '--app-id', APP, '--tenant', 'bad_domain.com'], { cwd: dir });
    assert.equal(tenant.code, 64);
    assert.deepEqual(await readdir(dir), []);
  });
});

test('--apply runs apply after the edit; exit code and result follow apply; a failing apply keeps the edit', async () => {
  await withTempDir(async (dir) => {
    const opts = { cwd: dir, timeoutMs: 180_000 };
    const file = join(dir, 'entra-portal.json5');
    // register one in the embedded emulator (its state lives in .entra-portal/ beside the file)
    const created = await runMain(['new-app', '--name', 'Set App E2E', '--region', 'Emulator', '--apply'], opts);
    assert.equal(created.code, 0, created.stderr);
    const appId = /appId: '([0-9a-f-]{36})'/.exec(await readFile(file, 'utf8'))![1]!;
    const pinned = await runMain(['set-app', '--app-id', appId.toUpperCase(), '--apply', '--json'], opts);
    assert.equal(pinned.code, 0, pinned.stderr);
    const doc = JSON.parse(pinned.stdout);
    assert.equal(doc.changed, false);
    assert.equal(doc.apply.inSync, true, 'apply result nested under "apply"');

    // an application the tenant does not have: the edit is recorded, apply's failure is the exit code
    // (it is re-read for a while in case it was just created: on a virtual clock that wait passes at once)
    const missing = await runMain(['set-app', '--app-id', APP, '--apply', '--json'], { ...opts, clock: fakeClock(Date.now()) });
    assert.notEqual(missing.code, 0);
    assert.ok(JSON.parse(missing.stdout).error, 'a failing apply prints the error document');
    assert.match(missing.stderr, /was updated, but the apply that followed failed/);
    assert.match(await readFile(file, 'utf8'), new RegExp(APP));
  });
});

test('set-app pins the audience: --multi-tenant / --no-multi-tenant, and false when neither the option nor the file says', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, "{\n  version: 1,\n  application: { appId: '" + APP + "' }, // pinned earlier\n}\n");
    const pinned = await runMain(['set-app', '--app-id', APP, '--json'], { cwd: dir });
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.equal(JSON.parse(pinned.stdout).multiTenant, false);
    assert.match(await readFile(file, 'utf8'), /multiTenant: false/);
    const multi = await runMain(['set-app', '--app-id', APP, '--multi-tenant', '--json'], { cwd: dir });
    assert.equal(JSON.parse(multi.stdout).multiTenant, true);
    // a choice already in the file is kept when the option is not given (idempotent)
    const again = await runMain(['set-app', '--app-id', APP, '--json'], { cwd: dir });
    assert.equal(JSON.parse(again.stdout).changed, false);
    assert.equal(JSON.parse(again.stdout).multiTenant, true);
    const single = await runMain(['set-app', '--app-id', APP, '--no-multi-tenant'], { cwd: dir });
    assert.equal(single.code, 0, single.stderr);
    assert.match(await readFile(file, 'utf8'), /multiTenant: false/);
  });
});

test('--extra-redirect-uri (repeatable) and --remove-redirect-uri edit application.extraRedirectUris, normalised, idempotent', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, "{\n  version: 1,\n  // keep me\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n}\n");
    const add = await runMain(['set-app', '--app-id', APP, '--extra-redirect-uri', 'HTTPS://Portal2.ABC.com:4443/', '--extra-redirect-uri', 'https://203.0.113.10:4443', '--json'], { cwd: dir });
    assert.equal(add.code, 0, add.stderr);
    assert.deepEqual(JSON.parse(add.stdout).extraRedirectUris, { added: ['https://portal2.abc.com:4443', 'https://203.0.113.10:4443'], removed: [] });
    const text = await readFile(file, 'utf8');
    assert.match(text, /\/\/ keep me/);
    assert.match(text, /extraRedirectUris: \[\s*'https:\/\/portal2\.abc\.com:4443',\s*'https:\/\/203\.0\.113\.10:4443',?\s*\]/);
    const same = await runMain(['set-app', '--app-id', APP, '--extra-redirect-uri', 'https://portal2.abc.com:4443', '--json'], { cwd: dir });
    assert.equal(JSON.parse(same.stdout).changed, false, 'adding a listed URI changes nothing');
    const removed = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--remove-redirect-uri', 'https://PORTAL2.abc.com:4443', '--remove-redirect-uri', 'https://not-listed.abc.com', '--json'], { cwd: dir });
    assert.equal(removed.code, 0, removed.stderr);
    const doc = JSON.parse(removed.stdout);
    assert.deepEqual(doc.extraRedirectUris, { added: [], removed: ['https://portal2.abc.com:4443'] });
    assert.match(doc.warnings.join('\n'), /https:\/\/not-listed\.abc\.com is not in application\.extraRedirectUris/);
    assert.doesNotMatch(await readFile(file, 'utf8'), /portal2/);
    const before = await readFile(file, 'utf8');
    const bad = await runMain(['set-app', '--app-id', APP, '--extra-redirect-uri', 'http://evil.example.com/cb'], { cwd: dir });
    assert.equal(bad.code, 64, 'a bad value on the command line');
    assert.match(bad.stderr, /must use https \(http only on localhost\)/);
    assert.equal(await readFile(file, 'utf8'), before, 'a refused edit leaves the file as it was');
  });
});
