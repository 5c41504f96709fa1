import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, utimes, access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../../src/config/lock.js';
import type { Clock } from '../../src/context.js';
import { LockedError } from '../../src/errors.js';
import { withTempDir } from '../helpers/cli.js';
import { deadPid } from '../fixtures/dead-pid.js';

/** A clock that jumps forward when slept on: lock timeouts without waiting. */
function fakeClock(): Clock & { slept: number } {
  let t = Date.parse('2026-11-27T12:00:00Z');
  const clock = {
    slept: 0,
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      clock.slept += ms;
    },
  };
  return clock;
}


const exists = (p: string) => access(p).then(() => true, () => false);

test('the lock file holds pid, host and time, and is removed on release', async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'c.json5');
    const lock = await acquireLock(target, { clock: fakeClock() });
    assert.equal(lock.path, `${target}.lock`);
    const info = JSON.parse(await readFile(lock.path, 'utf8')) as { pid: number; host: string; time: string };
    assert.equal(info.pid, process.pid);
    assert.equal(info.host, hostname());
    assert.match(info.time, /^2026-11-27T12:00:00/);
    await lock.release();
    assert.equal(await exists(lock.path), false);
  });
});

test('a held lock makes a second run wait, then fail naming the lock', async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'c.json5');
    const held = await acquireLock(target, { clock: fakeClock() });
    const clock = fakeClock();
    let waited = false;
    await assert.rejects(
      acquireLock(target, { clock, timeoutMs: 5000, onWait: () => (waited = true) }),
      (err: unknown) =>
        err instanceof LockedError &&
        err.exitCode === 75 &&
        err.code === 'config-locked' &&
        err.holder?.pid === process.pid &&
        err.message.includes(`pid ${process.pid}`) &&
        (err.remedy ?? '').includes(`${target}.lock`),
    );
    assert.ok(waited, 'told the user it is waiting');
    assert.ok(clock.slept >= 5000, 'waited the whole budget');
    await held.release();
  });
});

test('a lock released while waiting is taken', async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'c.json5');
    const held = await acquireLock(target, { clock: fakeClock() });
    const clock: Clock = {
      now: () => 0,
      sleep: async () => {
        await held.release(); // the other run finishes during our first poll
      },
    };
    const second = await acquireLock(target, { clock, timeoutMs: 1000 });
    assert.equal(JSON.parse(await readFile(second.path, 'utf8')).pid, process.pid);
    await second.release();
  });
});

test('a stale lock from a dead process on this host is taken over', async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'c.json5');
    const pid = await deadPid();
    await writeFile(`${target}.lock`, JSON.stringify({ pid, host: hostname(), time: '2026-01-01T00:00:00Z' }));
    const clock = fakeClock();
    const lock = await acquireLock(target, { clock, timeoutMs: 1000 });
    assert.equal(clock.slept, 0, 'no waiting for a dead holder');
    assert.equal(JSON.parse(await readFile(lock.path, 'utf8')).pid, process.pid);
    await lock.release();
  });
});

test('an unreadable lock is stale only once it is old; a lock from another host is never taken', async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'c.json5');
    await writeFile(`${target}.lock`, '');
    await assert.rejects(acquireLock(target, { clock: fakeClock(), timeoutMs: 200 }), LockedError);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${target}.lock`, old, old);
    const lock = await acquireLock(target, { clock: { now: () => Date.now(), sleep: async () => undefined }, timeoutMs: 200 });
    await lock.release();

    await writeFile(`${target}.lock`, JSON.stringify({ pid: 1, host: 'some-other-host', time: '2026-01-01T00:00:00Z' }));
    await assert.rejects(acquireLock(target, { clock: fakeClock(), timeoutMs: 200 }), /held by pid 1 on some-other-host/);
  });
});
