#!/usr/bin/env node
// The executable. The only place in the project that ends the process: everything below
// returns an exit code (see src/errors.ts for the mapping), so it stays testable in-process.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exit(code);
  },
  (err) => {
    // main() maps every error itself; reaching this is a bug in entra-portal.
    process.stderr.write(`entra-portal: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
