/**
 * The command-line contract, in-process through main(): exit codes, what goes to stdout and
 * stderr, and the one --json envelope (schemas/envelope.schema.json) for results and errors alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMatchesSchema } from '../helpers/json-schemas.js';
import { runMain, withTempDir } from '../helpers/cli.js';
import { packageVersion } from '../../src/cli/help.js';

test('no arguments: the help on stderr and the usage exit code (64), so `entra-portal $UNSET` never passes for success', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain([], { cwd: dir });
    assert.equal(r.code, 64);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: entra-portal <verb> \[options\]/);
    assert.match(r.stderr, /error: name a verb/);
    const json = await runMain(['--json'], { cwd: dir });
    assert.equal(json.code, 64);
    assert.equal(JSON.parse(json.stdout).error.code, 'usage');
    assert.equal(JSON.parse(json.stdout).verb, null);
  });
});

test('version, --version and -v print the version (0); with --json, the envelope', async () => {
  await withTempDir(async (dir) => {
    for (const argv of [['version'], ['--version'], ['-v'], ['apply', '--version']]) {
      const r = await runMain(argv, { cwd: dir });
      assert.equal(r.code, 0, argv.join(' '));
      assert.equal(r.stdout, `${packageVersion()}\n`);
    }
    const json = await runMain(['version', '--json'], { cwd: dir });
    assertMatchesSchema('envelope.schema.json', JSON.parse(json.stdout));
    assert.equal(JSON.parse(json.stdout).version, packageVersion());
  });
});

test('usage errors exit 64, never 2, with the JSON envelope: a repeated option, an unknown one, a bad value, --dry-run', async () => {
  await withTempDir(async (dir) => {
    const cases: [string[], RegExp][] = [
      [['test-portal', '--auth', 'environment', '--auth', 'azure-cli'], /test-portal: --auth was given 2 times; give it once/],
      [['apply', '--what-if', '--detailed-exitcode', '--dry-run'], /apply: unknown option --dry-run \(did you mean --what-if\?\)/],
      [['set-portal-url', 'https://portal.abc.com:4443', '--rest-api-port', '70000'], /--rest-api-port must be a port number from 1 to 65535, not "70000"/],
      [['install-cert', '--generate', '--key-size', '1024'], /--key-size must be 2048, 3072 or 4096/],
      [['apply', '--propagation-timeout', '5', '--propagation-timeout', '6'], /--propagation-timeout was given 2 times/],
      [['aply'], /unknown verb 'aply'\. Did you mean apply\?/],
    ];
    for (const [argv, message] of cases) {
      const r = await runMain([...argv, '--json'], { cwd: dir });
      assert.equal(r.code, 64, `${argv.join(' ')}: ${r.stderr}`);
      const d = JSON.parse(r.stdout);
      assertMatchesSchema('envelope.schema.json', d);
      assert.equal(d.exitCode, 64);
      assert.equal(d.error.exitCode, 64);
      assert.match(d.error.message, message);
      assert.match(r.stderr, message, 'the message is on stderr too');
    }
  });
});

test('--json: a desired-state verb\'s document is the envelope, then its result', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['new-app', '--name', 'Contract Portal', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assertMatchesSchema('envelope.schema.json', d);
    assert.deepEqual(Object.keys(d).slice(0, 5), ['verb', 'schemaVersion', 'toolVersion', 'exitCode', 'generatedAt']);
    assert.equal(d.verb, 'new-app');
    assert.equal(d.schemaVersion, 1);
    assert.equal(d.toolVersion, packageVersion());
    assert.equal(d.exitCode, 0);
    assert.ok(!Number.isNaN(Date.parse(d.generatedAt)));
    assert.equal(d.created, true);
  });
});

test('an invalid config is 65 (the file is wrong), named before any sign-in or network; a config that names no application too', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), "{ version: 1, portal: { url: 'http://portal.abc.com:4443', restApiPort: 4443 } }\n");
    const bad = await runMain(['apply', '--json'], { cwd: dir });
    assert.equal(bad.code, 65);
    assert.equal(JSON.parse(bad.stdout).error.problems[0].path, 'portal.url');
    // a valid config that names no application: no sign-in is attempted (no AZURE_* here: auto would fail at once, but with another message)
    await writeFile(join(dir, 'entra-portal.json5'), "{ version: 1, region: 'Worldwide', portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 } }\n");
    const none = await runMain(['apply', '--json'], { cwd: dir });
    assert.equal(none.code, 65, none.stderr);
    assert.match(JSON.parse(none.stdout).error.message, /names no application/);
    assert.doesNotMatch(none.stderr, /sign|credential/i);
  });
});

test('an edit verb with --apply takes apply\'s options; without --apply they are a usage error', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['set-app', '--app-id', '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', '--prune'], { cwd: dir });
    assert.equal(r.code, 64);
    assert.match(r.stderr, /set-app: --prune works only with --apply/);
    await assert.rejects(readFile(join(dir, 'entra-portal.json5')), /ENOENT/, 'nothing written');
  });
});

test('every verb has a result schema the envelope schema chooses by `verb` (a new verb cannot ship without one)', async () => {
  const { commands } = await import('../../commands/index.js');
  const { readFileSync } = await import('node:fs');
  const { repoRoot } = await import('../helpers/paths.js');
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'envelope.schema.json'), 'utf8')) as { allOf: { if?: unknown }[] };
  const chosen = new Set<string>();
  const collect = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const verb = (node as { properties?: { verb?: { const?: string; enum?: string[] } } }).properties?.verb;
    if (verb?.const) chosen.add(verb.const);
    for (const v of verb?.enum ?? []) chosen.add(v);
    for (const child of Object.values(node)) collect(child);
  };
  for (const branch of schema.allOf) collect(branch.if);
  for (const c of commands) assert.ok(chosen.has(c.name), `${c.name} has no branch in schemas/envelope.schema.json`);
  assert.ok(chosen.has('version'));
});

test('--json: the customer verbs and version print the envelope too', async () => {
  await withTempDir(async (dir) => {
    const docs: Record<string, any>[] = [];
    for (const argv of [
      ['set-app', '--app-id', '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', '--multi-tenant', '--tenant', 'contoso.onmicrosoft.com'],
      ['set-portal-url', 'https://portal.contoso.com:4443'],
      ['add-customer', '--tenant', 'fabrikam.onmicrosoft.com'],
      ['consent-url', '--tenant', 'fabrikam.onmicrosoft.com'],
      ['remove-customer', '--tenant', 'fabrikam.onmicrosoft.com'],
      ['version'],
    ]) {
      const r = await runMain([...argv, '--json'], { cwd: dir });
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
      const d = JSON.parse(r.stdout);
      assertMatchesSchema('envelope.schema.json', d);
      assert.equal(d.verb, argv[0]);
      docs.push(d);
    }
    assert.match(JSON.stringify(docs[3]), /https:\/\/login\.microsoftonline\.com\/fabrikam\.onmicrosoft\.com\/v2\.0\/adminconsent\?/);
  });
});
