/**
 * installCert as a library function (the module API): the result object, the order of effects and
 * the rollback of the .cer when the config edit fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { withTempDir } from '../helpers/cli.js';
import { installCert } from '../../src/index.js';
import { LockedError } from '../../src/errors.js';

const CONFIG = "{\n  version: 1,\n  application: { name: 'Lib Portal' },\n}\n";
const sink = { write: () => true };
const ctxFor = (dir: string, env: NodeJS.ProcessEnv = {}) => ({ cwd: dir, env: { HOME: dir, XDG_DATA_HOME: join(dir, '.xdg'), ...env }, stdout: sink, stderr: sink });

test('installCert() returns the object --json prints; dates as ISO strings; the store under XDG_DATA_HOME', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
    const r = await installCert({ generate: true, validityDays: 100 }, ctxFor(dir));
    assert.equal(r.verb, 'install-cert');
    assert.equal(r.certificate.subject, 'CN=Lib Portal');
    assert.equal(r.certificate.store, join(dir, '.xdg', 'entra-portal', 'store'));
    assert.equal(typeof r.certificate.notAfter, 'string');
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'JSON round trip is lossless: what --json prints is what the function returns');
    assert.ok(existsSync(join(dir, r.certificate.file)));
  });
});

test('a .cer deleted by hand is written again on the next selection; the config is unchanged', async () => {
  await withTempDir(async (dir) => {
    const cfg = join(dir, 'entra-portal.json5');
    await writeFile(cfg, CONFIG);
    const first = await installCert({ generate: true }, ctxFor(dir));
    const text = await readFile(cfg, 'utf8');
    await rm(join(dir, first.certificate.file));
    const again = await installCert({ thumbprint: first.certificate.thumbprint }, ctxFor(dir));
    assert.equal(again.changed, true);
    assert.deepEqual(again.changes, []);
    assert.ok(existsSync(join(dir, first.certificate.file)));
    assert.equal(await readFile(cfg, 'utf8'), text);
    const third = await installCert({ thumbprint: first.certificate.thumbprint }, ctxFor(dir));
    assert.equal(third.changed, false);
  });
});

test('when the config edit fails (locked by another run), the .cer this run wrote is removed and the file is untouched', async () => {
  await withTempDir(async (dir) => {
    const cfg = join(dir, 'entra-portal.json5');
    await writeFile(cfg, CONFIG);
    await writeFile(`${cfg}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString() }));
    await assert.rejects(installCert({ generate: true }, ctxFor(dir, { ENTRA_PORTAL_LOCK_TIMEOUT_MS: '0' })), LockedError);
    assert.equal(await readFile(cfg, 'utf8'), CONFIG);
    assert.equal(existsSync(join(dir, 'certs')), false, 'the certs folder this run made is gone too');
    // the store entry stays (harmless; a retry reuses it)
    const store = join(dir, '.xdg', 'entra-portal', 'store');
    assert.equal((await readdir(store)).filter((n) => n.endsWith('.pfx')).length, 1);
  });
});
