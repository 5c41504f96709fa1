/**
 * export-cert through the CLI in-process: the PFX opens with openssl and the chosen password, holds
 * the configured certificate (same SHA-1) and its key, is 0600, AES-256 + SHA-256 MAC by default and
 * 3DES + SHA-1 MAC with --legacy; an existing file is refused untouched (65) without --force; the
 * password is never on the command line and appears in no stream and no file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSON5 from 'json5';
import { runMain, type CliResult } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';
import { assertNoSecret } from '../helpers/secrets.js';

const run = promisify(execFile);
const PASSWORD = 'Expört pässwörd 7!';
let dir: string;
let thumbprint: string;
const outputs: Record<string, string> = {};

async function cli(name: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  const r = await runMain(args, { cwd: dir, ...options });
  outputs[`${name} stdout`] = r.stdout;
  outputs[`${name} stderr`] = r.stderr;
  return r;
}

/** openssl with the password in its environment (never its argv). */
async function openssl(args: string[]): Promise<string> {
  const { stdout, stderr } = await run('openssl', args, { cwd: dir, env: { ...process.env, PW: PASSWORD } });
  return stdout + stderr;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-portal-export-'));
  await writeFile(join(dir, 'entra-portal.json5'), "{\n  version: 1,\n  application: { name: 'Export Portal' },\n}\n");
  const r = await cli('install-cert', ['install-cert', '--generate']);
  assert.equal(r.code, 0, r.stderr);
  thumbprint = (JSON5.parse(await readFile(join(dir, 'entra-portal.json5'), 'utf8')) as { certificate: { thumbprint: string } }).certificate.thumbprint;
});

after(async () => {
  // every stream of every run, and every file (config, store, exports), free of the password
  await assertNoSecret(PASSWORD, outputs, [dir]);
  await rm(dir, { recursive: true, force: true });
});

const env = { PFX_PASSWORD: PASSWORD };

