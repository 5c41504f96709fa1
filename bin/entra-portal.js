#!/usr/bin/env node
// The executable: the only place in the project that ends the process or handles signals.
// Everything below returns an exit code (src/errors.ts maps errors to codes), so it runs in-process
// in tests. The handlers go in before the CLI is even loaded, so a signal is never missed.

const stop = new AbortController();
// Windows has no SIGTERM delivery (a stop there terminates at once); its second interrupt key,
// Ctrl-Break, arrives as SIGBREAK and is taken as Ctrl-C (docs/windows.md).
const EXIT_ON = { SIGINT: 130, SIGTERM: 143, ...(process.platform === 'win32' ? { SIGBREAK: 130 } : {}) };
for (const [signal, code] of Object.entries(EXIT_ON)) {
  process.on(signal, () => {
    // the first signal asks the run to stop and say what it did; a second one ends it at once
    if (stop.signal.aborted) process.exit(code);
    stop.abort(signal);
  });
}
// A reader that went away (`| head -1`) must not change the exit code: drop what it would not read.
// Any other failure to write the result (stdout on a full disk: ENOSPC, EIO) is noted: the run then
// exits 1, never the 0 or 2 a job would act on (its result file is empty). Node reports such a write
// error a tick after the write, hence the setImmediate before exiting.
// Node builds process.stdout and process.stderr when first used (on a pipe or a terminal that loads
// its networking modules): the handler goes on when the stream is built, not before.
let lostOutput;
for (const name of ['stdout', 'stderr']) {
  const { get } = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: true,
    get() {
      const stream = get.call(process);
      Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
      stream.on('error', (err) => {
        if (err.code !== 'EPIPE' && name === 'stdout') lostOutput ??= err;
        else if (err.code !== 'EPIPE') throw err;
      });
      return stream;
    },
  });
}

// The bundled build (scripts/bundle.mjs: CommonJS, which starts sooner than ES modules; this file
// is CommonJS too, bin/package.json), compiled from its code cache (load-bundle.js), unless a later
// `tsc` left it stale: then the ES modules of dist/src.
const { statSync } = require('node:fs');
const { join } = require('node:path');
const built = (path) => statSync(join(__dirname, path), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = built('../dist/cli/main.cjs') >= Math.max(built('../dist/src/cli/main.js'), 0);
const loaded = bundled ? Promise.resolve(require('./load-bundle.js')(join(__dirname, '..', 'dist', 'cli'))) : import('../dist/src/cli/main.js');
loaded.then(({ main }) =>
  main(process.argv.slice(2), { signal: stop.signal })).then(
  (code) =>
    setImmediate(() => {
      if (!lostOutput) process.exit(code);
      try {
        process.stderr.write(`entra-portal: could not write the result to stdout: ${lostOutput.message}\n`);
      } catch {
        // stderr too: the exit code is all that is left
      }
      process.exit(code === 0 || code === 2 ? 1 : code);
    }),
  (err) => {
    // main() maps every error itself; reaching this is a bug in entra-portal (or a broken build).
    process.stderr.write(`entra-portal: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
