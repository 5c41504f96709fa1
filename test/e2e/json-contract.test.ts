/**
 * The --json contract (docs/cli.md, "Output"): stdout is exactly ONE JSON document, its shape is the
 * verb's schema in schemas/, and no secret reaches stdout or stderr. One realistic sequence through
 * the BUILT CLI (run `npx tsc -p tsconfig.json` first) against the embedded emulator
 * (`region: 'Emulator'`, state in <dir>/.entra-portal/), then the error document, the emulator's
 * start-up line and the demo.
 *
 *   schemas/edit-result.schema.json     new-app, set-app, set-portal-url, install-cert (+ `apply` with --apply)
 *   schemas/plan.schema.json            apply
 *   schemas/test-result.schema.json     test-portal
 *   schemas/error.schema.json           any verb that fails
 *   schemas/emulator-ready.schema.json  emulator --json (first line)
 *   schemas/demo-result.schema.json     demo
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { binPath, runMain, withTempDir, type CliResult } from '../helpers/cli.js';
import { assertMatchesSchema, matchesSchema } from '../helpers/json-schemas.js';

const TENANT = 'contoso.onmicrosoft.com';

/** Every output seen, for the secret scan at the end. */
interface Seen {
  what: string;
  stdout: string;
  stderr: string;
}

/** Exactly one JSON document on stdout (JSON.parse refuses a second one), and it is an object. */
function oneDocument(what: string, stdout: string): Record<string, unknown> {
  assert.ok(stdout.endsWith('\n'), `${what}: stdout ends with a newline`);
  let doc: unknown;
  assert.doesNotThrow(() => (doc = JSON.parse(stdout)), `${what}: stdout is not exactly one JSON document:\n${stdout}`);
  assert.ok(doc !== null && typeof doc === 'object' && !Array.isArray(doc), `${what}: a JSON object`);
  return doc as Record<string, unknown>;
}

/** A loopback port nothing listens on (test-portal's network checks must fail, not hang). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(addr && typeof addr === 'object');
  return addr.port;
}

/** Every string under a key that holds a secret in the emulator's state file (client secrets). */
function secretsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) secretsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/^(clientSecret|secretText)$/.test(k) && typeof v === 'string' && v.length >= 8) found.add(v);
      else secretsIn(v, found);
    }
  }
  return found;
}

