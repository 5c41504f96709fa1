/**
 * Two runs on the same Emulator-region config at once: the embedded emulator's state file admits one
 * run at a time (`<state>.lock`); the others wait for it, as edits wait for the config lock, instead of
 * failing with "in use by process N".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_CONFIG } from '../fixtures/emulator-config.js';
import { runCli, runMain, withTempDir } from '../helpers/cli.js';


test('concurrent drift checks on one Emulator config all run (the later ones wait for the state lock)', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), EMULATOR_CONFIG);
    const first = await runMain(['apply'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const runs = await Promise.all(
      [1, 2, 3].map(() => runCli(['apply', '--what-if', '--detailed-exitcode', '--json'], { cwd: dir, timeoutMs: 120_000 })),
    );
    for (const r of runs) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { inSync: boolean }).inSync, true);
    }
  });
});
