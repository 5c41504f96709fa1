/**
 * The fleet through the CLI (in-process main()): `-c` repeated and as a quoted pattern, one summary
 * table, one JSON document `{fleet, results, summary}` that matches its schema inside the
 * envelope, the worst exit code, `--report` writing a self-contained page, and a single `-c` that
 * keeps the single-config shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';

const config = (name: string, tenant: string) =>
  `{ version: 1, region: 'Emulator', tenant: '${tenant}', application: { name: 'Fleet ${name}', uniqueName: 'fleet-${name}', multiTenant: false }, portal: { url: 'https://${name}.abc.com:4443', restApiPort: 4443 } }\n`;

test("apply over -c 'tenants/*.json5': one table, one JSON document, the worst exit code, an HTML report", { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'tenants'));
    for (const [i, tenant] of ['contoso', 'fabrikam', 'contoso', 'fabrikam'].entries()) {
      await writeFile(join(dir, 'tenants', `c${i}.json5`), config(`c${i}`, `${tenant}.onmicrosoft.com`));
    }
    const opts = { cwd: dir, timeoutMs: 120_000 };
    const applied = await runMain(['apply', '-c', 'tenants/*.json5', '--parallel', '2'], opts);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /^CONFIG\s+TENANT\s+APP ID\s+RESULT\s+WHAT$/m);
    assert.match(applied.stdout, /4 configs: 0 in sync, 4 applied, 0 drifted, 0 failed\./);
    assert.match(applied.stderr, /apply: 4 configs, 2 at a time/);

    const check = await runMain(['apply', '--what-if', '--detailed-exitcode', '-c', 'tenants/c0.json5', '-c', 'tenants/c1.json5', '--json'], opts);
    assert.equal(check.code, 0, check.stderr);
    const doc = JSON.parse(check.stdout);
    assertMatchesSchema('envelope.schema.json', doc);
    assert.equal(doc.fleet, true);
    assert.deepEqual(doc.summary, { total: 2, inSync: 2, changed: 0, drift: 0, failed: 0 });
    assert.equal(doc.results[0].result.inSync, true);

    // one config drifts, another does not load: exit 1 (a failure outranks drift), the rest still run
    const c2 = join(dir, 'tenants', 'c2.json5');
    await writeFile(c2, (await readFile(c2, 'utf8')).replace("multiTenant: false", "multiTenant: true"));
    await writeFile(join(dir, 'tenants', 'c3.json5'), '{ version: 1, region: "Emulator", application: { uniqueName: [] } }\n');
    const drift = await runMain(['apply', '--what-if', '--detailed-exitcode', '-c', 'tenants/*.json5', '--report', 'drift.html', '--json'], opts);
    assert.equal(drift.code, 1, drift.stderr);
    const d = JSON.parse(drift.stdout);
    assertMatchesSchema('envelope.schema.json', d);
    assert.deepEqual(d.summary, { total: 4, inSync: 2, changed: 0, drift: 1, failed: 1 });
    assert.equal(d.exitCode, 1);
    const html = await readFile(join(dir, 'drift.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /application\.signInAudience: AzureADMyOrg → AzureADMultipleOrgs/);
    assert.doesNotMatch(html, /<script|<link|src=/i);

    // without the broken one, drift alone is exit 2
    const only = await runMain(['apply', '--what-if', '--detailed-exitcode', '-c', 'tenants/c[0-2].json5'], opts);
    assert.equal(only.code, 2, only.stderr);

    // a pattern that matches nothing at all is invalid input (the files are not there), not a silent success
    const none = await runMain(['apply', '--what-if', '-c', 'nowhere/*.json5'], opts);
    assert.equal(none.code, 65);
    assert.match(none.stderr, /no config file matches nowhere\/\*\.json5/);

    // a single -c keeps the single-config document
    const single = await runMain(['apply', '--what-if', '-c', 'tenants/c0.json5', '--json'], opts);
    assert.equal(single.code, 0, single.stderr);
    assert.equal(JSON.parse(single.stdout).fleet, undefined);
    assertMatchesSchema('envelope.schema.json', JSON.parse(single.stdout));
  });
});

test('test-portal over a fleet: every config checked in one process; a failing check is exit 2', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    for (const i of [0, 1]) await writeFile(join(dir, `p${i}.json5`), config(`p${i}`, 'contoso.onmicrosoft.com').replace(/https:\/\/p\d\.abc\.com:4443/, 'https://127.0.0.1:9').replace('restApiPort: 4443', 'restApiPort: 9'));
    const r = await runMain(['test-portal', '-c', 'p*.json5', '--timeout', '2', '--json'], { cwd: dir, timeoutMs: 120_000 });
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stdout);
    assertMatchesSchema('envelope.schema.json', doc);
    assert.equal(doc.summary.total, 2);
    assert.ok(doc.results.every((x: { status: string; findings: string[] }) => x.status === 'drift' && x.findings.some((f) => f.startsWith('entra.app: ') || f.startsWith('tcp: '))));
  });
});
