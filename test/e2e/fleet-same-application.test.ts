/**
 * A fleet in git where one config was copied from another without giving it its own application:
 * two configs steering one application would undo each other's changes on every run (with --prune,
 * remove each other's redirect URI). apply refuses to run either, names both, and runs the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';

const config = (file: string, uniqueName: string, host: string) =>
  `{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: '${file}', uniqueName: '${uniqueName}', multiTenant: false }, portal: { url: 'https://${host}:4443', restApiPort: 4443 } }\n`;

test('apply over a fleet: two configs for one application both fail (65, each naming the other), the others run', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'servers'));
    await writeFile(join(dir, 'servers', 'eu.json5'), config('eu', 'portal-eu', 'eu.abc.com'));
    await writeFile(join(dir, 'servers', 'us.json5'), config('us', 'portal-us', 'us.abc.com'));
    await writeFile(join(dir, 'servers', 'us-copy.json5'), config('us-copy', 'portal-us', 'us2.abc.com'));
    const r = await runMain(['apply', '-c', 'servers/*.json5', '--json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assertMatchesSchema('envelope.schema.json', doc);
    const by = (name: string) => doc.results.find((x: { config: string }) => x.config.endsWith(`${name}.json5`));
    assert.equal(by('eu').status, 'changed');
    for (const [name, other] of [['us', 'us-copy'], ['us-copy', 'us']] as const) {
      const entry = by(name);
      assert.equal(entry.status, 'failed');
      assert.equal(entry.exitCode, 65);
      assert.equal(entry.error.code, 'same-application');
      assert.match(entry.error.message, new RegExp(`servers/${other}\\.json5`));
      assert.match(entry.error.message, /portal-us/);
      assert.ok(entry.error.remedy);
      assert.doesNotMatch(await readFile(join(dir, 'servers', `${name}.json5`), 'utf8'), /appId/, `${name} did not run`);
    }
    // the table says it too
    const table = await runMain(['apply', '--what-if', '-c', 'servers/*.json5'], { cwd: dir });
    assert.equal(table.code, 1);
    assert.match(table.stdout, /servers\/us-copy\.json5 .*FAILED\s+the same application as servers\/us\.json5/);
  });
});
