/**
 * install-cert --pfx end to end: the built CLI as a process, PFX fixtures made by openssl. The
 * password arrives by environment variable or stdin and never appears in any output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { repoRoot, runMain, withTempDir } from '../helpers/cli.js';
import { makeFixtures, openssl, opensslFingerprint, type Fixtures } from '../helpers/pfx.js';

const CONFIG = "{\n  // test config\n  version: 1,\n  application: { name: 'PFX Portal' },\n}\n";
let fx: Fixtures;
let fxDir: string;
before(async () => {
  fxDir = await mkdtemp(join(tmpdir(), 'entra-portal-pfx-e2e-'));
  fx = await makeFixtures(fxDir);
});
after(async () => rm(fxDir, { recursive: true, force: true }));

async function setup(dir: string): Promise<string> {
  const path = join(dir, 'entra-portal.json5');
  await writeFile(path, CONFIG);
  return path;
}

function noSecret(r: { stdout: string; stderr: string }): void {
  assert.ok(!r.stdout.includes(fx.password) && !r.stderr.includes(fx.password), 'the password never appears in output');
}

test('--pfx with --password-env: OpenSSL 3 default and -legacy files; re-importing the same file changes nothing', async () => {
  const want = await opensslFingerprint(fx.certPem, 'sha1', fxDir);
  for (const file of [fx.modern, fx.legacy]) {
    await withTempDir(async (dir) => {
      const cfg = await setup(dir);
      const env = { PFX_PASSWORD: fx.password };
      const r = await runMain(['install-cert', '--pfx', file, '--password-env', 'PFX_PASSWORD', '--json'], { cwd: dir, env });
      assert.equal(r.code, 0, r.stderr);
      noSecret(r);
      const out = JSON.parse(r.stdout);
      assert.equal(out.certificate.thumbprint, want);
      assert.equal(out.certificate.source, 'pfx');
      assert.equal(out.certificate.subject, 'CN=Fixture Portal, O=Entra Portal Tests');
      assert.equal(out.certificate.file, `certs/${want}.cer`);
      const text = await readFile(cfg, 'utf8');
      assert.ok(!text.includes(fx.password));
      // the store's PFX opens with the store key, not with the import password
      const store = out.certificate.store as string;
      await openssl(['pkcs12', '-in', join(store, `${want}.pfx`), '-passin', `file:${join(store, '.store-key')}`, '-nokeys'], dir);
      const again = await runMain(['install-cert', '--pfx', file, '--password-env', 'PFX_PASSWORD', '--json'], { cwd: dir, env });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).changed, false);
      assert.equal(await readFile(cfg, 'utf8'), text);
    });
  }
});

test('--pfx with --password-stdin (one trailing newline dropped); a chain selects its leaf', async () => {
  await withTempDir(async (dir) => {
    await setup(dir);
    const r = await runMain(['install-cert', '--pfx', fx.chain, '--password-stdin', '--json'], { cwd: dir, input: `${fx.password}\n` });
    assert.equal(r.code, 0, r.stderr);
    noSecret(r);
    const out = JSON.parse(r.stdout);
    assert.equal(out.certificate.thumbprint, await opensslFingerprint(fx.chainLeafPem, 'sha1', fxDir));
    assert.equal(out.certificate.issuer, 'CN=Fixture Intermediate CA, O=Entra Portal Tests');
  });
});

test('--pfx without a password source: an empty-password PFX just works; a protected one says how to pass it (no prompt without a TTY)', async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const ok = await runMain(['install-cert', '--pfx', fx.empty, '--json'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const text = await readFile(cfg, 'utf8');
    const r = await runMain(['install-cert', '--pfx', fx.modern], { cwd: dir, timeoutMs: 30_000 });
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /password-protected and there is no terminal/);
    assert.match(r.stderr, /--password-env <VAR>.*--password-stdin/);
    assert.equal(await readFile(cfg, 'utf8'), text);
  });
});

test('--password-env naming an unset variable: exit 64 naming the variable', async () => {
  await withTempDir(async (dir) => {
    await setup(dir);
    const r = await runMain(['install-cert', '--pfx', fx.modern, '--password-env', 'NOT_SET_ANYWHERE'], { cwd: dir });
    assert.equal(r.code, 64);
    assert.match(r.stderr, /the environment variable NOT_SET_ANYWHERE is not set/);
  });
});

test('rejections exit 65 with a precise message; the config, the folder and the store stay untouched', async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const env = { PFX_PASSWORD: fx.password };
    const cases: [string, string, RegExp, Record<string, string>?][] = [
      [fx.modern, 'pfx-wrong-password', /wrong password \(PKCS#12 MAC could not be verified\)/, { PFX_PASSWORD: 'not it' }],
      [fx.nokey, 'pfx-no-key', /holds no private key/],
      [fx.ec, 'pfx-not-rsa', /private key is EC \(prime256v1\), not RSA/],
      [fx.weak, 'pfx-weak-key', /1024 bits/],
      [fx.truncated, 'pfx-corrupt', /truncated/],
      [fx.certPem, 'not-pfx', /PEM file \(CERTIFICATE\), not a PFX/],
      [fx.certDer, 'not-pfx', /DER certificate \(\.cer\), not a PFX/],
      [fx.expired, 'cert-expired', /the certificate expired on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(valid from \d{4}-/],
      [fx.notYetValid, 'cert-not-yet-valid', /not valid yet: valid from \d{4}-\d\d-\d\dT.* to \d{4}-/],
      [join(dir, 'nope.pfx'), 'pfx-unreadable', /PFX file not found/],
    ];
    for (const [file, code, message, e] of cases) {
      const r = await runMain(['install-cert', '--pfx', file, '--password-env', 'PFX_PASSWORD', '--json'], { cwd: dir, env: e ?? env });
      assert.equal(r.code, 65, `${file}: ${r.stderr}`);
      noSecret(r);
      const err = JSON.parse(r.stdout).error;
      assert.equal(err.code, code, file);
      assert.equal(err.exitCode, 65);
      assert.match(r.stderr, message, file);
    }
    const pem = await runMain(['install-cert', '--pfx', fx.certPem], { cwd: dir });
    assert.match(pem.stderr, /hint: .*openssl pkcs12 -export -in cert\.pem -inkey key\.pem -out cert\.pfx/);
    assert.equal(await readFile(cfg, 'utf8'), CONFIG);
    assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5']);
  });
});

test('a certificate expiring within 30 days is imported with a warning', async () => {
  await withTempDir(async (dir) => {
    await setup(dir);
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '10', '-subj', '/CN=Soon'], dir);
    await openssl(['pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k.pem', '-out', 'soon.pfx', '-passout', 'pass:'], dir);
    const r = await runMain(['install-cert', '--pfx', 'soon.pfx', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0], /expires in (9|10) days/);
    assert.match(r.stderr, /warning: certificate [0-9A-F]{40} expires in/);
  });
});

test('ENTRA_PORTAL_STORE_PASSWORD: the store is password-protected, and refuses to open without it', async () => {
  await withTempDir(async (dir) => {
    await setup(dir);
    const env = { PFX_PASSWORD: fx.password, ENTRA_PORTAL_STORE_PASSWORD: 'store secret', ENTRA_PORTAL_STORE: 'pw-store' };
    const r = await runMain(['install-cert', '--pfx', fx.modern, '--password-env', 'PFX_PASSWORD', '--json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const t = JSON.parse(r.stdout).certificate.thumbprint as string;
    assert.equal(JSON.parse(await readFile(join(dir, 'pw-store', 'store.json'), 'utf8')).protection, 'password');
    const sel = await runMain(['install-cert', '--thumbprint', t], { cwd: dir, env: { ENTRA_PORTAL_STORE: 'pw-store' } });
    assert.equal(sel.code, 65);
    assert.match(sel.stderr, /protected by a password: set \$ENTRA_PORTAL_STORE_PASSWORD/);
    const ok = await runMain(['install-cert', '--thumbprint', t], { cwd: dir, env: { ENTRA_PORTAL_STORE: 'pw-store', ENTRA_PORTAL_STORE_PASSWORD: 'store secret' } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(!ok.stdout.includes('store secret') && !ok.stderr.includes('store secret'));
  });
});

/** Run the CLI under a pseudo-terminal (util-linux `script`), answering the password prompt. */
function runOnTty(args: string[], cwd: string, answers: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const cmd = [process.execPath, join(repoRoot, 'bin', 'entra-portal.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, XDG_DATA_HOME: join(cwd, '.xdg'), NO_COLOR: '1', TERM: 'dumb' },
    });
    let out = '';
    let prompts = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const seen = out.split('? Password for').length - 1;
      while (prompts < seen && prompts < answers.length) {
        const answer = answers[prompts++]!;
        setTimeout(() => child.stdin.write(`${answer}\r`), 150);
      }
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}

