/**
 * The file-system boundary: reads take only regular files under a cap (a FIFO or /dev/zero never
 * hangs or fills the memory), writes never go through a link, and a dead run's temporaries go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileExclusive, readRegularFile, removeStaleTemporaries, writeFileAtomic } from '../../src/util/fs.js';
import { acquireLock } from '../../src/config/lock.js';
import { systemClock } from '../../src/context.js';
import { InputError } from '../../src/errors.js';
import { withTempDir } from '../helpers/cli.js';
import { deadPid } from '../fixtures/dead-pid.js';

const opts = { maxBytes: 1024, what: 'the test file' };


const refused = (code: string, text: RegExp) => (err: unknown) => err instanceof InputError && err.code === code && err.exitCode === 65 && text.test(err.message);

test('a regular file under the cap is read; a larger one is refused with its size', async () => {
  await withTempDir(async (dir) => {
    const small = join(dir, 'small');
    await writeFile(small, 'x'.repeat(1024));
    assert.equal((await readRegularFile(small, opts)).length, 1024);
    const big = join(dir, 'big');
    await writeFile(big, Buffer.alloc(3 * 1024 * 1024));
    await assert.rejects(readRegularFile(big, opts), refused('file-too-large', /big is 3 MiB; the limit is 1 KiB/));
  });
});

test('a device, a FIFO and a folder are refused at once', async () => {
  await assert.rejects(readRegularFile('/dev/zero', opts), refused('not-a-regular-file', /\/dev\/zero is a device/));
  await withTempDir(async (dir) => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readRegularFile(fifo, opts), refused('not-a-regular-file', /named pipe/));
    await assert.rejects(readRegularFile(dir, opts), refused('not-a-regular-file', /is a folder/));
  });
});

test('noFollow refuses a link, naming it; a missing file is ENOENT for the caller', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'target'), 'secret');
    await symlink(join(dir, 'target'), join(dir, 'link'));
    assert.equal((await readRegularFile(join(dir, 'link'), opts)).toString(), 'secret');
    await assert.rejects(readRegularFile(join(dir, 'link'), { ...opts, noFollow: true }), refused('refused-link', /link is a symbolic link/));
    await assert.rejects(readRegularFile(join(dir, 'missing'), opts), { code: 'ENOENT' });
  });
});

test('writes refuse a link at the final path and leave its target alone', async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'victim');
    await writeFile(target, 'precious');
    await symlink(target, join(dir, 'out'));
    await assert.rejects(writeFileAtomic(join(dir, 'out'), 'overwritten', 0o644), refused('refused-link', /out is a symbolic link/));
    await assert.rejects(createFileExclusive(join(dir, 'out'), 'overwritten', 0o600), refused('refused-link', /out is a symbolic link/));
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    await assert.rejects(createFileExclusive(join(dir, 'dangling'), 'x', 0o600), refused('refused-link', /dangling/));
    assert.equal(await readFile(target, 'utf8'), 'precious');
    assert.deepEqual((await readdir(dir)).sort(), ['dangling', 'out', 'victim'], 'no temporary left behind');
  });
});

test("taking a file's lock removes the temporaries of dead runs, not of live ones nor other files'", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'emulator-state.json');
    const dead = await deadPid();
    const names = [
      `.emulator-state.json.${dead}.0badc0de.tmp`,
      `.emulator-state.json.lock.${dead}.0badc0de.tmp`,
      `.emulator-state.json.${process.pid}.12345678.tmp`,
      `.other.json.${dead}.0badc0de.tmp`,
    ];
    for (const n of names) await writeFile(join(dir, n), '{"signing":{"keyPem":"-----BEGIN PRIVATE KEY-----"}}');
    const lock = await acquireLock(target, { clock: systemClock });
    await lock.release();
    assert.deepEqual((await readdir(dir)).sort(), [names[2], names[3]].sort());
    // a folder only entra-portal writes (the store): every dead run's temporary
    await mkdir(join(dir, 'store'));
    await writeFile(join(dir, 'store', `.store-key.${dead}.00ff00ff.tmp`), 'key');
    assert.deepEqual(await removeStaleTemporaries(join(dir, 'store')), [`.store-key.${dead}.00ff00ff.tmp`]);
  });
});
