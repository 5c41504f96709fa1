import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unifiedDiff } from '../../src/config/diff.js';
import { withTempDir } from '../helpers/cli.js';

/** Apply a diff with the system's `patch`: the real consumer of the format. */
function patch(dir: string, file: string, diff: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('patch', ['--quiet', '--force', file], { cwd: dir }, (err, _out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()));
    child.stdin!.end(diff);
  });
}

test('equal texts give an empty diff', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x'), '');
});

test('one changed line: a hunk with three lines of context', () => {
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
  const after = before.replace('5\n', 'five\n');
  assert.equal(unifiedDiff(before, after, 'f.json5'), '--- a/f.json5\n+++ b/f.json5\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
});

test('a new file is diffed against /dev/null', () => {
  assert.equal(unifiedDiff(undefined, 'a\nb\n', 'n.json5'), '--- /dev/null\n+++ b/n.json5\n@@ -0,0 +1,2 @@\n+a\n+b\n');
});

test('a missing final newline is marked', () => {
  assert.equal(unifiedDiff('a\nb', 'a\nb\n', 'f'), '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
});

test('patch(1) turns before into after for varied edits', async () => {
  // a deterministic pseudo-random generator: the same cases on every run
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  await withTempDir(async (dir) => {
    for (let round = 0; round < 40; round++) {
      const lines = Array.from({ length: 5 + rnd(40) }, (_, i) => `line ${i} ${rnd(3)}`);
      const edited = [...lines];
      for (let k = 0; k < 1 + rnd(6); k++) {
        const at = rnd(edited.length + 1);
        const op = rnd(3);
        if (op === 0) edited.splice(at, 0, `inserted ${round}.${k}`);
        else if (op === 1 && edited.length > 1) edited.splice(Math.min(at, edited.length - 1), 1);
        else edited[Math.min(at, edited.length - 1)] = `changed ${round}.${k}`;
      }
      const before = `${lines.join('\n')}\n`;
      const after = `${edited.join('\n')}${rnd(4) === 0 ? '' : '\n'}`;
      const file = join(dir, 'f.txt');
      await writeFile(file, before);
      const diff = unifiedDiff(before, after, 'f.txt');
      if (before === after) continue;
      await patch(dir, 'f.txt', diff);
      assert.equal(await readFile(file, 'utf8'), after, `round ${round}:\n${diff}`);
    }
  });
});
