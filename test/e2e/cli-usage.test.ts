import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, withTempDir } from '../helpers/cli.js';

test('no verb is a usage error (64), never the drift code', async () => {
  await withTempDir(async (dir) => {
    const r = await runCli([], { cwd: dir });
    assert.equal(r.code, 64);
    assert.match(r.stderr, /Name a verb/);
  });
});

test('unknown verb and unknown option exit 64', async () => {
  await withTempDir(async (dir) => {
    const verb = await runCli(['aply'], { cwd: dir });
    assert.equal(verb.code, 64);
    assert.match(verb.stderr, /Did you mean apply|Unknown argument/);
    const opt = await runCli(['apply', '--bogus'], { cwd: dir });
    assert.equal(opt.code, 64);
    assert.match(opt.stderr, /Unknown argument/i);
  });
});

test('--json usage error prints one JSON document on stdout', async () => {
  await withTempDir(async (dir) => {
    const r = await runCli(['frobnicate', '--json'], { cwd: dir });
    assert.equal(r.code, 64);
    const doc = JSON.parse(r.stdout) as { error: { code: string; exitCode: number } };
    assert.equal(doc.error.code, 'usage');
    assert.equal(doc.error.exitCode, 64);
  });
});

test('--help lists every verb and exits 0; --version prints the version', async () => {
  await withTempDir(async (dir) => {
    const help = await runCli(['--help'], { cwd: dir });
    assert.equal(help.code, 0);
    for (const verb of ['new-app', 'set-app', 'install-cert', 'set-portal-url', 'apply', 'test-portal', 'emulator', 'demo']) {
      assert.match(help.stdout, new RegExp(`entra-portal ${verb}`));
    }
    const version = await runCli(['--version'], { cwd: dir });
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});
