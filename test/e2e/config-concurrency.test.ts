import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import JSON5 from 'json5';
import { deadPid } from '../fixtures/dead-pid.js';
import { runCli, runMain, withTempDir } from '../helpers/cli.js';

const START = "// shared by several runs\n{\n  version: 1,\n  application: { name: 'Portal', uniqueName: 'portal' },\n}\n";
const guid = (i: number) => `${String(i).repeat(8)}-2222-3333-4444-555555555555`;

test('concurrent runs editing different keys serialise: every change lands, the file stays valid', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, START);
    const env = { ENTRA_PORTAL_LOCK_TIMEOUT_MS: '60000' };
    for (let round = 1; round <= 3; round++) {
      const runs = await Promise.all([
        runCli(['set-portal-url', `https://portal${round}.abc.com:4443`], { cwd: dir, env }),
        runCli(['set-app', '--app-id', guid(round), '--tenant', `t${round}.example.com`], { cwd: dir, env }),
        runCli(['new-app', '--name', 'Portal', '--multi-tenant', '--force'], { cwd: dir, env }),
      ]);
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      const text = await readFile(file, 'utf8');
      const value = JSON5.parse(text) as { portal: { url: string }; tenant: string; application: { appId?: string; multiTenant: boolean } };
      assert.ok(text.startsWith('// shared by several runs\n{\n  version: 1,\n'), text);
      assert.equal(value.portal.url, `https://portal${round}.abc.com:4443`);
      assert.equal(value.tenant, `t${round}.example.com`);
      assert.equal(value.application.multiTenant, true);
      // new-app --force and set-app race on appId: either order is a consistent outcome
      assert.ok(value.application.appId === undefined || value.application.appId === guid(round), text);
      assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5'], 'no lock or temporary file left');
    }
  });
});

test('a lock held by a live process: the run waits, then fails as temporary (75) naming the lock and its holder; the file is untouched', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, START);
    // this test process is alive: its pid holds the lock
    await writeFile(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString() }));
    const r = await runMain(['set-portal-url', 'https://a.example:4443', '--json'], { cwd: dir, env: { ENTRA_PORTAL_LOCK_TIMEOUT_MS: '300' } });
    assert.equal(r.code, 75);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.error.code, 'config-locked');
    assert.equal(doc.error.holder.pid, process.pid);
    assert.equal(doc.error.lockPath, `${file}.lock`);
    assert.match(doc.error.message, new RegExp(`locked by another entra-portal run \\(held by pid ${process.pid}`));
    assert.match(r.stderr, /entra-portal\.json5\.lock/);
    assert.equal(await readFile(file, 'utf8'), START);
  });
});

test('a stale lock left by a killed run is taken over', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, START);
    const dead = await deadPid();
    await writeFile(`${file}.lock`, JSON.stringify({ pid: dead, host: hostname(), time: '2026-01-01T00:00:00.000Z' }));
    const r = await runMain(['set-portal-url', 'https://a.example:4443'], { cwd: dir, env: { ENTRA_PORTAL_LOCK_TIMEOUT_MS: '300' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(file, 'utf8'), /url: 'https:\/\/a\.example:4443'/);
    assert.deepEqual(await readdir(dir), ['entra-portal.json5']);
  });
});
