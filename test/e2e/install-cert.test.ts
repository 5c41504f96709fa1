/**
 * install-cert end to end: the built CLI as a process in a temporary folder (generate, thumbprint,
 * --what-if, --json shapes, usage errors). PFX imports are in install-cert-pfx.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { runMain, withTempDir } from '../helpers/cli.js';
import { opensslFingerprint } from '../helpers/pfx.js';

export const CONFIG = `// Restore Portal for Contoso
{
  version: 1,
  application: {
    name: 'Contoso Restore Portal', // shown in Entra
  },
}
`;

async function setup(dir: string, text = CONFIG): Promise<string> {
  const path = join(dir, 'entra-portal.json5');
  await writeFile(path, text);
  return path;
}
const mode = async (p: string) => (await stat(p)).mode & 0o777;

test('--generate: a new certificate in the store, its .cer next to the config, the config records it (--json shape)', async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const r = await runMain(['install-cert', '--generate', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const t = out.certificate.thumbprint as string;
    assert.match(t, /^[0-9A-F]{40}$/);
    assert.match(out.certificate.thumbprintSha256, /^[0-9A-F]{64}$/);
    assert.deepEqual(Object.keys(out).sort(), ['certificate', 'changed', 'changes', 'config', 'created', 'diff', 'exitCode', 'generatedAt', 'schemaVersion', 'toolVersion', 'verb', 'warnings', 'whatIf']);
    assert.equal(out.verb, 'install-cert');
    assert.equal(out.config, cfg);
    assert.equal(out.created, false);
    assert.equal(out.changed, true);
    assert.equal(out.whatIf, false);
    assert.deepEqual(out.warnings, []);
    assert.deepEqual(out.changes, [
      { path: 'certificate.thumbprint', after: t },
      { path: 'certificate.file', after: `certs/${t}.cer` },
    ]);
    assert.deepEqual({ ...out.certificate, thumbprint: undefined, thumbprintSha256: undefined, notBefore: undefined, notAfter: undefined }, {
      thumbprint: undefined,
      thumbprintSha256: undefined,
      notBefore: undefined,
      notAfter: undefined,
      subject: 'CN=Contoso Restore Portal',
      issuer: 'CN=Contoso Restore Portal',
      file: `certs/${t}.cer`,
      store: join(dir, '.xdg', 'entra-portal', 'store'),
      source: 'generate',
    });
    assert.equal(Date.parse(out.certificate.notAfter) - Date.parse(out.certificate.notBefore), 365 * 86_400_000);

    // the config: only the certificate block added, the rest byte for byte
    const text = await readFile(cfg, 'utf8');
    assert.ok(text.startsWith("// Restore Portal for Contoso\n{\n  version: 1,\n  application: {\n    name: 'Contoso Restore Portal', // shown in Entra\n  },\n"));
    assert.match(text, new RegExp(`thumbprint: '${t}'`));
    assert.match(text, new RegExp(`file: 'certs/${t}\\.cer'`));

    // the public certificate: DER, the same thumbprint as openssl computes
    const cer = join(dir, 'certs', `${t}.cer`);
    assert.equal(new X509Certificate(await readFile(cer)).raw.equals(await readFile(cer)), true);
    assert.equal(await opensslFingerprint(cer, 'sha1', dir, 'der'), t);

    // the store: 0700 folder, 0600 PFX, public .cer
    const store = out.certificate.store as string;
    assert.equal(await mode(store), 0o700);
    assert.equal(await mode(join(store, `${t}.pfx`)), 0o600);
    assert.ok(existsSync(join(store, `${t}.cer`)));

    // selecting the same certificate again changes nothing (idempotent), with any thumbprint spelling
    const spelled = t.toLowerCase().replace(/(..)(?!$)/g, '$1:');
    const again = await runMain(['install-cert', '--thumbprint', spelled, '--json'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    const o2 = JSON.parse(again.stdout);
    assert.equal(o2.changed, false);
    assert.equal(o2.certificate.source, 'store');
    assert.equal(o2.certificate.thumbprint, t);
    assert.equal(o2.diff, undefined);
    assert.equal(await readFile(cfg, 'utf8'), text);
  });
});

test('--generate with --subject, --validity-days, --key-size and --store; human output', async () => {
  await withTempDir(async (dir) => {
    await setup(dir);
    const r = await runMain(
      ['install-cert', '--generate', '--subject', 'CN=Portal, O=Contoso', '--validity-days', '20', '--key-size', '3072', '--store', 'my-store'],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const t = /Selected certificate ([0-9A-F]{40}) \(CN=Portal, O=Contoso; generated\)/.exec(r.stdout)?.[1];
    assert.ok(t, r.stdout);
    assert.match(r.stdout, /store {3}my-store/);
    assert.match(r.stdout, /Updated entra-portal\.json5/);
    assert.match(r.stderr, /expires in 19 days/); // under 30 days: a warning, not a refusal
    assert.ok(existsSync(join(dir, 'my-store', `${t}.pfx`)));
    const x = new X509Certificate(await readFile(join(dir, 'certs', `${t}.cer`)));
    assert.equal(x.publicKey.asymmetricKeyDetails?.modulusLength, 3072);
  });
});

test('--what-if writes nothing anywhere: not the store, not the config, not the .cer', async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const r = await runMain(['install-cert', '--generate', '--what-if', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.whatIf, true);
    assert.equal(out.changed, true);
    assert.match(out.diff, /\+ {2}certificate: /);
    assert.equal(await readFile(cfg, 'utf8'), CONFIG);
    assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5']);
    const human = await runMain(['install-cert', '--generate', '--what-if'], { cwd: dir });
    assert.equal(human.code, 0);
    assert.match(human.stdout, /Would select certificate/);
    assert.match(human.stdout, /^\+.*thumbprint/m);
    assert.match(human.stderr, /would add [0-9A-F]{40} to the store/);
    assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5']);
  });
});

test('usage errors exit 64 and leave the file alone', async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const cases: [string[], RegExp][] = [
      [['install-cert'], /needs a source: --generate, --pfx <file> or --thumbprint <sha1>/],
      [['install-cert', '--generate', '--thumbprint', 'AB'.repeat(20)], /conflicting options: --generate and --thumbprint/],
      [['install-cert', '--generate', '--pfx', 'x.pfx'], /conflicting options: --generate and --pfx/],
      [['install-cert', '--generate', '--validity-days', 'abc'], /--validity-days must be a whole number of days from 1 to 3650, not "abc"/],
      [['install-cert', '--generate', '--validity-days', '0'], /--validity-days must be/],
      [['install-cert', '--generate', '--validity-days', '3651'], /--validity-days must be/],
      [['install-cert', '--generate', '--key-size', '1024'], /--key-size must be 2048, 3072 or 4096, not "1024"/],
      [['install-cert', '--generate', '--subject', 'CN=Portal, XX=1'], /unknown attribute "XX=1"/],
      [['install-cert', '--generate', '--subject', 'O=Contoso'], /has no CN/],
      [['install-cert', '--thumbprint', 'zz'], /not a SHA-1 thumbprint/],
      [['install-cert', '--thumbprint', 'AB'.repeat(20), '--key-size', '2048'], /--key-size only goes with --generate/],
      [['install-cert', '--generate', '--password-stdin'], /--password-stdin only goes with --pfx/],
      [['install-cert', '--pfx', 'a.pfx', '--password-env', 'X', '--password-stdin'], /conflicting options: --password-env and --password-stdin/],
      [['install-cert', '--generate', '--bogus'], /unknown option --bogus/],
    ];
    for (const [args, message] of cases) {
      const r = await runMain(args, { cwd: dir });
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
    const j = await runMain(['install-cert', '--generate', '--key-size', 'big', '--json'], { cwd: dir });
    assert.equal(j.code, 64);
    assert.equal(JSON.parse(j.stdout).error.code, 'usage');
    assert.equal(await readFile(cfg, 'utf8'), CONFIG);
    assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5']);
  });
});

test('invalid input exits 65: unknown thumbprint (the store lists what it holds), missing config', async () => {
  await withTempDir(async (dir) => {
    const cfg = await setup(dir);
    const g = await runMain(['install-cert', '--generate', '--json'], { cwd: dir });
    const held = JSON.parse(g.stdout).certificate.thumbprint as string;
    const before = await readFile(cfg, 'utf8');
    const r = await runMain(['install-cert', '--thumbprint', 'AB'.repeat(20), '--json'], { cwd: dir });
    assert.equal(r.code, 65);
    const err = JSON.parse(r.stdout).error;
    assert.equal(err.code, 'not-in-store');
    assert.match(err.remedy, new RegExp(`the store holds: ${held} \\(CN=Contoso Restore Portal`));
    assert.equal(await readFile(cfg, 'utf8'), before);

    const m = await runMain(['install-cert', '--generate', '-c', 'missing.json5'], { cwd: dir });
    assert.equal(m.code, 65);
    assert.match(m.stderr, /missing\.json5 does not exist/);
  });
});

test('--help lists every source with examples', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['install-cert', '--help'], { cwd: dir });
    assert.equal(r.code, 0);
    for (const s of ['--generate', '--pfx', '--thumbprint', '--password-env', '--password-stdin', '--validity-days', '--key-size', '--store', 'Examples:']) {
      assert.ok(r.stdout.includes(s), s);
    }
  });
});

test('--generate --apply registers the certificate in (emulated) Entra; the app then signs in with the stored key', async () => {
  await withTempDir(async (dir) => {
    await setup(
      dir,
      "{\n  version: 1,\n  region: 'Emulator',\n  tenant: 'contoso.onmicrosoft.com',\n  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' },\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n}\n",
    );
    const r = await runMain(['install-cert', '--generate', '--apply', '--json'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const t = out.certificate.thumbprint as string;
    assert.ok(out.apply, 'the apply result is included');
    assert.ok(
      (out.apply.steps as { step: string; status: string }[]).some((s) => s.step === 'certificates' && s.status !== 'unchanged'),
      JSON.stringify(out.apply.steps),
    );
    // human output: apply's own summary follows the certificate and the config edit, as after the other verbs
    const human = await runMain(['install-cert', '--thumbprint', t, '--apply'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /\nIn sync \(appId [0-9a-f-]{36}\)\.\n$/);
    const again = await runMain(['apply', '--json'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).inSync, true);
    // test-portal's Entra checks find the certificate registered and sign in with the store's private key
    const tp = await runMain(['test-portal', '--json'], { cwd: dir, timeoutMs: 120_000 });
    const checks = JSON.parse(tp.stdout).checks as { id: string; status: string; message: string }[];
    const byId = (id: string) => checks.find((c) => c.id === id);
    assert.equal(byId('entra.certificate')?.status, 'pass', JSON.stringify(byId('entra.certificate')));
    assert.match(byId('entra.certificate')!.message, new RegExp(t));
    assert.equal(byId('entra.sign-in')?.status, 'pass', JSON.stringify(byId('entra.sign-in')));
  });
});

test('a config in another folder (-c): the .cer is written and shown beside it, relative to where the user stands', async () => {
  await withTempDir(async (dir) => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'tenants', 'contoso'), { recursive: true });
    await writeFile(join(dir, 'tenants', 'contoso', 'portal.json5'), CONFIG);
    const r = await runMain(['install-cert', '--generate', '-c', 'tenants/contoso/portal.json5'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const t = /certificate ([0-9A-F]{40})/.exec(r.stdout)?.[1];
    assert.ok(t, r.stdout);
    assert.match(r.stdout, new RegExp(`public  tenants/contoso/certs/${t}\\.cer`));
    assert.match(r.stderr, new RegExp(`wrote tenants/contoso/certs/${t}\\.cer`));
    assert.ok(existsSync(join(dir, 'tenants', 'contoso', 'certs', `${t}.cer`)));
    // the config itself records the path relative to its own folder
    assert.match(await readFile(join(dir, 'tenants', 'contoso', 'portal.json5'), 'utf8'), new RegExp(`file: 'certs/${t}\\.cer'`));
  });
});

test('a wrong command line is a usage error (64) even where there is no config yet (it said "config file … does not exist", 65)', async () => {
  await withTempDir(async (dir) => {
    const conflict = await runMain(['install-cert', '--generate', '--pfx', 'x.pfx'], { cwd: dir });
    assert.equal(conflict.code, 64, conflict.stderr);
    assert.match(conflict.stderr, /conflicting options: --generate and --pfx/);
    assert.match(conflict.stderr, /See "entra-portal install-cert --help" for its options and examples\./);
    const none = await runMain(['install-cert'], { cwd: dir });
    assert.equal(none.code, 64, none.stderr);
    assert.match(none.stderr, /needs a source/);
  });
});
