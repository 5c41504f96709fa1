// The bundle's V8 code cache (bin/load-bundle.js reads it): runs the CLI the way short runs use it
// — help, the edit verbs, install-cert, the customer verbs, apply and test-portal up to the network —
// one after another in a scratch folder, each with ENTRA_PORTAL_WRITE_CODE_CACHE=1, so that each
// run's cache keeps what the runs before it compiled and adds its own. Run by scripts/bundle.mjs
// after the bundle is written. Nothing here touches the network or the user's files: the runs get a
// scratch HOME and a minimal environment.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'entra-portal.js');

export function writeCodeCache(cliDir) {
  for (const f of readdirSync(cliDir)) if (f.endsWith('.v8cache')) rmSync(join(cliDir, f));
  const scratch = mkdtempSync(join(tmpdir(), 'entra-portal-code-cache-'));
  const failures = [];
  try {
    const env = { PATH: process.env.PATH, HOME: scratch, XDG_DATA_HOME: join(scratch, '.xdg'), NO_COLOR: '1', ENTRA_PORTAL_WRITE_CODE_CACHE: '1' };
    const folder = (name) => {
      const d = join(scratch, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const run = (cwd, args, expect = 0) => {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
      if (r.status !== expect) failures.push(`${args.join(' ')}: exit ${r.status ?? r.signal} (expected ${expect}) ${String(r.stderr).trim().split('\n')[0] ?? ''}`);
    };
    const app = folder('app');
    const empty = folder('empty');
    writeFileSync(join(empty, 'entra-portal.json5'), "{ version: 1, tenant: 'contoso.onmicrosoft.com' }\n");
    run(scratch, ['--help']);
    run(folder('new'), ['new-app', '--name', 'Code cache', '--quiet']);
    run(app, ['set-app', '--app-id', '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', '--multi-tenant', '--tenant', 'contoso.onmicrosoft.com', '--quiet']);
    run(app, ['set-portal-url', 'https://portal.abc.com:4443', '--quiet']);
    run(app, ['install-cert', '--generate', '--quiet']);
    const thumbprint = /thumbprint: '([0-9A-F]{40})'/.exec(readFileSync(join(app, 'entra-portal.json5'), 'utf8'))?.[1];
    if (thumbprint) run(app, ['install-cert', '--thumbprint', thumbprint, '--quiet']);
    run(app, ['add-customer', '--tenant', 'customer.onmicrosoft.com', '--quiet']);
    run(app, ['consent-url', '--tenant', 'fabrikam.onmicrosoft.com']);
    run(empty, ['apply', '--what-if', '--quiet'], 65);
    run(empty, ['test-portal', '--quiet'], 2);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // the cache only makes runs faster: say what went wrong, and leave the build standing
  for (const f of failures) process.stderr.write(`code cache: ${f}\n`);
}
