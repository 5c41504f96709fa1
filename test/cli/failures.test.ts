/**
 * Failure paths that used to hide their cause: each names what failed and how to get out, with the
 * exit code a script can act on, and leaves the user's files as they were. (/sys and /proc stand in
 * for a folder this user cannot write: the tests may run as root, for whom permissions are no limit.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { binPath, cliEnv, runMain, withTempDir } from '../helpers/cli.js';

const CONFIG = 'entra-portal.json5';

test('an unwritable HOME: the store is named, with --store and ENTRA_PORTAL_STORE as the way out (1); nothing else is written', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    assert.equal((await runMain(['new-app', '--name', 'Store Portal'], { cwd: dir })).code, 0);
    const before = await readFile(join(dir, CONFIG), 'utf8');
    const r = await runMain(['install-cert', '--generate', '--json'], { cwd: dir, env: { HOME: '/sys', XDG_DATA_HOME: '' } });
    assert.equal(r.code, 1, r.stderr);
    const error = JSON.parse(r.stdout).error;
    assert.equal(error.code, 'store-unusable');
    assert.match(error.message, /^cannot use the certificate store \/sys\/\.local\/share\/entra-portal\/store: .+ at \/sys\/\.local/);
    assert.match(error.remedy, /--store <dir>, or ENTRA_PORTAL_STORE=<dir>/);
    assert.equal(await readFile(join(dir, CONFIG), 'utf8'), before);
    assert.deepEqual(await readdir(dir), [CONFIG], 'no certs/ folder');
  });
});

test('a store under /proc (where mkdir never succeeds) fails at once, naming the folder, instead of looping in mkdir', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    assert.equal((await runMain(['new-app', '--name', 'Proc Portal'], { cwd: dir })).code, 0);
    const r = await runMain(['install-cert', '--generate', '--store', '/proc/entra-portal-test/store'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /cannot use the certificate store \/proc\/entra-portal-test\/store: cannot be created there \(ENOENT\) at \/proc\/entra-portal-test/);
  });
});

test('a config in a folder this user cannot write: the folder is named, and why it must be writable (1)', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '-c', '/sys/entra-portal-test.json5', '--json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const error = JSON.parse(r.stdout).error;
    assert.equal(error.code, 'folder-not-writable');
    assert.match(error.message, /cannot create the lock file \/sys\/entra-portal-test\.json5\.lock: permission denied \(EACCES\)/);
    assert.match(error.remedy, /a lock and a temporary file go beside it, so \/sys must be writable by this user/);
    const folder = await runMain(['new-app', '--name', 'X', '-c', '/proc/entra-portal-test/entra-portal.json5'], { cwd: dir });
    assert.equal(folder.code, 1, folder.stderr);
    assert.match(folder.stderr, /cannot create the config's folder \/proc\/entra-portal-test: cannot be created there \(ENOENT\)/);
    assert.match(folder.stderr, /hint: Choose a config file in a folder this user can write/);
  });
});

test('a pinned appId that Entra does not know is reported at once (no replication wait: this run created nothing)', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const set = await runMain(['set-app', '--app-id', '0f0f0f0f-1111-4222-8333-444444444444', '--region', 'Emulator'], { cwd: dir });
    assert.equal(set.code, 0, set.stderr);
    const r = await runMain(['apply', '--what-if', '--verbose', '--json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const error = JSON.parse(r.stdout).error;
    assert.equal(error.code, 'application-not-found');
    assert.match(error.remedy, /registered moments ago.*run again in a minute/);
    assert.doesNotMatch(r.stderr, /replicate|retrying/i, 'no wait, not even a short one (--verbose shows them)');
  });
});

test('region Emulator while a standalone emulator serves the same state: 75 at once, naming it and how to use it instead', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    assert.equal((await runMain(['new-app', '--name', 'Shared State', '--region', 'Emulator'], { cwd: dir })).code, 0);
    const child = spawn(process.execPath, [binPath, 'emulator', '--state', '.entra-portal/emulator-state.json', '--json'], { cwd: dir, env: cliEnv({ cwd: dir }), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', () => resolve());
        child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
      });
      const r = await runMain(['apply', '--what-if', '--json'], { cwd: dir });
      assert.equal(r.code, 75, r.stderr);
      const error = JSON.parse(r.stdout).error;
      assert.equal(error.code, 'emulator-state-locked');
      assert.equal(error.holder.pid, child.pid);
      assert.equal(error.holder.purpose, 'emulator');
      assert.match(error.message, /in use by a running entra-portal emulator .*served by process \d+ until it is stopped/);
      assert.match(error.remedy, /put the endpoints it printed in the config instead of region/);
      assert.doesNotMatch(r.stderr, /waiting for process/);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});

test('a store path that is a file (ENTRA_PORTAL_STORE=<the config>): "not a folder" with the way out, on every verb (get-cert said "holds no certificate", 0); the file keeps its mode and bytes', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    assert.equal((await runMain(['new-app', '--name', 'File Store Portal'], { cwd: dir })).code, 0);
    const path = join(dir, CONFIG);
    await chmod(path, 0o644);
    const before = await readFile(path);
    const env = { ENTRA_PORTAL_STORE: path };
    for (const argv of [['install-cert', '--generate'], ['install-cert', '--generate', '--what-if'], ['get-cert'], ['export-cert', '--out', 'x.pfx', '--thumbprint', 'A'.repeat(40), '--password-env', 'HOME']]) {
      const r = await runMain([...argv, '--json'], { cwd: dir, env });
      assert.equal(r.code, 1, `${argv.join(' ')}: ${r.stderr}`);
      const error = JSON.parse(r.stdout).error;
      assert.equal(error.code, 'store-unusable', argv.join(' '));
      assert.match(error.message, /^cannot use the certificate store .*entra-portal\.json5: not a folder/, argv.join(' '));
      assert.match(error.remedy, /--store <dir>, or ENTRA_PORTAL_STORE=<dir>/);
      assert.doesNotMatch(r.stderr, /chmod|mode/, `${argv.join(' ')}: no advice to chmod a file as a folder`);
      assert.equal((await stat(path)).mode & 0o777, 0o644, argv.join(' '));
      assert.deepEqual(await readFile(path), before, argv.join(' '));
    }
  });
});

test('export --out through a file or a dangling link: named, with the way out (they were Node\'s bare ENOTDIR / ENOENT, exit 1); nothing is written', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, CONFIG),
      "{\n  version: 1,\n  application: { name: 'Out Portal', uniqueName: 'out-portal', appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c' },\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n}\n",
    );
    assert.equal((await runMain(['install-cert', '--generate'], { cwd: dir })).code, 0);
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    const env = { PFX_PASSWORD: 'a good password' };
    const cases: [string[], number, RegExp][] = [
      [['export-vb365', '--out', CONFIG], 65, /entra-portal\.json5.*: not a folder \(ENOTDIR\)/],
      [['export-cert', '--out', `${CONFIG}/x.pfx`], 65, /entra-portal\.json5\/x\.pfx: not a folder \(ENOTDIR\)/],
      [['export-vb365', '--out', 'dangling'], 1, /cannot create the folder dangling: .*ENOENT/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await runMain([...argv, '--password-env', 'PFX_PASSWORD', '--json'], { cwd: dir, env });
      assert.equal(r.code, code, `${argv.join(' ')}: ${r.stderr}`);
      const error = JSON.parse(r.stdout).error;
      assert.match(error.message, message, argv.join(' '));
      assert.ok(error.remedy, `${argv.join(' ')}: a way out`);
    }
    assert.deepEqual((await readdir(dir)).sort(), ['.xdg', 'certs', 'dangling', CONFIG].sort());
  });
});

test('a file-system failure no verb foresaw (a file in the way of --state, --report) names the path, why, and the way out — not Node\'s bare "ENOTDIR: not a directory, mkdir …" (1)', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'notes.txt'), 'mine\n');
    const cases: string[][] = [
      ['emulator', '--state', 'notes.txt/state.json'],
      ['apply', '--what-if', '-c', 'a.json5', '-c', 'b.json5', '--report', 'notes.txt/report.html'],
    ];
    for (const argv of cases) {
      const r = await runMain(argv, { cwd: dir });
      assert.equal(r.code, 1, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /error: cannot \w+ .*notes\.txt.*: not a folder \(ENOTDIR\)/, argv.join(' '));
      assert.match(r.stderr, /hint: .*notes\.txt.* is a file/, argv.join(' '));
      assert.doesNotMatch(r.stderr, /^error: ENOTDIR/m);
      const json = await runMain([...argv, '--json'], { cwd: dir });
      const error = JSON.parse(json.stdout).error;
      assert.equal(error.code, 'file-system', argv.join(' '));
      assert.equal(error.exitCode, 1);
    }
    assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'mine\n');
  });
});
