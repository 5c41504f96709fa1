/**
 * Files nobody checked: a read-only run (--what-if, test-portal) writes nothing at all, a link the
 * tool would write through is refused and its target left alone, and a killed run's temporaries are
 * removed by the next run that takes the lock. Through the CLI, in-process, against the embedded
 * emulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshot } from '../fixtures/snapshot.js';
import { runMain as run, withTempDir } from '../helpers/cli.js';

const runMain = (args: string[], cwd: string) => run(args, { cwd });
import { deadPid } from '../fixtures/dead-pid.js';
import { EMULATOR_CONFIG } from '../fixtures/emulator-config.js';

const CONFIG = EMULATOR_CONFIG;


/** A config folder after one real apply (state, CA file and appId exist). */
async function applied(dir: string): Promise<void> {
  await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
  const r = await runMain(['apply'], dir);
  assert.equal(r.code, 0, r.stderr);
}

test('read-only runs write nothing: apply --what-if, --what-if --apply of the edit verbs and install-cert, test-portal', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await applied(dir);
    // the old `--what-if --apply` copy had a predictable name (and no O_EXCL): a link there was written through
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious\n');
    await symlink(victim, join(dir, `.entra-portal.json5.what-if-${process.pid}.json5`));
    const before = await snapshot(dir);
    for (const args of [
      ['apply', '--what-if'],
      ['set-portal-url', 'https://portal.example.com:4443', '--rest-api-port', '4443', '--what-if', '--apply'],
      ['new-app', '--name', 'Other Portal', '--force', '--what-if', '--apply'],
      ['install-cert', '--generate', '--what-if', '--apply'],
      ['test-portal', '--timeout', '1'],
    ]) {
      const r = await runMain(args, dir);
      assert.ok([0, 2].includes(r.code), `${args.join(' ')}: ${r.code} ${r.stderr}`);
      assert.deepEqual(await snapshot(dir), before, `${args.join(' ')} changed the folder`);
    }
  });
});

test('a symlinked emulator-state-ca.pem is refused (65, named), its target untouched, even by --what-if', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    await applied(dir);
    const ca = join(dir, '.entra-portal', 'emulator-state-ca.pem');
    const victim = join(dir, 'victim.pem');
    await writeFile(victim, 'not a CA\n');
    await unlink(ca);
    await symlink(victim, ca);
    const r = await runMain(['apply', '--what-if'], dir);
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /emulator-state-ca\.pem is a symbolic link/);
    assert.equal(await readFile(victim, 'utf8'), 'not a CA\n');
  });
});

test('a symlinked store/.store-key is refused (65, named): its target is neither chmodded nor used', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
    const store = join(dir, 'store');
    await mkdir(store, { mode: 0o700 });
    await writeFile(join(store, 'store.json'), JSON.stringify({ version: 1, protection: 'store-key' }), { mode: 0o600 });
    const victim = join(dir, 'shared.txt');
    await writeFile(victim, 'everyone may read this\n');
    await chmod(victim, 0o644);
    await symlink(victim, join(store, '.store-key'));
    const r = await runMain(['install-cert', '--generate', '--store', store], dir);
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /\.store-key is a symbolic link/);
    assert.equal((await stat(victim)).mode & 0o777, 0o644);
    assert.deepEqual((await readdir(store)).sort(), ['.store-key', 'store.json'], 'no key was stored with it');
  });
});

test("a killed run's temporaries (config, emulator state with private keys) are removed when the next run takes the lock", { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    await applied(dir);
    const dead = await deadPid();
    const leftovers = [join(dir, `.entra-portal.json5.${dead}.1a2b3c4d.tmp`), join(dir, '.entra-portal', `.emulator-state.json.${dead}.1a2b3c4d.tmp`)];
    for (const f of leftovers) await writeFile(f, '{"signing":{"keyPem":"-----BEGIN PRIVATE KEY-----…"}}', { mode: 0o600 });
    const r = await runMain(['set-portal-url', 'https://portal.example.com:4443', '--rest-api-port', '4443', '--apply'], dir);
    assert.equal(r.code, 0, r.stderr);
    for (const f of leftovers) await assert.rejects(stat(f), { code: 'ENOENT' }, f);
  });
});
