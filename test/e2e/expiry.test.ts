/**
 * A certificate that expires in 10 days, end to end through the CLI in-process (embedded emulator
 * for Entra, the emulator's VB365 REST stand-in for the portal): apply and its drift check warn and
 * list it in warnings[]; test-portal warns (exit 0) with notAfter/daysLeft for the application's and
 * the served certificate; --strict exits 2; --warn-days 5 lets it pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSON5 from 'json5';
import { runMain, withTempDir } from '../helpers/cli.js';
import { withRestoreApiStandIn } from '../helpers/emulator.js';

interface Check {
  id: string;
  status: string;
  message: string;
  details?: { notAfter?: string; daysLeft?: number };
}

test('a certificate expiring in 10 days: apply warns, test-portal warns (exit 0), --strict exits 2, --warn-days 5 passes', async () => {
  await withRestoreApiStandIn(async (standIn) => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'entra-portal.json5'), standIn.config('Expiring Portal', 'expiring-portal'));
      const run = (args: string[]) => runMain(args, { cwd: dir });
      assert.equal((await run(['install-cert', '--generate', '--validity-days', '10'])).code, 0);
      const applied = await run(['apply', '--json']);
      assert.equal(applied.code, 0, applied.stderr);
      assert.ok((JSON.parse(applied.stdout).warnings as string[]).some((w) => /expires in 9 days/.test(w)), applied.stdout);
      const drift = await run(['apply', '--what-if', '--detailed-exitcode']);
      assert.equal(drift.code, 0, 'expiry is health, not drift');
      assert.match(drift.stderr, /warning: certificate [0-9A-F]{40} expires in 9 days/);
      standIn.setAppId((JSON5.parse(await readFile(join(dir, 'entra-portal.json5'), 'utf8')) as { application: { appId: string } }).application.appId);

      const warned = await run(['test-portal', '--json']);
      assert.equal(warned.code, 0, `${warned.stdout}\n${warned.stderr}`);
      const checks = JSON.parse(warned.stdout).checks as Check[];
      const byId = (id: string) => checks.find((c) => c.id === id)!;
      assert.equal(byId('entra.certificate').status, 'warn');
      assert.match(byId('entra.certificate').message, /expires in 9 days/);
      assert.equal(byId('entra.certificate').details?.daysLeft, 9);
      assert.match(byId('entra.certificate').details?.notAfter ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.equal(byId('tls.expiry').status, 'pass');
      assert.equal(typeof byId('tls.expiry').details?.daysLeft, 'number');
      assert.match(byId('tls.expiry').details?.notAfter ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.ok(checks.every((c) => c.status !== 'fail'), JSON.stringify(checks.filter((c) => c.status === 'fail')));

      const strict = await run(['test-portal', '--strict', '--json']);
      assert.equal(strict.code, 2, strict.stderr);
      assert.equal(JSON.parse(strict.stdout).exitCode, 2);

      const relaxed = JSON.parse((await run(['test-portal', '--warn-days', '5', '--json'])).stdout).checks as Check[];
      assert.equal(relaxed.find((c) => c.id === 'entra.certificate')!.status, 'pass');
      // the served certificate is judged by the same window: a year ahead, it warns
      const ahead = JSON.parse((await run(['test-portal', '--warn-days', '3650', '--json'])).stdout).checks as Check[];
      assert.equal(ahead.find((c) => c.id === 'tls.expiry')!.status, 'warn');

      const bad = await run(['test-portal', '--warn-days', 'soon']);
      assert.equal(bad.code, 64, bad.stderr);
    });
  });
});
