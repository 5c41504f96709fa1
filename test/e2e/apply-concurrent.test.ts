/**
 * Two runs on the same Emulator-region config at once: the embedded emulator's state file admits one
 * run at a time (`<state>.lock`); the others wait for it, as edits wait for the config lock, instead of
 * failing with "in use by process N".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, withTempDir } from '../helpers/cli.js';

const CONFIG = `{
  version: 1,
  region: 'Emulator',
  tenant: 'contoso.onmicrosoft.com',
  application: { name: 'Concurrent Portal', uniqueName: 'concurrent-portal' },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },
}
`;

test('concurrent drift checks on one Emulator config all run (the later ones wait for the state lock)', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
    const first = await runCli(['apply'], { cwd: dir, timeoutMs: 120_000 });
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
