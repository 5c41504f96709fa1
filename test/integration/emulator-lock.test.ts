/**
 * The emulator's state lock: a lock file another process is still writing (empty, fresh) is not
 * taken for stale; an empty lock left long ago, or one whose process is gone, is taken over.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { hostname } from 'node:os';
import { startEmulator } from '../../src/emulator/index.js';
import { testPki } from '../helpers/pki.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-lock-'));
});
after(() => rm(dir, { recursive: true, force: true }));

it('a fresh, still empty lock file is respected (its writer is mid-way), not deleted as stale', async () => {
  const state = join(dir, 'fresh.json');
  await writeFile(`${state}.lock`, '');
  await assert.rejects(startEmulator({ statePath: state }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'emulator-state-locked');
    return true;
  });
});

it('an empty lock file older than the grace period, and a dead holder, are taken over', async () => {
  const old = join(dir, 'old.json');
  await writeFile(`${old}.lock`, '');
  const past = new Date(Date.now() - 60_000);
  await utimes(`${old}.lock`, past, past);
  const a = await startEmulator({ statePath: old, pki: testPki });
  await a.stop();

  const dead = join(dir, 'dead.json');
  await writeFile(`${dead}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), time: new Date().toISOString() }));
  const b = await startEmulator({ statePath: dead, pki: testPki });
  await b.stop();
});

it('a second emulator on a held state file is told at once, naming the holder', async () => {
  const state = join(dir, 'held.json');
  const first = await startEmulator({ statePath: state, pki: testPki });
  try {
    await assert.rejects(startEmulator({ statePath: state }), /already open in this process/);
  } finally {
    await first.stop();
  }
});
