/**
 * `entra-portal emulator` says how to use it from a config and a shell: a paste-ready
 * `endpoints: {…}` snippet and the exports, and with --json an absolute caFile even when --state is
 * relative. In-process: the run's signal stops it (bin/ aborts it on SIGINT/SIGTERM), exit 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { cliEnv, runCli, withTempDir } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';
import { TEST_PKI_FILE } from '../helpers/pki.js';

/**
 * Run the emulator verb; as soon as its start-up output is written, stop it as a signal would
 * (the output is written once it listens, before the run waits for the signal).
 */
async function emulator(args: string[], dir: string) {
  const stop = new AbortController();
  const stdout = { text: '', write: (s: string) => ((stdout.text += s), stop.abort('SIGTERM'), true) };
  const stderr = { text: '', write: (s: string) => ((stderr.text += s), true) };
  const env = { ...cliEnv({ cwd: dir }), ENTRA_PORTAL_EMULATOR_PKI: TEST_PKI_FILE };
  const code = await main(['emulator', '--state', 'state/emulator-state.json', ...args], { cwd: dir, env, stdout, stderr, signal: stop.signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('human start-up text: the endpoints snippet for a config and the shell exports, ready to paste', async () => {
  await withTempDir(async (dir) => {
    const r = await emulator([], dir);
    assert.equal(r.code, 0, r.stderr);
    const url = /Entra emulator listening at (https:\/\/127\.0\.0\.1:\d+)/.exec(r.stdout)?.[1];
    assert.ok(url, r.stdout);
    assert.ok(r.stdout.includes(`  endpoints: { graph: '${url}', login: '${url}' },`), r.stdout);
    const ca = /export NODE_EXTRA_CA_CERTS='([^']+)'/.exec(r.stdout)?.[1];
    assert.ok(ca && isAbsolute(ca), `an absolute CA file: ${ca}`);
    for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']) assert.match(r.stdout, new RegExp(`\\n  export ${name}='[^']+'\\n`));
    assert.match(r.stdout, /--auth environment/);
    // --state is relative to the run's folder, not the process's
    assert.ok(existsSync(join(dir, 'state', 'emulator-state.json')), 'the state file is in the run\'s folder');
  });
});

test('--json: one line, the envelope, an absolute caFile although --state is relative, endpoints and environment', async () => {
  await withTempDir(async (dir) => {
    const r = await emulator(['--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
    const doc = JSON.parse(r.stdout);
    assertMatchesSchema('envelope.schema.json', doc);
    assert.equal(doc.verb, 'emulator');
    assert.ok(isAbsolute(doc.caFile), doc.caFile);
    assert.deepEqual(doc.endpoints, { graph: doc.url, login: doc.url });
    assert.equal(doc.environment.NODE_EXTRA_CA_CERTS, doc.caFile);
    assert.equal(doc.environment.AZURE_CLIENT_ID, doc.tenants[0].operator.clientId);
  });
});

test('the printed snippet and exports work as printed: apply --what-if --auth environment signs in to the running emulator (the exports lacked the trust its custom endpoints need: 65)', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const stop = new AbortController();
    let ready: () => void;
    const listening = new Promise<void>((resolve) => (ready = resolve));
    const stdout = { text: '', write: (s: string) => ((stdout.text += s), stdout.text.includes('Press Ctrl+C') && ready(), true) };
    const stderr = { text: '', write: (s: string) => ((stderr.text += s), true) };
    const env = { ...cliEnv({ cwd: dir }), ENTRA_PORTAL_EMULATOR_PKI: TEST_PKI_FILE };
    const running = main(['emulator'], { cwd: dir, env, stdout, stderr, signal: stop.signal });
    try {
      await listening;
      const snippet = stdout.text.split('\n').filter((l) => /^ {2}(endpoints|tenant):/.test(l)).join('\n');
      const exports = Object.fromEntries([...stdout.text.matchAll(/^ {2}export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
      await writeFile(
        join(dir, 'entra-portal.json5'),
        `{\n  version: 1,\n${snippet}\n  application: { name: 'Pasted Portal', uniqueName: 'pasted-portal' },\n  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },\n}\n`,
      );
      // NODE_EXTRA_CA_CERTS is read at process start: a real process, with exactly the printed exports
      const r = await runCli(['apply', '--what-if', '--auth', 'environment'], { cwd: dir, env: exports });
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /^Drift: \d+ changes pending/, 'it signed in and read Entra');
    } finally {
      stop.abort('SIGTERM');
      assert.equal(await running, 0);
    }
  });
});
