/**
 * The layers stay the right way up, and no module imports itself round a cycle. Read from the
 * sources (src/, commands/): every relative `import … from`, `export … from` and `import('…')`,
 * type-only ones included (a type cycle is still a cycle for a reader).
 *
 *   commands/  → src/cli/, src/cmdlets/, …     the CLI: options, examples, rendering
 *   src/cli/   → commands/index (the verbs), src/cmdlets/ …
 *   src/cmdlets/, src/fleet/ (the library)      never src/cli/ or commands/
 *   src/session.ts (composition root)           → cloud, graph, emulator
 *   src/graph/ (a Graph client)                 never the emulator, the session, cmdlets, reconcile, checks
 *   src/cloud/                                  never src/graph/
 *   src/emulator/ (self-contained)              never graph, session, cmdlets, reconcile, checks, cli
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?\sfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(path);
    }
  };
  for (const top of ['src', 'commands']) walk(join(repoRoot, top));
  return files;
}

/** file (repo-relative, forward slashes) → the repo files it imports */
function importGraph(): Map<string, string[]> {
  const rel = (p: string) => relative(repoRoot, p).split(sep).join('/');
  const graph = new Map<string, string[]>();
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(IMPORT)) deps.push(rel(resolve(dirname(file), (m[1] ?? m[2])!.replace(/\.js$/, '.ts'))));
    graph.set(rel(file), deps);
  }
  return graph;
}

/** Strongly connected components with more than one file: the cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph();

test('no import cycles in src/ and commands/', () => {
  assert.ok(graph.size > 100, `read ${graph.size} files`);
  assert.deepEqual(cycles(graph), []);
});

test('the layers point one way: the library knows no CLI, the Graph client no emulator, cloud no graph', () => {
  const rules: { from: RegExp; never: RegExp; why: string }[] = [
    { from: /^src\/(cmdlets|fleet|reconcile|checks|graph|cloud|config|certs|emulator|util|url|model)\//, never: /^(src\/cli\/|commands\/)/, why: 'the library is used without the CLI' },
    { from: /^src\/index\.ts$/, never: /^(src\/cli\/|commands\/)/, why: 'main() is the separate entry entra-portal/cli' },
    { from: /^src\/graph\//, never: /^src\/(emulator\/|session\.ts|cmdlets\/|reconcile\/|checks\/|fleet\/)/, why: 'src/graph/ is a client; src/session.ts wires the emulator in' },
    { from: /^src\/cloud\//, never: /^src\/graph\//, why: 'graph uses cloud (endpoints), not the other way' },
    { from: /^src\/emulator\//, never: /^src\/(graph\/|session\.ts|cmdlets\/|reconcile\/|checks\/|fleet\/|cli\/)/, why: 'the emulator stands on its own (an independent implementation of Entra)' },
    { from: /^src\/(?!cli\/main\.ts)/, never: /^commands\//, why: 'only src/cli/main.ts knows the verbs' },
  ];
  const broken: string[] = [];
  for (const [file, deps] of graph) {
    for (const rule of rules) {
      if (!rule.from.test(file)) continue;
      for (const dep of deps) if (rule.never.test(dep)) broken.push(`${file} → ${dep}: ${rule.why}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('nothing loads yargs any more', () => {
  for (const file of sources()) assert.doesNotMatch(readFileSync(file, 'utf8'), /from ['"]yargs|import\(['"]yargs/, file);
});
