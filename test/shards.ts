/**
 * `npm test` runs the compiled test files in a few shared processes ("shards") instead of one process
 * per file: each shard is an entry module that statically imports its share of the test files, so
 * node, the test runner, the libraries (Graph client, @azure/identity, the emulator) and their JIT
 * warm-up are paid once per shard, not once per file (measured: about a third of the suite's CPU).
 *
 *   node dist/test/shards.js [count]   → dist/test/shards/<n>.test.js, then node --test runs those
 *
 * Static imports keep each file's top-level hooks working as in a process of its own: every file's
 * `before` runs before the shard's first test and every `after` after its last. What a shared
 * process does change: a test must not depend on being alone in its process (process.env, the cwd,
 * process-wide handles, signal handlers); tests already take those from their context.
 * Files are dealt largest first, round robin, so the shards are of similar size. A file can still
 * be run on its own from source: node --import tsx --test test/unit/foo.test.ts.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const FOLDERS = ['unit', 'integration', 'cli', 'e2e'];

const root = dirname(fileURLToPath(import.meta.url));
const count = Number(process.argv[2] ?? 8);
const out = join(root, 'shards');

const files = FOLDERS.flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => join(root, folder, f)),
).sort((a, b) => statSync(b).size - statSync(a).size || a.localeCompare(b));

const shards: string[][] = Array.from({ length: count }, () => []);
files.forEach((file, i) => shards[i % count]!.push(file));

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
shards.forEach((share, i) => {
  const imports = share.map((f) => `import '${relative(out, f).split('\\').join('/')}';`);
  writeFileSync(join(out, `${String(i + 1).padStart(2, '0')}.test.js`), `${imports.join('\n')}\n`);
});
process.stdout.write(`${files.length} test files in ${count} shards: ${relative(process.cwd(), out)}/\n`);
