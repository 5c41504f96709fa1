/**
 * Fleets in one process: many configs (two tenants, one folder: one embedded emulator), run
 * concurrently on shared sessions; one result per config, one summary, the worst exit code; a
 * config that does not load is one failed result; the HTML report is self-contained.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../src/context.js';
import { runFleet } from '../../src/fleet/run.js';
import { expandConfigPatterns } from '../../src/fleet/configs.js';
import { renderFleet } from '../../src/fleet/render.js';
import { renderReport } from '../../src/fleet/report.js';
import { createColors } from '../../src/color.js';

function config(name: string, tenant: string): string {
  return `// ${name}\n{\n  version: 1,\n  region: 'Emulator',\n  tenant: '${tenant}',\n  application: { name: 'Portal ${name}', uniqueName: 'portal-${name}', multiTenant: false },\n  portal: { url: 'https://${name}.abc.com:4443', restApiPort: 4443 },\n}\n`;
}

test('a fleet of 12 configs in two tenants: applied, then in sync; one drifts; a broken one fails alone', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-fleet-'));
  try {
    for (let i = 0; i < 12; i++) await writeFile(join(dir, `t${String(i).padStart(2, '0')}.json5`), config(`p${i}`, i % 2 ? 'fabrikam.onmicrosoft.com' : 'contoso.onmicrosoft.com'));
    let stderr = '';
    const ctx = createContext({ cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' }, stderr: { write: (s: string) => ((stderr += s), true) }, stdout: { write: () => true } });
    const { paths, unmatched } = await expandConfigPatterns(['t*.json5', 'missing/*.json5'], dir);
    assert.equal(paths.length, 12);
    assert.deepEqual(unmatched, ['missing/*.json5']);

    const first = await runFleet({ verb: 'apply', configs: paths, parallel: 4 }, ctx);
    assert.deepEqual(first.summary, { total: 12, inSync: 0, changed: 12, drift: 0, failed: 0 }, JSON.stringify(first.results.filter((r) => r.status === 'failed').map((r) => r.error)));
    assert.equal(first.exitCode, 0);
    assert.ok(first.results.every((r) => /^[0-9a-f-]{36}$/.test(r.appId ?? '')), 'every config recorded its appId');
    assert.match(first.results[0]!.log, /Plan: /, 'each run keeps its own narration');
    assert.doesNotMatch(stderr, /Plan: /, 'narrations are not interleaved on stderr');

    const check = await runFleet({ verb: 'apply', configs: paths, apply: { whatIf: true, detailedExitcode: true } }, ctx);
    assert.deepEqual(check.summary, { total: 12, inSync: 12, changed: 0, drift: 0, failed: 0 });
    assert.equal(check.exitCode, 0);

    // one config drifts (a new extra redirect URI), one breaks
    const recorded = await readFile(paths[3]!, 'utf8');
    await writeFile(paths[3]!, recorded.replace('multiTenant: false', "multiTenant: false, extraRedirectUris: ['https://extra.abc.com']"));
    await writeFile(paths[5]!, '{ version: 1, region: "Emulator", application: { uniqueName: 42 } }\n');
    const drift = await runFleet({ verb: 'apply', configs: [...paths], apply: { whatIf: true, detailedExitcode: true }, unmatched }, ctx);
    assert.equal(drift.summary.failed, 2, 'the broken config and the unmatched pattern');
    assert.equal(drift.summary.drift, 1);
    assert.equal(drift.exitCode, 1, 'a failure outranks drift');
    const drifted = drift.results.find((r) => r.status === 'drift')!;
    assert.match(drifted.findings.join('\n'), /spa redirect URI https:\/\/extra\.abc\.com/);
    const broken = drift.results.find((r) => r.config === paths[5])!;
    assert.equal(broken.exitCode, 65);
    assert.match(broken.error!.message, /uniqueName/);

    const table = renderFleet('apply', drift, { color: createColors(0), cwd: dir, columns: 200 });
    assert.match(table, /^CONFIG\s+TENANT\s+APP ID\s+RESULT\s+WHAT$/m);
    assert.match(table, /t05\.json5 .* FAILED/);
    assert.match(table, /14 configs: 10 in sync, 1 drifted, 2 failed\.|13 configs: /);
    const html = renderReport('apply', drift, { cwd: dir, generatedAt: '2026-11-29T00:00:00Z', toolVersion: '0.0.0' });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!extra\.abc\.com|p\d+\.abc\.com)[a-z]/i, 'no script and no external asset');
    assert.ok(html.indexOf('t05.json5') < html.indexOf('t00.json5'), 'failures come first');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
