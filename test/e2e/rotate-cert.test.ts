/**
 * Rotation end to end on the embedded emulator, through the CLI in-process: after rotate-cert
 * --generate --apply Entra holds both keys and the drift check exits 0; --finish refuses to retire
 * the old key while the new one does not sign in; after rotate-cert --finish --apply Entra holds only
 * the new key, the drift check exits 0 and sign-in with the new key works; --finish with no rotation
 * in progress exits 65. apply's human output names the VB365 step when what VB365 holds changed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSON5 from 'json5';
import { thumbprintOf } from '../../src/reconcile/aspects/certificates.js';
import type { KeyCredential } from '../../src/model/graph.js';
import { runMain, type CliResult } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';

let dir: string;
const run = (args: string[]): Promise<CliResult> => runMain(args, { cwd: dir });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-portal-rotate-'));
  await writeFile(
    join(dir, 'entra-portal.json5'),
    "{\n  version: 1,\n  region: 'Emulator',\n  tenant: 'contoso.onmicrosoft.com',\n  application: { name: 'Rotating Portal', uniqueName: 'rotating-portal', multiTenant: false },\n  portal: { url: 'https://127.0.0.1:9', restApiPort: 9 },\n}\n",
  );
});
after(() => rm(dir, { recursive: true, force: true }));

interface Config {
  certificate: { thumbprint: string; file: string; previous?: { thumbprint: string; file: string } };
}
const config = async () => JSON5.parse(await readFile(join(dir, 'entra-portal.json5'), 'utf8')) as Config;

/** The thumbprints Entra holds for the application (the embedded emulator's state beside the config). */
async function registered(): Promise<string[]> {
  const state = JSON.parse(await readFile(join(dir, '.entra-portal', 'emulator-state.json'), 'utf8')) as {
    tenants: { domain: string; applications: { uniqueName?: string; keyCredentials: KeyCredential[] }[] }[];
  };
  const app = state.tenants.find((t) => t.domain === 'contoso.onmicrosoft.com')!.applications.find((a) => a.uniqueName === 'rotating-portal')!;
  return app.keyCredentials.map((kc) => thumbprintOf(kc)!).sort();
}

async function driftCheck(): Promise<void> {
  const r = await run(['apply', '--what-if', '--detailed-exitcode']);
  assert.equal(r.code, 0, `drift check: ${r.stdout}\n${r.stderr}`);
}

test('install, apply (the next step is export-vb365), rotate with both keys registered, refuse to finish unproven, finish: only the new key', async () => {
  assert.equal((await run(['install-cert', '--generate'])).code, 0);
  const first = await run(['apply']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /\nNext, give VB365 the application and its certificate: entra-portal export-vb365 --out vb365 --password-env <VAR>, then run Enable-RestorePortal\.ps1 from that folder on the VB365 server\.\n$/);
  const again = await run(['apply']);
  assert.doesNotMatch(again.stdout, /Next, give VB365/, 'nothing changed: no next step');
  const old = (await config()).certificate.thumbprint;

  // 1. rotate: the new certificate is configured, the old one is previous; Entra holds both; no drift
  const rotated = await run(['rotate-cert', '--generate', '--apply', '--json']);
  assert.equal(rotated.code, 0, rotated.stderr);
  const doc = JSON.parse(rotated.stdout);
  assertMatchesSchema('envelope.schema.json', doc);
  assert.equal(doc.stage, 'started');
  const fresh = doc.certificate.thumbprint as string;
  assert.notEqual(fresh, old);
  assert.deepEqual(doc.previous, { thumbprint: old, file: `certs/${old}.cer` });
  assert.deepEqual((await config()).certificate, { thumbprint: fresh, file: `certs/${fresh}.cer`, previous: { thumbprint: old, file: `certs/${old}.cer` } });
  assert.deepEqual(await registered(), [old, fresh].sort());
  await driftCheck();
  const twice = await run(['rotate-cert', '--generate']);
  assert.equal(twice.code, 65, twice.stderr);
  assert.match(twice.stderr, new RegExp(`a rotation is already in progress: certificate.previous is ${old}`));


  // 2. finish: the new key signs in, previous leaves the config, the old key leaves Entra (and only it)
  const finished = await run(['rotate-cert', '--finish', '--apply', '--json']);
  assert.equal(finished.code, 0, finished.stderr);
  const f = JSON.parse(finished.stdout);
  assertMatchesSchema('envelope.schema.json', f);
  assert.equal(f.stage, 'finished');
  assert.equal(f.signIn.thumbprint, fresh);
  assert.deepEqual(f.changes, [
    { path: 'certificate.previous.thumbprint', before: old },
    { path: 'certificate.previous.file', before: `certs/${old}.cer` },
  ]);
  const removed = f.apply.plan.changes.filter((c: { action: string }) => c.action === 'remove');
  assert.deepEqual(removed.map((c: { before: { thumbprint: string } }) => c.before.thumbprint), [old]);
  assert.deepEqual((await config()).certificate, { thumbprint: fresh, file: `certs/${fresh}.cer` });
  assert.deepEqual(await registered(), [fresh]);
  await driftCheck();

  // sign-in with the new key works (test-portal's real token request; the portal itself is not there)
  const checked = await run(['test-portal', '--json', '--timeout', '1']);
  const signIn = (JSON.parse(checked.stdout).checks as { id: string; status: string; details?: { certificate?: { thumbprint: string } } }[]).find((c) => c.id === 'entra.sign-in')!;
  assert.equal(signIn.status, 'pass');
  assert.equal(signIn.details?.certificate?.thumbprint, fresh);

  // nothing to finish now
  const none = await run(['rotate-cert', '--finish']);
  assert.equal(none.code, 65, none.stderr);
  assert.match(none.stderr, /no rotation is in progress/);
});

test('--finish refuses (exit 1, nothing changed) while the new key is not registered in Entra', async () => {
  // a rotation whose new certificate was never applied
  const rotated = await run(['rotate-cert', '--generate']);
  assert.equal(rotated.code, 0, rotated.stderr);
  const before = await readFile(join(dir, 'entra-portal.json5'), 'utf8');
  const keys = await registered();
  const r = await run(['rotate-cert', '--finish', '--apply']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /does not sign in as application .* yet/);
  assert.match(r.stderr, /AADSTS700027/);
  assert.match(r.stderr, /Nothing was changed: the old certificate [0-9A-F]{40} stays registered/);
  assert.equal(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), before);
  assert.deepEqual(await registered(), keys);
  // usage: a source with --finish, no source at all
  assert.equal((await run(['rotate-cert', '--finish', '--generate'])).code, 64);
  assert.equal((await run(['rotate-cert'])).code, 64);
});
