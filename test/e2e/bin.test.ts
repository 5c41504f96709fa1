/**
 * Smoke tests of the executable itself (bin/ → dist/): the exit code main() returns is the process's
 * exit code, output is flushed before the process exits, and the start-up fast paths work. Every other
 * CLI-contract test calls main() in-process (test/helpers/cli.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_CONFIG } from '../fixtures/emulator-config.js';
import { runCli, runMain, withTempDir } from '../helpers/cli.js';

test('bin/: --version exits 0; a usage error exits 64 with its JSON document on stdout', async () => {
  await withTempDir(async (dir) => {
    const version = await runCli(['--version'], { cwd: dir });
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
    const usage = await runCli(['apply', '--no-such-option', '--json'], { cwd: dir });
    assert.equal(usage.code, 64, usage.stderr);
    assert.equal((JSON.parse(usage.stdout) as { error: { exitCode: number } }).error.exitCode, 64);
  });
});

test('bin/: drift found is exit 2 from the process, with the whole plan on stdout', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, EMULATOR_CONFIG);
    const applied = await runMain(['apply'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    await writeFile(file, (await readFile(file, 'utf8')).replace("uniqueName: 'veeam-restore-portal'", "uniqueName: 'veeam-restore-portal', extraRedirectUris: ['https://portal2.abc.com:4443']"));
    const drift = await runCli(['apply', '--what-if', '--detailed-exitcode', '--json'], { cwd: dir });
    assert.equal(drift.code, 2, drift.stderr);
    assert.equal((JSON.parse(drift.stdout) as { inSync: boolean }).inSync, false);
  });
});
