/**
 * export-vb365 through the CLI in-process: the folder gets the PFX (opens with the password, the
 * configured certificate) and Enable-RestorePortal.ps1 (passes the PowerShell checker with the
 * config's values; no secret); --json matches schemas/export-vb365.schema.json; refused (65) with
 * the step to take when the config has no appId, no portal URL, no certificate, or the store lacks it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runMain, type CliResult } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';
import { CMDLETS, checkPowerShell } from '../helpers/powershell.js';
import { assertNoSecret } from '../helpers/secrets.js';

const run = promisify(execFile);
const PASSWORD = 'VB365 hand-off pässword';
const APP_ID = '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c';
const env = { PFX_PASSWORD: PASSWORD };
let dir: string;
let thumbprint: string;
const outputs: Record<string, string> = {};

async function cli(name: string, args: string[], e: NodeJS.ProcessEnv = env): Promise<CliResult> {
  const r = await runMain(args, { cwd: dir, env: e });
  outputs[`${name} stdout`] = r.stdout;
  outputs[`${name} stderr`] = r.stderr;
  return r;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-portal-vb365-'));
  await writeFile(join(dir, 'entra-portal.json5'), "{\n  version: 1,\n  region: 'usgov',\n  application: { name: 'VB365 Portal' },\n}\n");
  const cert = await cli('install-cert', ['install-cert', '--generate', '--json']);
  assert.equal(cert.code, 0, cert.stderr);
  thumbprint = JSON.parse(cert.stdout).certificate.thumbprint;
});

after(async () => {
  await assertNoSecret(PASSWORD, outputs, [dir]);
  await rm(dir, { recursive: true, force: true });
});

test('refused (65) with the next step: no portal URL, no appId yet ("run apply first"), nothing written', async () => {
  await cli('set-portal-url', ['set-portal-url', 'https://portal.abc.com:8443', '--rest-api-port', '8443']);
  const noApp = await cli('no app', ['export-vb365', '--out', 'vb365', '--password-env', 'PFX_PASSWORD']);
  assert.equal(noApp.code, 65, noApp.stderr);
  assert.match(noApp.stderr, /records no application\.appId yet/);
  assert.match(noApp.stderr, /hint: run entra-portal apply first/);
  await assert.rejects(stat(join(dir, 'vb365')));
});

test('the PFX and the script; --json matches its schema; the script passes the checker with the config\'s values', async () => {
  await cli('set-app', ['set-app', '--app-id', APP_ID.toUpperCase()]);
  const r = await cli('export', ['export-vb365', '--out', 'vb365', '--password-env', 'PFX_PASSWORD', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assertMatchesSchema('envelope.schema.json', doc);
  assertMatchesSchema('export-vb365.schema.json', doc);
  const folder = join(dir, 'vb365');
  assert.deepEqual(
    { ...doc, pfx: undefined, warnings: undefined, schemaVersion: undefined, toolVersion: undefined, generatedAt: undefined },
    {
      verb: 'export-vb365',
      exitCode: 0,
      schemaVersion: undefined,
      toolVersion: undefined,
      generatedAt: undefined,
      whatIf: false,
      config: join(dir, 'entra-portal.json5'),
      applicationId: APP_ID,
      region: 'USGovernment',
      portalUri: 'https://portal.abc.com:8443',
      restApiPort: 8443,
      thumbprint,
      pfx: undefined,
      script: join(folder, 'Enable-RestorePortal.ps1'),
      passwordVariable: 'ENTRA_PORTAL_PFX_PASSWORD',
      warnings: undefined,
    },
  );
  assert.equal(doc.pfx.path, join(folder, `${thumbprint}.pfx`));
  assert.deepEqual((await readdir(folder)).sort(), [`${thumbprint}.pfx`, 'Enable-RestorePortal.ps1'].sort());
  assert.equal((await stat(doc.pfx.path)).mode & 0o777, 0o600);

  // the PFX opens with the chosen password and holds the configured certificate
  const { stdout: pem } = await run('openssl', ['pkcs12', '-in', doc.pfx.path, '-nokeys', '-passin', 'env:PW'], { env: { ...process.env, PW: PASSWORD } });
  assert.equal(new X509Certificate(pem).fingerprint.replace(/:/g, ''), thumbprint);

  // the script: checked, the config's values, no password
  const script = await readFile(doc.script, 'utf8');
  const facts = checkPowerShell(script.replace(/\r/g, ''), CMDLETS);
  assert.ok(facts.commands.some((c) => c.name === 'Set-VBORestorePortalSettings'));
  assert.deepEqual(facts.commands.find((c) => c.name === 'Set-VBORestAPISettings')?.params, { HTTPSPort: '$restapiport' });
  assert.deepEqual(
    [facts.literals.applicationid, facts.literals.region, facts.literals.portaluri, facts.literals.restapiport, facts.literals.thumbprint],
    [APP_ID, 'USGovernment', 'https://portal.abc.com:8443', '8443', thumbprint],
  );
});

test('existing files are refused (65) and kept; --force replaces both; --what-if writes nothing; human output names the step on the server', async () => {
  const folder = join(dir, 'vb365');
  const script = await readFile(join(folder, 'Enable-RestorePortal.ps1'));
  const refused = await cli('refused', ['export-vb365', '--out', 'vb365', '--password-env', 'PFX_PASSWORD']);
  assert.equal(refused.code, 65, refused.stderr);
  assert.match(refused.stderr, /already exists; it was left as it is/);
  assert.ok((await readFile(join(folder, 'Enable-RestorePortal.ps1'))).equals(script));

  const forced = await cli('forced', ['export-vb365', '--out', 'vb365', '--password-stdin', '--force', '--legacy'], {});
  assert.equal(forced.code, 64, 'no stdin given: no password');
  const human = await runMain(['export-vb365', '--out', 'vb365', '--password-stdin', '--force', '--legacy'], { cwd: dir, input: `${PASSWORD}\n` });
  outputs['human stdout'] = human.stdout;
  outputs['human stderr'] = human.stderr;
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /pbeWithSHA1And3-KeyTripleDES-CBC, SHA-1 MAC/);
  assert.match(human.stdout, /Next, on the VB365 server: .*\n  powershell\.exe -ExecutionPolicy Bypass -File \.\\Enable-RestorePortal\.ps1/);

  const whatIf = await cli('what-if', ['export-vb365', '--out', 'elsewhere', '--what-if']);
  assert.equal(whatIf.code, 0, whatIf.stderr);
  await assert.rejects(stat(join(dir, 'elsewhere')));
});

test('refused (65) when the store here lacks the key, or the config names no certificate', async () => {
  const other = await cli('other store', ['export-vb365', '--out', 'x', '--password-env', 'PFX_PASSWORD', '--store', 'empty-store']);
  assert.equal(other.code, 65, other.stderr);
  assert.match(other.stderr, new RegExp(`${thumbprint} and its private key are not in the store`));
  assert.match(other.stderr, /export-vb365 runs where the private key is/);
  await writeFile(join(dir, 'bare.json5'), `{ version: 1, application: { appId: '${APP_ID}' }, portal: { url: 'https://p.abc.com:4443' } }\n`);
  const bare = await cli('bare', ['export-vb365', '-c', 'bare.json5', '--out', 'x', '--password-env', 'PFX_PASSWORD']);
  assert.equal(bare.code, 65, bare.stderr);
  assert.match(bare.stderr, /names no certificate/);
  await assert.rejects(stat(join(dir, 'x')));
});

test('a config of the Emulator region: the script is written, with a warning that VB365 gets Region Worldwide and an application that exists only in the local emulator (it was silent)', async () => {
  const own = await mkdtemp(join(tmpdir(), 'entra-portal-vb365-emulator-'));
  try {
    await writeFile(
      join(own, 'entra-portal.json5'),
      `{\n  version: 1,\n  region: 'Emulator',\n  application: { name: 'Emulated Portal', appId: '${APP_ID}' },\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n}\n`,
    );
    assert.equal((await runMain(['install-cert', '--generate'], { cwd: own })).code, 0);
    const r = await runMain(['export-vb365', '--out', 'vb365', '--password-env', 'PFX_PASSWORD', '--json'], { cwd: own, env });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.region, 'Worldwide');
    assert.match(doc.warnings.join('\n'), /region Emulator.*VB365.*Worldwide.*only in the local emulator/);
    assert.match(r.stderr, /warning: .*region Emulator/);
  } finally {
    await rm(own, { recursive: true, force: true });
  }
});
