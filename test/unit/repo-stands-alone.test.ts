/**
 * The repository stands alone: a comment or document cites a file in the repository or a public
 * URL, never notes a maintainer cannot open. This scans the sources, tests, docs, schemas and README
 * (a few hundred small files, well under a second) for
 *   - citations of the design team's private notes (their design, style and reference files, and
 *     section numbers into them), internal issue numbers and team-role headers;
 *   - `docs/<page>.md` mentions and relative Markdown links whose file does not exist.
 * What a maintainer needs goes into docs/ (docs/architecture.md lists the pages), with public URLs
 * as sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

/** What is scanned: every text file under these folders, plus these root files. */
const FOLDERS = ['src', 'commands', 'test', 'bench', 'scripts', 'docs', 'schemas', 'bin', '.ci'];
const ROOT_FILES = ['README.md', 'package.json'];
const TEXT = /\.(?:ts|js|mjs|cjs|json|md|json5)$|^run$/;
/** This file names the patterns it looks for. */
const SELF = join('test', 'unit', 'repo-stands-alone.test.ts');

/** Citations of files that are not in the repository; each with what to do instead. */
const FORBIDDEN: { pattern: RegExp; what: string }[] = [
  { pattern: /\bDESIGN(?:\.md\b|\s*(?:§|\\u00a7))/, what: 'a section of the private design notes' },
  { pattern: /\bSTYLE(?:\.md\b|\s*#\s*\d)/, what: 'a habit of the private style notes' },
  { pattern: /graph-behaviour\.md|\blibraries\.md|\binterfaces\.md/, what: 'a private reference file on Graph or the libraries' },
  { pattern: /(?<![\w/-])restore-portal\.md/, what: 'the private reference file on VB365' },
  { pattern: /(?<![\w-])reference\/[\w-]+\.md|\bshared\/(?:DESIGN|STYLE|reference|notes)\b|\/work\/shared\b/, what: 'a private reference folder' },
  { pattern: /\(owner: [^)]*\)|\b[A-Z]{2,} engineer\b|\bevery engineer's\b/, what: 'a team-role header' },
  { pattern: /\b[Ii]ssue \d+\b/, what: 'an internal issue number (cite a public URL such as https://github.com/<owner>/<repo>/issues/<n>)' },
];

async function scannedFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of FOLDERS) {
    const abs = join(repoRoot, folder);
    if (!existsSync(abs)) continue;
    for (const entry of await readdir(abs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !TEXT.test(entry.name)) continue;
      // readdir's recursive entries carry their folder in `parentPath` (Node ≥ 20.12) or `path`
      const parent = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? abs;
      const rel = relative(repoRoot, join(parent, entry.name));
      if (rel.split(sep).includes('node_modules')) continue;
      files.push(rel);
    }
  }
  for (const f of ROOT_FILES) if (existsSync(join(repoRoot, f))) files.push(f);
  return files.filter((f) => f !== SELF).sort();
}

const files = await scannedFiles();
const texts = new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(repoRoot, f), 'utf8')] as const)));

/** `file:line: text` of every line of every scanned file that matches. */
function findings(match: (line: string, file: string) => boolean): string[] {
  const out: string[] = [];
  for (const [file, text] of texts) {
    text.split('\n').forEach((line, i) => {
      if (match(line, file)) out.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
    });
  }
  return out;
}

test('the scan sees the repository (sources, tests, docs, README)', () => {
  for (const f of ['src/errors.ts', 'README.md', 'docs/architecture.md', 'test/helpers/paths.ts']) {
    assert.ok(texts.has(f.split('/').join(sep)), `${f} was not scanned`);
  }
});

for (const { pattern, what } of FORBIDDEN) {
  test(`no comment or doc cites ${what}`, () => {
    const found = findings((line) => pattern.test(line));
    assert.deepEqual(found, [], `Cite docs/<page>.md or a public URL instead of ${what}:\n${found.join('\n')}`);
  });
}

test('every docs/<page>.md a file names exists', () => {
  const missing = findings((line) => [...line.matchAll(/(?<![\w./-])docs\/([\w./-]+?\.md)\b/g)].some((m) => !existsSync(join(repoRoot, 'docs', m[1]!))));
  assert.deepEqual(missing, [], `These name a docs page that does not exist:\n${missing.join('\n')}`);
});

test('relative links in the README and docs/ point at files that exist', () => {
  const broken = findings((line, file) => {
    if (!file.endsWith('.md')) return false;
    return [...line.matchAll(/\]\(([^)#\s]+)(?:#[^)\s]*)?\)/g)].some(([, target]) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) return false; // https:, mailto: …
      return !existsSync(join(repoRoot, dirname(file), target!));
    });
  });
  assert.deepEqual(broken, [], `Broken relative links:\n${broken.join('\n')}`);
});
