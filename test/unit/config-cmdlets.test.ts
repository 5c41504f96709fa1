import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newApp, setApp, setPortalUrl, InputError, UsageError } from '../../src/index.js';
import { runMain, withTempDir } from '../helpers/cli.js';

function capture() {
  const lines: string[] = [];
  return { lines, sink: { write: (s: string) => lines.push(s) } };
}

test('the package exports the cmdlets; they return what --json prints', async () => {
  await withTempDir(async (root) => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await mkdir(a);
    await mkdir(b);
    const err = capture();
    const inProcess = await newApp({ name: 'Veeam Restore Portal', multiTenant: true, region: 'dod' }, { cwd: a, env: {}, stderr: err.sink });
    const cli = await runMain(['new-app', '--name', 'Veeam Restore Portal', '--multi-tenant', '--region', 'dod', '--json'], { cwd: b });
    assert.equal(cli.code, 0, cli.stderr);
    // the document is the --json envelope, then the result
    const { schemaVersion, toolVersion, exitCode, generatedAt, ...printed } = JSON.parse(cli.stdout);
    assert.deepEqual([schemaVersion, exitCode, typeof toolVersion, typeof generatedAt], [1, 0, 'string', 'string']);
    assert.deepEqual({ ...inProcess, config: 'x', diff: 'x' }, { ...printed, config: 'x', diff: 'x' });
    assert.equal(inProcess.region, 'USDefence');
    assert.equal(await readFile(join(a, 'entra-portal.json5'), 'utf8'), await readFile(join(b, 'entra-portal.json5'), 'utf8'));
  });
});

test('warnings go to ctx.log.warn (stderr) and into the result', async () => {
  await withTempDir(async (dir) => {
    const err = capture();
    const out = capture();
    const r = await setPortalUrl({ url: 'https://127.0.0.1:4443' }, { cwd: dir, env: {}, stderr: err.sink, stdout: out.sink });
    assert.equal(r.portal.hostKind, 'ipv4');
    assert.match(r.warnings[0] ?? '', /loopback/);
    assert.match(err.lines.join(''), /warning: 127\.0\.0\.1 is a loopback address/);
    assert.deepEqual(out.lines, [], 'nothing on stdout from a cmdlet');
  });
});

test('setApp / setPortalUrl: idempotent, what-if writes nothing, a bad argument is a UsageError (the caller\'s mistake), the pinned file an InputError', async () => {
  await withTempDir(async (dir) => {
    const ctx = { cwd: dir, env: {}, stderr: capture().sink };
    const first = await setApp({ appId: '{4C0C2A11-5D3B-4F6E-9A7B-0D1E2F3A4B5C}' }, ctx);
    assert.equal(first.appId, '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c');
    assert.equal(first.created, true);
    assert.equal((await setApp({ appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c' }, ctx)).changed, false);
    const before = await readFile(join(dir, 'entra-portal.json5'), 'utf8');
    const planned = await setPortalUrl({ url: 'https://portal.abc.com:4443', whatIf: true }, ctx);
    assert.equal(planned.changed, true);
    assert.match(planned.diff ?? '', /\+ {4}url: 'https:\/\/portal\.abc\.com:4443',/);
    assert.equal(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), before);
    await assert.rejects(setPortalUrl({ url: 'https://portal.abc.com:4443', restApiPort: 0 }, ctx), UsageError);
    await assert.rejects(setApp({ appId: 'x' }, ctx), (e: unknown) => e instanceof UsageError && e.exitCode === 64 && e.code === 'invalid-app-id');
    await assert.rejects(newApp({ name: 'Other' }, ctx), (e: unknown) => e instanceof InputError && e.code === 'app-pinned');
    assert.equal(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), before);
  });
});

test('value checks: slug, GUID, tenant, unique name', async () => {
  const { slugify, normalizeAppId, normalizeTenant, checkUniqueName } = await import('../../src/config/values.js');
  assert.equal(slugify('Veeam Restore Portal'), 'veeam-restore-portal');
  assert.equal(slugify('  Café Portal — EU (2) '), 'cafe-portal-eu-2');
  assert.equal(slugify('!!!'), '');
  assert.equal(slugify('x'.repeat(200)).length, 120);
  assert.equal(normalizeAppId('{4C0C2A11-5D3B-4F6E-9A7B-0D1E2F3A4B5C}'), '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c');
  assert.throws(() => normalizeAppId('4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5'), InputError);
  assert.equal(normalizeTenant('Contoso.OnMicrosoft.com'), 'contoso.onmicrosoft.com');
  assert.equal(normalizeTenant('72F988BF-86F1-41AF-91AB-2D7CD011DB47'), '72f988bf-86f1-41af-91ab-2d7cd011db47');
  for (const bad of ['contoso', 'con_toso.com', '-a.com', 'a..com', '']) assert.throws(() => normalizeTenant(bad), InputError, bad);
  assert.equal(checkUniqueName('portal.eu_1'), 'portal.eu_1');
  assert.throws(() => checkUniqueName('has space'), InputError);
});
