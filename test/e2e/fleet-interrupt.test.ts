/**
 * Ctrl-C during a fleet apply (in-process main() with its stop signal, as bin/ gives it): the
 * config in progress stops at its next step, no further config starts, and the run exits 130
 * saying which configs were done, which stopped and which never started.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runMain, withTempDir } from '../helpers/cli.js';

const config = (name: string) =>
  `{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Stop ${name}', uniqueName: 'stop-${name}', multiTenant: false }, portal: { url: 'https://${name}.abc.com:4443', restApiPort: 4443 } }\n`;

test('SIGINT during a fleet apply: the running config stops, no other starts, exit 130 with what was done', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'servers'));
    for (const n of ['a', 'b', 'c']) await writeFile(join(dir, 'servers', `${n}.json5`), config(n));
    const stop = new AbortController();
    // every Graph answer waits 300 ms: the first config is still running when its first write lands
    const run = runMain(['apply', '-c', 'servers/*.json5', '--parallel', '1'], { cwd: dir, env: { ENTRA_PORTAL_EMULATOR_FAULTS: 'latency=300' }, signal: stop.signal });
    // the embedded emulator journals each write before answering it: stop after the first one
    const journal = join(dir, 'servers', '.entra-portal', 'emulator-state.json.journal');
    const size = async () => (await stat(journal).catch(() => undefined))?.size ?? 0;
    const start = await (async () => {
      for (;;) {
        const s = await size();
        if (s > 0) return s;
        await sleep(20);
      }
    })();
    for (let s = start; s === start; s = await size()) await sleep(20);
    stop.abort('SIGINT');
    const r = await run;

    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /apply stopped \(SIGINT\)/);
    assert.match(r.stderr, /servers\/a\.json5/, 'names the config that was running');
    assert.match(r.stderr, /not started: servers\/b\.json5, servers\/c\.json5/);
    for (const n of ['b', 'c']) assert.doesNotMatch(await readFile(join(dir, 'servers', `${n}.json5`), 'utf8'), /appId/, `${n} never ran`);
  });
});
