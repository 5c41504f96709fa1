/**
 * A fleet apply's findings are what still differs after the run: a change apply made is counted,
 * not listed as if it were pending; what it kept (unmanaged, no --prune) is listed. With --what-if
 * every pending change is listed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';

const config = (name: string) =>
  `{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Findings ${name}', uniqueName: 'findings-${name}', multiTenant: false }, portal: { url: 'https://${name}.abc.com:4443', restApiPort: 4443 } }\n`;

test('fleet apply: a change made is counted, not listed as a difference; the item kept is listed', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'servers'));
    for (const n of ['a', 'b']) await writeFile(join(dir, 'servers', `${n}.json5`), config(n));
    const opts = { cwd: dir };
    assert.equal((await runMain(['apply', '-c', 'servers/*.json5'], opts)).code, 0);
    // a's portal moves: its new redirect URI is added, the old one is not the config's any more (kept)
    assert.equal((await runMain(['set-portal-url', '-c', 'servers/a.json5', 'https://a2.abc.com:4443'], opts)).code, 0);

    const preview = JSON.parse((await runMain(['apply', '--what-if', '-c', 'servers/*.json5', '--json'], opts)).stdout);
    const pending = preview.results.find((x: { config: string }) => x.config.endsWith('a.json5')).findings as string[];
    assert.ok(pending.some((f) => f.startsWith('+ spa redirect URI https://a2.abc.com:4443')), JSON.stringify(pending));

    const r = await runMain(['apply', '-c', 'servers/*.json5', '--json'], opts);
    assert.equal(r.code, 0, r.stderr);
    const a = JSON.parse(r.stdout).results.find((x: { config: string }) => x.config.endsWith('a.json5'));
    assert.equal(a.status, 'drift', 'the old redirect URI was kept');
    assert.ok(!a.findings.some((f: string) => f.includes('https://a2.abc.com:4443')), `made, not pending: ${JSON.stringify(a.findings)}`);
    assert.ok(a.findings.some((f: string) => /^! spa redirect URI https:\/\/a\.abc\.com:4443/.test(f)), JSON.stringify(a.findings));
    assert.ok(a.findings.includes('1 change made'), JSON.stringify(a.findings));
  });
});
