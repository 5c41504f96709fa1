/**
 * Stale-lock takeover under contention: several processes find the same stale lock at once, round
 * after round; at no moment may two of them hold the lock (each proves it is alone with an exclusive
 * marker file: test/fixtures/lock-contender.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { acquireLock } from '../../src/config/lock.js';
import { systemClock } from '../../src/context.js';
import { withTempDir } from '../helpers/cli.js';
import { nodeScript } from '../helpers/paths.js';
import { deadPid } from '../fixtures/dead-pid.js';

const CONTENDERS = 6;
const ROUNDS = 15;
const contender = nodeScript(new URL('../fixtures/lock-contender.js', import.meta.url));


interface Worker {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function startWorker(target: string): Worker {
  const child = spawn(process.execPath, [...contender, target], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  lines.on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else queue.push(l);
  });
  return { child, next: () => new Promise((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve))) };
}

test(`${CONTENDERS} processes taking over a stale lock, ${ROUNDS} rounds: never two holders`, { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'entra-portal.json5');
    await writeFile(target, '{ version: 1 }\n');
    const workers = Array.from({ length: CONTENDERS }, () => startWorker(target));
    try {
      for (const w of workers) assert.equal(await w.next(), 'ready');
      const verdicts: string[] = [];
      for (let r = 1; r <= ROUNDS; r++) {
        const pid = await deadPid();
        await writeFile(`${target}.lock`, JSON.stringify({ pid, host: hostname(), time: new Date().toISOString() }));
        for (const w of workers) w.child.stdin.write(`go ${r}\n`);
        for (const w of workers) verdicts.push(await w.next());
      }
      const bad = verdicts.filter((v) => !v.endsWith(' ok'));
      assert.deepEqual(bad, [], `${bad.length} of ${verdicts.length} acquisitions were not alone`);
      assert.equal(verdicts.length, CONTENDERS * ROUNDS);
    } finally {
      for (const w of workers) w.child.kill();
    }
  });
});

test("release() removes only the run's own lock", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, 'c.json5');
    const lock = await acquireLock(target, { clock: systemClock });
    const other = JSON.stringify({ pid: process.pid + 1, host: hostname(), time: new Date().toISOString(), nonce: 'another-run' });
    await writeFile(lock.path, other); // as if another run held it now
    await lock.release();
    assert.equal(await readFile(lock.path, 'utf8'), other, 'the other run keeps its lock');
  });
});