const hasScript = spawnSync('script', ['--version']).status === 0;

test('on a terminal, a masked prompt asks for the password, and again after a wrong one', { skip: !hasScript && 'util-linux script(1) not installed' }, async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const r = await runOnTty(['install-cert', '--pfx', fx.modern], dir, ['wrong one', fx.password]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\? Password for .*modern\.pfx:/);
    assert.match(r.out, /warning: wrong password, try again/);
    assert.ok(!r.out.includes(fx.password) && !r.out.includes('wrong one'), 'typed characters are masked');
    assert.match(r.out, /Selected certificate [0-9A-F]{40} \(CN=Fixture Portal/);
    assert.match(await readFile(cfg, 'utf8'), /thumbprint: '[0-9A-F]{40}'/);
  });
});

test('--password-stdin with stdin on a terminal asks at the masked prompt (it waited silently, then echoed what was typed)', { skip: !hasScript && 'util-linux script(1) not installed' }, async () => {
  await withTempDir(async (dir) => {
    await setup(dir);
    const r = await runOnTty(['install-cert', '--pfx', fx.modern, '--password-stdin'], dir, [fx.password]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /stdin is a terminal, so the password is asked for at a hidden prompt/);
    assert.match(r.out, /\? Password for .*modern\.pfx:/);
    assert.ok(!r.out.includes(fx.password), 'typed characters are masked');
    assert.match(r.out, /Selected certificate [0-9A-F]{40}/);
  });
});
