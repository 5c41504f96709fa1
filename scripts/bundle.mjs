// The executable's build: bin/entra-portal.js runs dist/cli/main.cjs, the compiled CLI (dist/src,
// dist/commands) bundled into a few CommonJS files. Start-up is mostly Node reading, compiling and
// linking code, so the fewer files and the fewer bytes a run loads, the sooner it starts
// (docs/cli.md, "Start-up", has the measurements):
// - CommonJS, not ES modules: the same code starts several ms sooner (no ESM loader, no async
//   linking per file);
// - one file per group of modules that load together, not one per module (esbuild's own code
//   splitting makes a chunk for every set of entry points sharing a module: a verb loaded 20);
// - whatever a run does not execute stays out of the files it loads (V8 still has to parse it:
//   about 2 ms per 100 KB).
// Groups: a module belongs to the first group (in GROUPS' order) whose roots reach it through
// static imports; each dynamic import of a module not yet placed starts a group of its own, loaded
// when the import runs. So a group only ever needs groups placed before it, loaded before it.
// A module another group uses is exported in its group's `__m` table and imported from there: each
// module exists once per process, whichever group asks for it.
// The libraries only the network path needs (@azure/identity, the Graph SDK, undici, the prompts)
// stay packages, imported when a verb first needs them. Run after `tsc` (npm run build, npm test).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCodeCache } from './code-cache.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = 'dist/cli';
const MAIN = 'dist/src/cli/main.js';

/** [group, its roots]; the CLI itself first. Tune by measuring (`npm run bench`, cli-startup). */
const GROUPS = [
  ['main', [MAIN]],
  // what the edit verbs and every config reader share: load, validate, edit, lock, write; and the
  // small edit verbs themselves (one file less each: ~1 ms of set-app's ~40)
  ['config', ['config/index', 'config/values', 'config/customers', 'cmdlets/edit-verb', 'cmdlets/app-edits', 'url/portal-url', 'cloud/regions', 'cmdlets/new-app', 'cmdlets/set-app', 'cmdlets/set-portal-url', 'cmdlets/customers', 'certs/paths'].map((m) => `dist/src/${m}.js`)],
  // The groups below each replace several small files a verb loaded one after another (each file
  // costs resolving, reading and compiling: apply loaded 17 besides main and config, 2.35× bare
  // node → 2.0× as 4). What only some verbs need stays out of `config`, which every edit verb loads.
  // the cloud's endpoints and trust rules, and consent-url (one file less): consent-url, apply, test-portal, rotate-cert
  ['cloud', ['cloud/endpoints', 'cloud/trust', 'cloud/admin-consent', 'cmdlets/consent-url'].map((m) => `dist/src/${m}.js`)],
  // certificate expiry rules (small): install-cert, export-cert, apply and test-portal
  ['expiry', ['reconcile/aspects/certificates'].map((m) => `dist/src/${m}.js`)],
  // the certificate store, PFX and generation: install-cert, test-portal, export-cert, get-cert, rotate-cert
  ['certs', ['cmdlets/install-cert'].map((m) => `dist/src/${m}.js`)],
  // what apply and test-portal share: fleets, desired state, Graph's errors, pacing and retries
  ['fleet', ['cmdlets/fleet', 'graph/errors', 'graph/pacing', 'graph/retry', 'graph/app-policy'].map((m) => `dist/src/${m}.js`)],
  // apply's own, up to its first request
  ['apply', ['cmdlets/apply', 'graph/batch', 'graph/api', 'reconcile/observe'].map((m) => `dist/src/${m}.js`)],
];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['@azure/identity', '@microsoft/microsoft-graph-client', '@microsoft/microsoft-graph-client/*', 'undici', '@inquirer/prompts'],
  logLevel: 'warning',
};
const STATIC = new Set(['import-statement', 'require-call']);

// 1. The module graph, as esbuild resolves it.
const { metafile } = await build({ ...common, entryPoints: [MAIN], format: 'esm', splitting: true, outdir: OUT, write: false, metafile: true });
const inputs = metafile.inputs;

