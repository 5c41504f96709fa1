// Loads the bundled CLI (dist/cli/*.cjs, scripts/bundle.mjs) with V8's code cache: each bundle file
// may have a `<name>.v8cache` beside it, made by the build (scripts/code-cache.mjs), holding the
// bytecode of the functions the common verbs run. A run then deserializes that bytecode instead of
// parsing and compiling the source (about a tenth of an edit verb's CPU; docs/cli.md, "Start-up").
//
// The cache is an optimisation, never a requirement: a missing, unreadable or older-than-its-source
// cache file is ignored, and V8 itself refuses data made by another V8 version or with other flags
// (then the file compiles as usual). It is only ever read from the build's own folder, as trusted as
// the code beside it; nothing here writes outside it, and a run writes nothing unless the build asks.
'use strict';
const Module = require('node:module');
const { readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, sep } = require('node:path');
const vm = require('node:vm');


/** The cache beside `file`, when it is at least as new as the file (a hand-edited bundle loses it). */
function readCache(cachePath, file) {
  try {
    const cache = statSync(cachePath, { throwIfNoEntry: false });
    if (!cache || cache.mtimeMs < statSync(file).mtimeMs) return undefined;
    return readFileSync(cachePath);
  } catch {
    return undefined;
  }
}

/**
 * `require(<dir>/main.cjs)`, with the files under `dir` compiled from their caches. With
 * ENTRA_PORTAL_WRITE_CODE_CACHE=1 (the build only), the caches of the files this run loaded are
 * rewritten when it exits, holding what they held plus what this run compiled.
 */
module.exports = function loadBundle(dir) {
  const prefix = dir + sep;
  // the escape hatch (and the bench's comparison): ENTRA_PORTAL_CODE_CACHE=off compiles as Node does
  if (process.env.ENTRA_PORTAL_CODE_CACHE === 'off') return require(`${prefix}main.cjs`);
  const write = process.env.ENTRA_PORTAL_WRITE_CODE_CACHE === '1';
  const compiled = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    // a file that calls import() compiles the ordinary way: a vm.Script's import() needs an
    // experimental Node feature (scripts/bundle.mjs leaves it only where a library has no CommonJS)
    if (!filename.startsWith(prefix) || !filename.endsWith('.cjs') || content.includes('import(')) return compile.call(this, content, filename);
    const cachePath = `${filename.slice(0, -'.cjs'.length)}.v8cache`;
    const script = new vm.Script(Module.wrap(content), { filename, cachedData: readCache(cachePath, filename) });
    if (write) compiled.push({ cachePath, script });
    const module = this;
    const require = (id) => module.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    require.cache = Module._cache;
    require.main = process.mainModule;
    return script.runInThisContext({ displayErrors: true }).call(module.exports, module.exports, require, module, filename, dirname(filename));
  };
  if (write) {
    process.on('exit', () => {
      for (const { cachePath, script } of compiled) {
        writeFileSync(`${cachePath}.tmp`, script.createCachedData());
        renameSync(`${cachePath}.tmp`, cachePath);
      }
    });
  }
  return require(`${prefix}main.cjs`);
};
