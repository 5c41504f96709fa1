/**
 * Where things are, whether a test runs from its TypeScript source (`node --import tsx --test
 * test/…/x.test.ts`) or compiled into dist/test/ (`npm test`): files outside test/ are found from the
 * repository root, and a script a test starts as a child process runs the way the test itself runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'entra-portal') return dir;
    } catch {
      /* no package.json here: go up */
    }
    if (dirname(dir) === dir) throw new Error(`no entra-portal package.json above ${from}`);
  }
}

/** The repository root (the folder of entra-portal's package.json). */
export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The `node` arguments that run a test script: `url` names it with `.js`, as an import does (e.g.
 * `new URL('../fixtures/lock-contender.js', import.meta.url)`). Compiled, that file exists and runs
 * as is; from the sources it is the `.ts` file, run through tsx.
 */
export function nodeScript(url: URL): string[] {
  const js = fileURLToPath(url);
  return existsSync(js) ? [js] : ['--import', 'tsx', js.replace(/\.js$/, '.ts')];
}