// 2. Modules into groups: GROUPS first, in order; then every module a dynamic import reaches
// goes with the other modules reached by the same dynamic imports (as esbuild splits).
const groupOf = new Map();
const groups = [];
const staticClosure = (roots, visit) => {
  const stack = [...roots];
  const seen = new Set();
  while (stack.length) {
    const path = stack.pop();
    if (seen.has(path) || groupOf.has(path)) continue;
    if (!inputs[path]) throw new Error(`bundle: ${path} is not in the module graph`);
    seen.add(path);
    visit(path);
    for (const i of inputs[path].imports) if (!i.external && STATIC.has(i.kind)) stack.push(i.path);
  }
  return seen;
};
for (const [name, roots] of GROUPS) {
  const members = [...staticClosure(roots, () => {})];
  for (const path of members) groupOf.set(path, name);
  groups.push({ name, members });
}
// the dynamic imports not placed yet, each with the modules it alone or with others reaches
const dynamicRoots = [];
const pending = [...groups.flatMap((g) => g.members)];
const seenRoots = new Set();
while (pending.length) {
  const path = pending.pop();
  for (const i of inputs[path].imports) {
    if (i.external || i.kind !== 'dynamic-import' || groupOf.has(i.path) || seenRoots.has(i.path)) continue;
    seenRoots.add(i.path);
    dynamicRoots.push(i.path);
    staticClosure([i.path], (p) => pending.push(p));
  }
}
const ownersOf = new Map();
for (const r of dynamicRoots) staticClosure([r], (p) => ownersOf.set(p, [...(ownersOf.get(p) ?? []), r]));
const byOwners = new Map();
for (const [path, owners] of ownersOf) {
  const key = owners.sort().join('|');
  if (!byOwners.has(key)) byOwners.set(key, { owners, members: [] });
  byOwners.get(key).members.push(path);
}
const names = new Set(groups.map((g) => g.name));
const nameFor = (path) => {
  if (path.includes('node_modules/')) return path.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1').replace(/[@/]/g, '-').replace(/^-/, '');
  return path.replace(/^dist\/(src\/)?/, '').replace(/\.js$/, '').replace(/\//g, '-');
};
for (const { owners, members } of byOwners.values()) {
  let name = owners.length === 1 ? nameFor(owners[0]) : `shared-${nameFor(members.sort()[0])}`;
  while (names.has(name)) name += '_';
  names.add(name);
  for (const path of members) groupOf.set(path, name);
  groups.push({ name, members });
}

if (process.env.BUNDLE_REPORT) {
  const size = (g) => g.members.reduce((n, p) => n + inputs[p].bytes, 0);
  const deps = (g) => new Set(g.members.flatMap((p) => inputs[p].imports.filter((i) => !i.external && STATIC.has(i.kind) && groupOf.get(i.path) !== g.name).map((i) => groupOf.get(i.path))));
  for (const g of groups) {
    console.log(`${g.name.padEnd(28)} ${String(g.members.length).padStart(4)} modules ${String(size(g)).padStart(8)} B  needs ${[...deps(g)].join(', ')}`);
    if (g.members.length < 20) console.log(`    ${g.members.map(nameFor).join(' ')}`);
  }
  const load = (name, out = new Set()) => {
    if (out.has(name)) return out;
    out.add(name);
    for (const d of deps(groups.find((g) => g.name === name))) load(d, out);
    return out;
  };
  for (const verb of (process.env.BUNDLE_REPORT.split(',')).filter((v) => names.has(v))) {
    const all = load(verb, load('main'));
    console.log(`${verb}: ${[...all].join(' ')} = ${[...all].reduce((n, g) => n + size(groups.find((x) => x.name === g)), 0)} B`);
  }
}

// the modules each group hands to others
const wanted = new Map(groups.map((g) => [g.name, new Set(g.name === 'main' ? [MAIN] : [])]));
for (const [path, input] of Object.entries(inputs)) {
  for (const i of input.imports) {
    if (!i.external && groupOf.get(i.path) !== groupOf.get(path)) wanted.get(groupOf.get(i.path)).add(i.path);
  }
}

// 3. One CommonJS file per group.
rmSync(`${root}/${OUT}`, { recursive: true, force: true });
const spec = (path) => `./${path}`;
for (const group of groups) {
  const exported = [...wanted.get(group.name)];
  // CommonJS modules (node-forge) are handed over as their module.exports, ES modules as their namespace
  const lines = exported.map((path, k) =>
    inputs[path].format === 'cjs' ? `const m${k} = require(${JSON.stringify(spec(path))});` : `import * as m${k} from ${JSON.stringify(spec(path))};`,
  );
  lines.push(`export const __m = { ${exported.map((path, k) => `${JSON.stringify(path)}: m${k}`).join(', ')} };`);
  if (group.name === 'main') lines.push(`export { main } from ${JSON.stringify(spec(MAIN))};`);
  await build({
    ...common,
    stdin: { contents: lines.join('\n'), resolveDir: root, sourcefile: `${group.name}.entry.js`, loader: 'js' },
    outfile: `${OUT}/${group.name}.cjs`,
    format: 'cjs',
    // the sources are ES modules: strict, and import.meta.url is the file's URL
    banner: { js: `"use strict";\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
    define: { 'import.meta.url': '__importMetaUrl' },
    plugins: [lateRequire(), otherGroups(group.name)],
  });
}

// 4. The V8 code cache of the files just written (bin/load-bundle.js, scripts/code-cache.mjs).
writeCodeCache(`${root}/${OUT}`);

/**
 * A late `import()` of a library that has a CommonJS build (the network libraries, node's own
 * modules) becomes a `require()` when it runs: compiled code that calls `import()` cannot come
 * from V8's code cache without an experimental Node feature (bin/load-bundle.js compiles such a file
 * the ordinary way). Only @inquirer/prompts (ES modules only; loaded for a question on a terminal)
 * keeps its `import()`.
 */
function lateRequire() {
  return {
    name: 'late-require',
    setup(b) {
      b.onResolve({ filter: /^(node:|@azure\/identity$|@microsoft\/microsoft-graph-client|undici$)/ }, (args) =>
        args.kind === 'dynamic-import' ? { path: args.path, namespace: 'late-require' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'late-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}

/** Imports of a module placed in another group read it from that group's `__m` table. */
function otherGroups(own) {
  return {
    name: 'other-groups',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.plain || args.namespace === 'group') return args.namespace === 'group' ? { path: args.path, external: true } : undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { plain: true } });
        if (resolved.errors.length || resolved.external) return undefined;
        const path = relative(root, resolved.path).split('\\').join('/');
        const owner = groupOf.get(path);
        if (owner === undefined || owner === own) return undefined;
        return { path, namespace: 'group', pluginData: { owner } };
      });
      b.onLoad({ filter: /.*/, namespace: 'group' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`./${args.pluginData.owner}.cjs`)}).__m[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}
