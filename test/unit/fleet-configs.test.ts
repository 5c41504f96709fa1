/** `-c` patterns: expanded by the tool (Node 20 has no glob), shell-like, never following links into loops. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandConfigPatterns, isPattern, segmentRegExp } from '../../src/fleet/configs.js';

test('what is a pattern: *, ?, a closed [...] class; a lone [ or an escape sequence is not', () => {
  assert.equal(isPattern('a/*.json5'), true);
  assert.equal(isPattern('c?.json5'), true);
  assert.equal(isPattern('c[0-9].json5'), true);
  assert.equal(isPattern('tenant\x1b[2J.json5'), false);
  assert.equal(isPattern('plain/file.json5'), false);
  assert.ok(segmentRegExp('c[!0].json5').test('c1.json5'));
  assert.ok(!segmentRegExp('c[!0].json5').test('c0.json5'));
  assert.ok(segmentRegExp('a.b+c(d).json5').test('a.b+c(d).json5'), 'regex characters are literal');
});

test('expansion: sorted absolute paths, ** across folders, dot-folders and linked folders skipped, paths kept as given', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-glob-'));
  try {
    for (const f of ['a/x.json5', 'a/b/y.json5', 'a/b/c/z.json5', '.git/w.json5', 'a/.hidden.json5', 'a/note.txt']) {
      await mkdir(join(dir, f, '..'), { recursive: true });
      await writeFile(join(dir, f), '{}');
    }
    await symlink(join(dir, 'a'), join(dir, 'a', 'b', 'loop'));
    const all = await expandConfigPatterns(['**/*.json5'], dir);
    assert.deepEqual(all.paths.map((p) => p.slice(dir.length + 1)), ['a/b/c/z.json5', 'a/b/y.json5', 'a/x.json5']);
    const one = await expandConfigPatterns(['a/*.json5', 'a/x.json5', 'missing.json5', 'none/*.json5'], dir);
    assert.deepEqual(one.paths.map((p) => p.slice(dir.length + 1)), ['a/x.json5', 'missing.json5']);
    assert.deepEqual(one.unmatched, ['none/*.json5']);
    const dot = await expandConfigPatterns(['a/.*.json5'], dir);
    assert.deepEqual(dot.paths.map((p) => p.slice(dir.length + 1)), ['a/.hidden.json5'], 'a pattern that starts with a dot may match dot-files');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
