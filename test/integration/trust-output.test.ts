/**
 * Terminal escapes: whoever can edit the application in Entra (or a comment in the config, or name a
 * file) must not be able to clear, retitle or rewrite the operator's terminal. Human output shows
 * control characters as escapes; --json keeps the exact values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeControl, escapeControlLines } from '../../src/util/text.js';
import { startEmulator } from '../../src/emulator/index.js';
import { graphClientFor } from '../helpers/emulator.js';
import { runMain, withTempDir } from '../helpers/cli.js';
import { EMULATOR_CONFIG } from '../fixtures/emulator-config.js';
import { testPki } from '../helpers/pki.js';

const HOSTILE = 'Portal\x1b]0;pwned\x07\x1b[2J\r\u202eevil';

test('escapeControl escapes C0/C1 controls, DEL, bidi overrides and lone surrogates; keeps other text', () => {
  assert.equal(escapeControl(HOSTILE), 'Portal\\x1b]0;pwned\\x07\\x1b[2J\\r\\u202eevil');
  assert.equal(escapeControl('a\nb\tc\u0085d\u007fe\ud800f'), 'a\\nb\\tc\\x85d\\x7fe\\ud800f');
  assert.equal(escapeControl('Café ☕ 𝄞 — “quoted”'), 'Café ☕ 𝄞 — “quoted”');
  assert.equal(escapeControlLines('line 1\r\nline\x1b 2\n'), 'line 1\nline\\x1b 2\n');
});

const CONFIG = EMULATOR_CONFIG;

test("a display name edited in Entra with escape sequences is shown escaped by test-portal; --json keeps it", { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
    const applied = await runMain(['apply', '--json'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    const appId = (JSON.parse(applied.stdout) as { appId: string }).appId;
    // someone else edits the application in Entra
    const emu = await startEmulator({ statePath: join(dir, '.entra-portal', 'emulator-state.json'), pki: testPki });
    try {
      const tenant = await emu.ensureTenant('contoso.onmicrosoft.com');
      await graphClientFor(emu, tenant).api(`/applications(appId='${appId}')`).patch({ displayName: HOSTILE });
    } finally {
      await emu.stop();
    }
    const human = await runMain(['test-portal', '--timeout', '1'], { cwd: dir });
    assert.match(human.stdout, /Portal\\x1b\]0;pwned\\x07\\x1b\[2J\\r\\u202eevil/);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\u202e]/.test(human.stdout + human.stderr), 'no raw control character reaches the terminal');
    const json = await runMain(['test-portal', '--timeout', '1', '--json'], { cwd: dir });
    const doc = JSON.parse(json.stdout) as { checks: { id: string; message: string }[] };
    assert.ok(doc.checks.some((c) => c.message.includes(HOSTILE)), 'the exact name, control characters included');
  });
});

test('a config comment and a file name with escape sequences are shown escaped (diff, messages)', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), `// owner: ops\x1b]0;pwned\x07\n{\n  version: 1,\n}\n`);
    const human = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--what-if'], { cwd: dir });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /ops\\x1b\]0;pwned\\x07/);
    assert.ok(!human.stdout.includes('\x1b'));
    const json = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--what-if', '--json'], { cwd: dir });
    assert.ok((JSON.parse(json.stdout) as { diff: string }).diff.includes('ops\x1b]0;pwned\x07'));

    const missing = await runMain(['apply', '-c', 'tenant\x1b[2J.json5'], { cwd: dir });
    assert.equal(missing.code, 65);
    assert.match(missing.stderr, /tenant\\x1b\[2J\.json5 does not exist/);
    assert.ok(!missing.stderr.includes('\x1b'));
  });
});
