/**
 * test-portal over a fleet from cron with --strict --warn-days: a config whose only problem is a
 * certificate expiring soon exits 2, and its findings (table, JSON) say why — not an empty reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSON5 from 'json5';
import { runMain, withTempDir } from '../helpers/cli.js';
import { withRestoreApiStandIn } from '../helpers/emulator.js';

test('test-portal --strict over a fleet: a warning-only config exits 2 and its findings name the warning', async () => {
  await withRestoreApiStandIn(async (standIn) => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'expiring.json5'), standIn.config('Fleet Expiring', 'fleet-expiring'));
      const run = (args: string[]) => runMain(args, { cwd: dir });
      assert.equal((await run(['install-cert', '-c', 'expiring.json5', '--generate', '--validity-days', '10'])).code, 0);
      assert.equal((await run(['apply', '-c', 'expiring.json5'])).code, 0);
      standIn.setAppId((JSON5.parse(await readFile(join(dir, 'expiring.json5'), 'utf8')) as { application: { appId: string } }).application.appId);

      // a pattern that matches one file is a fleet of one
      const relaxed = await run(['test-portal', '-c', '*.json5', '--json']);
      assert.equal(relaxed.code, 0, relaxed.stdout);
      assert.equal(JSON.parse(relaxed.stdout).results[0].status, 'ok');

      const strict = await run(['test-portal', '-c', '*.json5', '--strict', '--json']);
      assert.equal(strict.code, 2, strict.stderr);
      const entry = JSON.parse(strict.stdout).results[0];
      assert.equal(entry.status, 'drift');
      assert.ok(entry.findings.some((f: string) => /^entra\.certificate: .*expires in 9 days/.test(f)), JSON.stringify(entry.findings));

      const table = await run(['test-portal', '-c', '*.json5', '--strict']);
      assert.equal(table.code, 2);
      assert.match(table.stdout, /expiring\.json5 .*checks failed\s+[a-z.-]+: \S/, "the reason is in the row");
    });
  });
});
