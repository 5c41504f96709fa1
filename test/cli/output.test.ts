/**
 * The result that cannot be written: stdout on a full disk (`> drift.json` where no space is left)
 * loses the document, so the run must not report the verb's success (0) or drift (2) — a cron job
 * would act on a file that is empty. A closed pipe (`| head -1`) is different: the reader chose to
 * stop, and the exit code stays the run's (test/cli/process.test.ts). Through bin/: build first.
 * /dev/full answers every write with ENOSPC (Linux, where the suite runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { binPath as bin, cliEnv, withTempDir } from '../helpers/cli.js';

test('stdout on a full disk (ENOSPC): exit 1 and the reason on stderr, not the verb\'s 0', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const argv of [['version'], ['help'], ['get-cert', '--json'], ['consent-url', '--tenant', 'x.example', '--json']]) {
        const r = spawnSync(process.execPath, [bin, ...argv], { cwd: dir, env: cliEnv({ cwd: dir }), stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        assert.equal(r.status === 0 || r.status === 2, false, `${argv.join(' ')}: exit ${r.status}, as if the result had been written`);
        if (argv[0] !== 'consent-url') assert.equal(r.status, 1, `${argv.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /could not write the result to stdout: .*ENOSPC/, argv.join(' '));
      }
    } finally {
      closeSync(full);
    }
  });
});
