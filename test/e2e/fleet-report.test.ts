/**
 * `--report` as a fleet operator uses it from cron: asked for with one config it is refused (64)
 * rather than silently not written; its folder is made before the run; a folder or link at its
 * path is refused (65) before anything runs, so a bad path never costs an apply's results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';

const config = (name: string) =>
  `{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Report ${name}', uniqueName: 'report-${name}', multiTenant: false }, portal: { url: 'https://${name}.abc.com:4443', restApiPort: 4443 } }\n`;

test('--report with a single config is a usage error (64), not silently skipped; nothing runs', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'one.json5'), config('one'));
    const opts = { cwd: dir };
    for (const verb of ['apply', 'test-portal']) {
      const r = await runMain([verb, '-c', 'one.json5', '--report', 'r.html'], opts);
      assert.equal(r.code, 64, `${verb}: ${r.stderr}`);
      assert.match(r.stderr, /--report/);
      assert.match(r.stderr, /-c/);
      await assert.rejects(stat(join(dir, 'r.html')));
    }
    // nothing ran: apply recorded no appId
    assert.doesNotMatch(await readFile(join(dir, 'one.json5'), 'utf8'), /appId/);
  });
});

test('--report: missing folders are made; a folder at the path is refused (65) before any config runs', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'servers'));
    for (const n of ['a', 'b']) await writeFile(join(dir, 'servers', `${n}.json5`), config(n));
    const opts = { cwd: dir };

    await mkdir(join(dir, 'taken.html'));
    const refused = await runMain(['apply', '-c', 'servers/*.json5', '--report', 'taken.html'], opts);
    assert.equal(refused.code, 65, refused.stderr);
    assert.match(refused.stderr, /taken\.html/);
    assert.doesNotMatch(refused.stderr, /\.tmp/);
    assert.doesNotMatch(await readFile(join(dir, 'servers', 'a.json5'), 'utf8'), /appId/, 'nothing was applied');

    const ok = await runMain(['apply', '-c', 'servers/*.json5', '--report', 'reports/nightly/drift.html'], opts);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /2 configs: 0 in sync, 2 applied/);
    assert.match(await readFile(join(dir, 'reports', 'nightly', 'drift.html'), 'utf8'), /^<!DOCTYPE html>/);
  });
});
