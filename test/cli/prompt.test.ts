/**
 * Ctrl-C at the hidden password prompt is an interruption like any other: exit 130, "nothing was
 * changed", the config untouched. The terminal is in raw mode at the prompt, so Ctrl-C arrives as a
 * key (\x03) on stdin, not as SIGINT: a stdin that says it is a terminal is enough to show it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { generateSelfSigned, writePfx } from '../../src/certs/index.js';
import { runMain, withTempDir } from '../helpers/cli.js';

/** A stdin that claims to be a terminal (what @inquirer/prompts checks), typed into by the test. */
function terminal(): PassThrough & { isTTY: boolean; setRawMode(on: boolean): void } {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
}

test('Ctrl-C at the PFX password prompt: exit 130, nothing written', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const cert = await generateSelfSigned({ subject: 'CN=Prompt' });
    assert.equal((await runMain(['new-app', '--name', 'Prompt Portal'], { cwd: dir })).code, 0);
    const config = await readFile(join(dir, 'entra-portal.json5'), 'utf8');
    await writeFile(join(dir, 'portal.pfx'), await writePfx({ keyPem: cert.keyPem, certsDer: [Buffer.from(cert.info.derBase64, 'base64')], password: 'secret' }));
    const stdin = terminal();
    let stderr = '';
    let pressed = false;
    const stdout = { text: '', write(s: string) { this.text += s; return true; } };
    // the prompt writes to a real stream (it pipes to it, and ends it when done, as it cannot end a
    // process's stderr: here too the stream stays open for what follows)
    const errSink: PassThrough & { isTTY: boolean } = Object.assign(new PassThrough(), { isTTY: true });
    errSink.end = (() => errSink) as never;
    errSink.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // the prompt is up: press Ctrl-C
      if (/Password for/.test(stderr) && !pressed) {
        pressed = true;
        stdin.write('\x03');
      }
    });
    const code = await main(['install-cert', '--pfx', 'portal.pfx'], { cwd: dir, env: { NO_COLOR: '1', HOME: dir, XDG_DATA_HOME: join(dir, '.xdg') }, stdin, stdout, stderr: errSink });
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopped at the password prompt; nothing was changed/);
    assert.equal(stdout.text, '');
    assert.deepEqual((await readdir(dir)).sort(), ['entra-portal.json5', 'portal.pfx'], 'no certs/, no store');
    assert.equal(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), config);
  });
});