/** `entra-portal emulator --json`: the first stdout line, then SIGTERM → exit 0 with nothing more on stdout. */
async function emulatorStartLine(cwd: string): Promise<Seen & { code: number | null }> {
  const child = spawn(process.execPath, [binPath, 'emulator', '--json'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit');
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', () => resolve());
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before its start-up line: ${stderr}`)));
    });
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await exited) as [number | null];
  return { what: 'emulator --json', stdout, stderr, code };
}

test('--json: one schema-valid document per verb, errors included, and no secret on stdout or stderr', { timeout: 240_000 }, async () => {
  await withTempDir(async (root) => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await Promise.all([mkdir(a), mkdir(b)]);
    const seen: Seen[] = [];
    const cli = async (what: string, cwd: string, args: string[], code: number, schema: string) => {
      const r: CliResult = await runMain([...args, '--json'], { cwd, timeoutMs: 120_000 });
      seen.push({ what, stdout: r.stdout, stderr: r.stderr });
      assert.equal(r.code, code, `${what}: exit ${r.code}, expected ${code}\n${r.stderr}`);
      const doc = oneDocument(what, r.stdout);
      assertMatchesSchema(schema, doc);
      // the one envelope (schemas/envelope.schema.json picks the verb's result schema by `verb`)
      assertMatchesSchema('envelope.schema.json', doc);
      assert.equal(doc.exitCode, code, `${what}: the document's exitCode is the process's`);
      return doc as Record<string, any>;
    };

    // 1–3. describe the application, its portal address and its certificate (desired state only)
    const created = await cli('new-app', a, ['new-app', '--name', 'Contract Portal', '--region', 'Emulator', '--tenant', TENANT], 0, 'edit-result.schema.json');
    assert.equal(created.verb, 'new-app');
    assert.equal(created.created, true);
    assert.deepEqual(created.application, { name: 'Contract Portal', uniqueName: 'contract-portal', multiTenant: false });
    assert.equal(created.config, join(a, 'entra-portal.json5'));

    const port = await unusedPort();
    const portalUrl = `https://127.0.0.1:${port}`;
    const url = await cli('set-portal-url', a, ['set-portal-url', portalUrl, '--rest-api-port', String(port)], 0, 'edit-result.schema.json');
    assert.deepEqual(url.portal, { url: portalUrl, restApiPort: port, host: '127.0.0.1', hostKind: 'ipv4' });
    assert.ok((url.warnings as string[]).some((w) => /loopback/.test(w)), 'the loopback warning is in the result too');

    const cert = await cli('install-cert --generate', a, ['install-cert', '--generate'], 0, 'edit-result.schema.json');
    assert.equal(cert.certificate.source, 'generate');
    assert.deepEqual(
      (cert.changes as { path: string }[]).map((c) => c.path),
      ['certificate.thumbprint', 'certificate.file'],
    );

    // 4–5. the drift check a monitor runs, then the real apply
    const pending = await cli('apply --what-if', a, ['apply', '--what-if', '--detailed-exitcode'], 2, 'plan.schema.json');
    assert.equal(pending.whatIf, true);
    assert.equal(pending.inSync, false);
    assert.equal(pending.exitCode, 2, 'the document carries the exit code a monitor sees');
    const applied = await cli('apply', a, ['apply'], 0, 'plan.schema.json');
    assert.equal(applied.inSync, false);
    assert.match(String(applied.appId), /^[0-9a-f-]{36}$/);
    assert.equal(applied.plan.changes.length, pending.plan.changes.length, 'apply did what the what-if said');

    // 6. an edit verb with --apply nests apply's own result (by $ref to plan.schema.json)
    const again = await cli('set-portal-url --what-if --apply', a, ['set-portal-url', portalUrl, '--rest-api-port', String(port), '--what-if', '--apply'], 0, 'edit-result.schema.json');
    assert.equal(again.changed, false, 'idempotent');
    assert.equal(again.apply.inSync, true);
    assert.equal(again.apply.appId, applied.appId);

    // 7. test-portal: Entra checks pass, the network ones fail (nothing listens on the portal port)
    const tested = await cli('test-portal', a, ['test-portal'], 2, 'test-result.schema.json');
    const status = Object.fromEntries((tested.checks as { id: string; status: string }[]).map((c) => [c.id, c.status]));
    assert.equal(tested.passed, false);
    assert.equal(status.tcp, 'fail');
    assert.equal(status['entra.sign-in'], 'pass');

    // 8. a second folder configures the application that now exists
    const pinned = await cli('set-app', b, ['set-app', '--app-id', String(applied.appId), '--region', 'Emulator', '--tenant', TENANT], 0, 'edit-result.schema.json');
    assert.equal(pinned.verb, 'set-app');
    assert.equal(pinned.appId, applied.appId);
    assert.equal(pinned.created, true);

    // 9–10. failures print the error document on stdout, with the exit code inside
    const usage = await cli('usage error', a, ['apply', '--no-such-option'], 64, 'error.schema.json');
    assert.equal(usage.error.code, 'usage');
    assert.equal(usage.error.exitCode, 64);
    const explicit = await runMain(['no-such-verb', '--json=true'], { cwd: a });
    seen.push({ what: 'usage error (--json=true)', stdout: explicit.stdout, stderr: explicit.stderr });
    assert.equal(explicit.code, 64, explicit.stderr);
    assertMatchesSchema('error.schema.json', oneDocument('usage error (--json=true)', explicit.stdout));
    await writeFile(
      join(b, 'bad.json5'),
      `{ version: 1, region: 'Emulator', tenant: '${TENANT}', application: { name: 'x', uniqueName: 'x' },\n  portal: { url: 'http://portal.abc.com:4443', restApiPort: 4443 } }\n`,
    );
    const invalid = await cli('invalid input', b, ['apply', '-c', 'bad.json5'], 65, 'error.schema.json');
    assert.equal(invalid.error.exitCode, 65);
    const problem = (invalid.error.problems as { path: string; location?: { line: number } }[])[0]!;
    assert.equal(problem.path, 'portal.url');
    assert.equal(problem.location?.line, 2);

    // 11. the emulator's start-up line (its throwaway operator secrets are printed on purpose)
    const emu = await emulatorStartLine(b);
    assert.equal(emu.code, 0, emu.stderr);
    assert.equal(emu.stdout.split('\n').filter(Boolean).length, 1, 'one line, nothing more after it');
    const ready = oneDocument(emu.what, emu.stdout);
    assertMatchesSchema('emulator-ready.schema.json', ready);
    assertMatchesSchema('envelope.schema.json', ready);

    // 12. the demo, kept in a folder so its emulator's secrets can be checked for too
    const demoDir = join(root, 'demo');
    await mkdir(demoDir);
    const demo = await cli('demo', root, ['demo', '--dir', demoDir], 0, 'demo-result.schema.json');
    assert.equal(demo.passed, true);

    // the schemas refuse what the contract forbids (so the checks above are not vacuous)
    assert.equal(matchesSchema('error.schema.json', { error: { ...usage.error, exitCode: 2 } }), false, 'a usage error never exits 2');
    assert.equal(matchesSchema('edit-result.schema.json', { ...pinned, verb: 'new-app' }), false, 'the members follow the verb');
    assert.equal(matchesSchema('edit-result.schema.json', { ...cert, certificate: { ...cert.certificate, keyPem: 'x' } }), false, 'no key material');

    // no secret anywhere: the embedded emulators' client secrets (operator and others) and private keys
    const secrets = new Set<string>();
    for (const dir of [a, demoDir]) {
      secretsIn(JSON.parse(await readFile(join(dir, '.entra-portal', 'emulator-state.json'), 'utf8')), secrets);
    }
    assert.ok(secrets.size >= 2, 'found the emulator operator secrets to look for');
    const operators = (ready.tenants as { operator: { clientSecret: string } }[]).map((t) => t.operator.clientSecret);
    for (const s of seen) {
      for (const [stream, text] of [['stdout', s.stdout], ['stderr', s.stderr]] as const) {
        assert.doesNotMatch(text, /PRIVATE KEY/, `${s.what}: key material on ${stream}`);
        for (const secret of [...secrets, ...operators]) assert.ok(!text.includes(secret), `${s.what}: a client secret on ${stream}`);
      }
    }
    assert.doesNotMatch(emu.stdout + emu.stderr, /PRIVATE KEY/, 'emulator: key material');
  });
});