test('default: AES-256/PBES2 with a SHA-256 MAC, 0600, the configured certificate and its key; --json shape', async () => {
  const r = await cli('export', ['export-cert', '--out', 'out/portal.pfx', '--password-env', 'PFX_PASSWORD', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assertMatchesSchema('envelope.schema.json', doc);
  assertMatchesSchema('export-cert.schema.json', doc);
  assert.equal(doc.verb, 'export-cert');
  const file = join(dir, 'out', 'portal.pfx');
  assert.deepEqual(
    { ...doc.pfx, notBefore: undefined, notAfter: undefined },
    { path: file, thumbprint, subject: 'CN=Export Portal', notBefore: undefined, notAfter: undefined, profile: 'aes256', keyEncryption: 'PBES2 (PBKDF2 HMAC-SHA256, AES-256-CBC)', mac: 'SHA-256', replaced: false },
  );
  assert.equal((await stat(file)).mode & 0o777, 0o600);

  const info = await openssl(['pkcs12', '-in', file, '-info', '-noout', '-passin', 'env:PW']);
  assert.match(info, /MAC: sha256, Iteration 2048/);
  assert.match(info, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
  // the certificate's SHA-1 is the config's thumbprint, and the key is there
  const cert = await openssl(['pkcs12', '-in', file, '-nokeys', '-passin', 'env:PW']);
  await writeFile(join(dir, 'out', 'cert.pem'), cert);
  const fp = await openssl(['x509', '-in', join(dir, 'out', 'cert.pem'), '-noout', '-fingerprint', '-sha1']);
  assert.equal(fp.trim().split('=')[1]!.replace(/:/g, ''), thumbprint);
  const key = await openssl(['pkcs12', '-in', file, '-nocerts', '-nodes', '-passin', 'env:PW']);
  assert.match(key, /BEGIN PRIVATE KEY/);
  await rm(join(dir, 'out', 'cert.pem'));
  // a wrong password does not open it
  await assert.rejects(run('openssl', ['pkcs12', '-in', file, '-info', '-noout', '-passin', 'pass:wrong'], { cwd: dir }));
});

test('an existing file is refused (65) and left byte for byte; --force replaces it, still 0600', async () => {
  const file = join(dir, 'out', 'portal.pfx');
  const before = await readFile(file);
  const refused = await cli('refused', ['export-cert', '--out', 'out/portal.pfx', '--password-env', 'PFX_PASSWORD'], { env });
  assert.equal(refused.code, 65, refused.stderr);
  assert.match(refused.stderr, /out\/portal\.pfx already exists; it was left as it is/);
  assert.match(refused.stderr, /--force/);
  assert.ok((await readFile(file)).equals(before));

  const forced = await cli('forced', ['export-cert', '--out', 'out/portal.pfx', '--password-env', 'PFX_PASSWORD', '--force', '--json'], { env });
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(JSON.parse(forced.stdout).pfx.replaced, true);
  assert.ok(!(await readFile(file)).equals(before), 'new salts: new bytes');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  await openssl(['pkcs12', '-in', file, '-info', '-noout', '-passin', 'env:PW']);
});

test('--legacy: pbeWithSHA1And3-KeyTripleDES-CBC and a SHA-1 MAC (Windows Server 2016); --password-stdin', async () => {
  const r = await cli('legacy', ['export-cert', '--out', 'legacy.pfx', '--legacy', '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pbeWithSHA1And3-KeyTripleDES-CBC, SHA-1 MAC \(--legacy: for Windows Server 2016\)/);
  const file = join(dir, 'legacy.pfx');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const info = await openssl(['pkcs12', '-in', file, '-info', '-noout', '-legacy', '-passin', 'env:PW']);
  assert.match(info, /MAC: sha1, Iteration 2048/);
  assert.match(info, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
  assert.doesNotMatch(info, /AES/);
});

test('usage errors (64): no password source without a terminal, an empty password, two sources, --out twice, no --out, a password in argv', async () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--out', 'a.pfx'], {}, /needs a password and there is no terminal/],
    [['--out', 'a.pfx', '--password-env', 'EMPTY'], { EMPTY: '' }, /empty password protects nothing/],
    [['--out', 'a.pfx', '--password-env', 'UNSET'], {}, /UNSET is not set/],
    [['--out', 'a.pfx', '--password-env', 'PFX_PASSWORD', '--password-stdin'], env, /conflicting options/],
    [['--out', 'a.pfx', '--out', 'b.pfx', '--password-env', 'PFX_PASSWORD'], env, /--out was given 2 times/],
    [['--password-env', 'PFX_PASSWORD'], env, /--out/],
    // a password on the command line is refused without being echoed (the after hook greps every stream)
    [['--out', 'a.pfx', `--password=${PASSWORD}`], env, /a password is never taken on the command line/],
    [['--out', 'a.pfx', '--password', PASSWORD], env, /a password is never taken on the command line/],
  ];
  for (const [args, e, message] of cases) {
    const r = await cli(`usage ${args.join(' ')}`, ['export-cert', ...args], { env: e });
    assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  await assert.rejects(stat(join(dir, 'a.pfx')), 'nothing written');
});

test('refusals (65): not in the store (listing what is), a folder as --out, a config without a certificate; --what-if writes nothing', async () => {
  const missing = await cli('missing', ['export-cert', '--out', 'm.pfx', '--thumbprint', 'AB'.repeat(20), '--password-env', 'PFX_PASSWORD'], { env });
  assert.equal(missing.code, 65, missing.stderr);
  assert.match(missing.stderr, new RegExp(`the store holds: ${thumbprint} \\(CN=Export Portal`));

  await mkdir(join(dir, 'folder'));
  const folder = await cli('folder', ['export-cert', '--out', 'folder', '--password-env', 'PFX_PASSWORD'], { env });
  assert.equal(folder.code, 65, folder.stderr);
  assert.match(folder.stderr, /folder is a folder/);

  await writeFile(join(dir, 'bare.json5'), '{ version: 1 }\n');
  const bare = await cli('bare', ['export-cert', '-c', 'bare.json5', '--out', 'm.pfx', '--password-env', 'PFX_PASSWORD'], { env });
  assert.equal(bare.code, 65, bare.stderr);
  assert.match(bare.stderr, /names no certificate/);
  assert.match(bare.stderr, /install-cert --generate/);

  const whatIf = await cli('what-if', ['export-cert', '--out', 'm.pfx', '--what-if'], {});
  assert.equal(whatIf.code, 0, whatIf.stderr);
  assert.match(whatIf.stderr, /what-if: would write m\.pfx; nothing was written/);
  await assert.rejects(stat(join(dir, 'm.pfx')));
});
