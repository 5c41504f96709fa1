/**
 * What only a real process shows, through bin/ (build first: `npx tsc -p tsconfig.json`): a reader
 * that goes away (`| head -1`) does not change the exit code; Ctrl-C stops apply with what was done
 * and exit 130, and a rerun finishes the job; SIGTERM stops the demo with 143 and its folder, which
 * holds a private key, is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { binPath as bin, cliEnv, runMain, withTempDir } from '../helpers/cli.js';


const env = (cwd: string, extra: NodeJS.ProcessEnv = {}) => cliEnv({ cwd, env: extra });

/** A config for the embedded emulator, with a certificate: apply has every step to do. */
async function emulatorConfig(dir: string): Promise<void> {
  for (const argv of [
    ['new-app', '--name', 'Signals Portal', '--region', 'Emulator'],
    ['set-portal-url', 'https://portal.abc.com:4443'],
    ['install-cert', '--generate'],
  ]) {
    const r = await runMain(argv, { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }
}

/** Start bin/ with these arguments; resolves once `ready` matches stderr, with the child and its exit. */
function start(argv: string[], dir: string, ready: RegExp, extra: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, ...argv], { cwd: dir, env: env(dir, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('exit', (code) => setImmediate(() => done({ code, stdout, stderr }))),
  );
  const seen = new Promise<RegExpMatchArray>((done, fail) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = ready.exec(stderr);
      if (m) done(m);
    });
    void exited.then((r) => fail(new Error(`exited ${r.code} before ${ready}: ${r.stderr}`)));
  });
  return { child, seen, exited };
}

test('a reader that goes away (| head -1) does not change the exit code: the drift check still exits 2', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await emulatorConfig(dir);
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" apply --what-if --detailed-exitcode --verbose 2>&1 | head -1 >/dev/null; exit \${PIPESTATUS[0]}`], {
        cwd: dir,
        env: env(dir),
        encoding: 'utf8',
      });
      assert.equal(r.status, 2, `run ${i + 1}: ${r.stderr}`);
    }
  });
});

test('Ctrl-C stops apply halfway: exit 130, what was done, and that a rerun finishes it; the rerun does', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await emulatorConfig(dir);
    // each Graph request takes a while, so the signal arrives between steps
    const { child, seen, exited } = start(['apply'], dir, /✔ \S+: (created|updated)/, { ENTRA_PORTAL_EMULATOR_FAULTS: 'latency=150' });
    await seen;
    child.kill('SIGINT');
    const r = await exited;
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /stopped: apply stopped \(SIGINT\); done so far: \S+ (created|updated)/);
    assert.match(r.stderr, /hint: Run "entra-portal apply" again: it reads what Entra holds now and finishes the rest/);
    const again = await runMain(['apply'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    const check = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir });
    assert.equal(check.code, 0, `in sync after the rerun: ${check.stderr}`);
  });
});

test('SIGTERM stops the demo: exit 143, and its temporary folder (it holds a private key) is gone', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    const { child, seen, exited } = start(['demo'], dir, /Folder: (\S+)[\s\S]*Step 3\./);
    const [, folder] = await seen;
    assert.ok(folder && existsSync(join(folder, 'store')), 'the store with the key exists while the demo runs');
    child.kill('SIGTERM');
    const r = await exited;
    assert.equal(r.code, 143, r.stderr);
    assert.equal(existsSync(folder!), false, `${folder} was removed`);
  });
});
