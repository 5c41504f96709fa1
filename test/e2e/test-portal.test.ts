/**
 * test-portal through the built CLI (the real argv path): exit codes, --json against the schema,
 * the human checklist, and a bounded run against a port that never answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, runMain, withTempDir } from '../helpers/cli.js';
import { matchesSchema } from '../helpers/json-schemas.js';
import { closedPort, startSilentServer, type TestServer } from '../helpers/tls-server.js';

const validate = (doc: unknown): boolean => matchesSchema('envelope.schema.json', doc);

interface Result {
  passed: boolean;
  checks: { id: string; status: string; message: string; remedy?: string }[];
}
const byId = (r: Result, id: string) => r.checks.find((c) => c.id === id)!;

let silent: TestServer;
let refused: number;
before(async () => {
  silent = await startSilentServer();
  refused = await closedPort();
});
after(async () => {
  await silent.close();
});

/** A custom cloud on a closed loopback port (trusted with --trust-endpoint): the Entra side fails fast, nothing leaves the machine. */
const config = (portalPort: number) => `{
  // test-portal e2e
  version: 1,
  endpoints: { graph: 'https://127.0.0.1:${refused}', login: 'https://127.0.0.1:${refused}' },
  tenant: 'contoso.onmicrosoft.com',
  application: { appId: '11111111-2222-3333-4444-555555555555' },
  portal: { url: 'https://127.0.0.1:${portalPort}', restApiPort: ${portalPort} },
}
`;

test('an invalid config: exit 65, config fails with every problem, everything else is skipped', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), "{ version: 2, portal: { url: 'ftp://x' } }\n");
    const r = await runMain(['test-portal', '--json'], { cwd: dir });
    assert.equal(r.code, 65, r.stderr);
    const doc = JSON.parse(r.stdout) as Result;
    assert.ok(validate(doc), JSON.stringify(doc));
    assert.equal(doc.passed, false);
    assert.equal(byId(doc, 'config').status, 'fail');
    assert.ok(doc.checks.filter((c) => c.id !== 'config').every((c) => c.status === 'skip'));
    assert.equal(doc.checks.length, 17);
  });
});

test('a missing config file is invalid input too (65), with the remedy in the checklist', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['test-portal'], { cwd: dir });
    assert.equal(r.code, 65);
    assert.match(r.stdout, /^✖ config +config file .*entra-portal\.json5 does not exist/m);
    assert.match(r.stdout, /→ Create it with "entra-portal new-app/);
    assert.match(r.stdout, /^– tcp +skipped: config failed/m);
  });
});

test('a bad --timeout is a usage error (64), never 2', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['test-portal', '--timeout', 'soon'], { cwd: dir });
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /--timeout/);
  });
});

test('a port that accepts and never answers: exit 2 within the timeout, schema-valid JSON, no colour off a TTY', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), config(silent.port));
    const r = await runMain(['test-portal', '--json', '--timeout', '1', '--auth', 'environment', '--trust-endpoint', '127.0.0.1'], { cwd: dir, timeoutMs: 30_000 });
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stdout) as Result;
    assert.ok(validate(doc), JSON.stringify(doc));
    assert.equal(byId(doc, 'tcp').status, 'pass');
    assert.equal(byId(doc, 'tls.handshake').status, 'fail');
    assert.match(byId(doc, 'tls.handshake').message, /did not complete a TLS handshake within 1 s/);
    assert.equal(byId(doc, 'restapi.settings').message, 'skipped: tls.handshake failed');
    assert.equal(byId(doc, 'entra.app').status, 'fail', 'no operator credential in the environment');
    assert.equal(byId(doc, 'entra.consent').message, 'skipped: entra.app failed');

    const human = await runMain(['test-portal', '--timeout', '1', '--auth', 'environment', '--trust-endpoint', '127.0.0.1'], { cwd: dir, timeoutMs: 30_000 });
    assert.equal(human.code, 2);
    assert.match(human.stdout, /^✖ tls\.handshake/m);
    assert.match(human.stdout, /^! url\.format/m);
    assert.match(human.stdout, /^– tls\.expiry +skipped: tls\.handshake failed/m);
    assert.match(human.stdout, /The Restore Portal has problems: \d+ passed, \d+ warnings?, \d+ failed, \d+ skipped\./);
    assert.doesNotMatch(human.stdout, /\x1b\[/, 'no colour codes off a terminal');
  });
});

test('a closed port: tcp fails with the REST API remedy', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), config(refused));
    const r = await runMain(['test-portal', '--json', '--auth', 'environment', '--trust-endpoint', '127.0.0.1'], { cwd: dir });
    assert.equal(r.code, 2);
    const doc = JSON.parse(r.stdout) as Result;
    assert.equal(byId(doc, 'tcp').status, 'fail');
    assert.match(byId(doc, 'tcp').remedy!, /Set-VBORestAPISettings -EnableService -HTTPSPort/);
  });
});

test('a config whose certificate.file is missing: config warns (apply would fail on it), the other checks still run', async () => {
  await withTempDir(async (dir) => {
    const t = 'AB'.repeat(20);
    await writeFile(join(dir, 'entra-portal.json5'), config(refused).replace("  portal:", `  certificate: { thumbprint: '${t}', file: 'certs/${t}.cer' },\n  portal:`));
    const r = await runMain(['test-portal', '--json', '--timeout', '1', '--trust-endpoint', '127.0.0.1'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as Result;
    assert.ok(validate(doc), JSON.stringify(doc));
    const c = byId(doc, 'config');
    assert.equal(c.status, 'warn');
    assert.match(c.message, new RegExp(`certificate\\.file certs/${t}\\.cer is missing: apply cannot register the certificate`));
    assert.match(c.remedy ?? '', new RegExp(`install-cert --thumbprint ${t}`));
    assert.notEqual(byId(doc, 'url.format').status, 'skip');
  });
});
