// The executable's build: bin/entra-portal.js runs dist/cli/main.js, the compiled CLI (dist/src,
// dist/commands) bundled into a few files. Start-up is mostly Node loading modules one by one
// (~90 of ours, ~25 of the JSON5 editor's): bundled, an edit verb takes about half the CPU
// (`npm run bench`, cli-startup). The libraries only the network path needs (@azure/identity, the
// Graph SDK, undici, the prompts) stay packages, loaded when a verb first needs them; every dynamic
// import stays lazy (code splitting). Run after `tsc` (npm run build, npm test).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@azure/identity', '@microsoft/microsoft-graph-client', '@microsoft/microsoft-graph-client/*', 'undici', '@inquirer/prompts'],
  // the bundled CommonJS packages (the JSON5 editor, node-forge) call require() for Node's modules
  banner: { js: "import { createRequire as __entraPortalRequire } from 'node:module'; const require = __entraPortalRequire(import.meta.url);" },
  logLevel: 'warning',
});
