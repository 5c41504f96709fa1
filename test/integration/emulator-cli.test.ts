/**
 * `entra-portal emulator` as a real process (the built CLI): the first stdout line with --json,
 * readable text without it, a client using the printed credentials and CA file, exit 0 on
 * SIGTERM/SIGINT with the state flushed, and usage/input errors for bad options.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ClientSecretCredential } from '@azure/identity';
import { Agent } from 'undici';
import { binPath, runMain, withTempDir } from '../helpers/cli.js';

function startCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [binPath, 'emulator', ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
  let stdout = '';
  lines.on('line', (l) => (stdout += `${l}\n`));
  return { child, firstLine, stdout: () => stdout };
}

describe('entra-portal emulator (CLI)', () => {
  it('--json prints one JSON line; the printed operator secret and CA file work; SIGTERM exits 0 and keeps the state', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, '.entra-portal', 'emulator-state.json');
      const run = startCli(['--json', '--port', '0', '--state', statePath], dir);
      const doc = JSON.parse(await run.firstLine) as {
        url: string;
        caFile: string;
        tenants: { id: string; domain: string; operator: { clientId: string; clientSecret: string } }[];
      };
      assert.match(doc.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(doc.tenants.map((t) => t.domain).sort(), ['contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com']);
      const ca = await readFile(doc.caFile, 'utf8');
      const t = doc.tenants[0]!;
      const cred = new ClientSecretCredential(t.id, t.operator.clientId, t.operator.clientSecret, {
        authorityHost: doc.url,
        disableInstanceDiscovery: true,
        tlsOptions: { ca },
      });
      const token = await cred.getToken(`${doc.url}/.default`);
      const res = await fetch(`${doc.url}/v1.0/applications`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ displayName: 'made through the CLI emulator' }),
        dispatcher: new Agent({ connect: { ca } }),
      } as RequestInit);
      assert.equal(res.status, 201);
      run.child.kill('SIGTERM');
      const [code] = await once(run.child, 'exit');
      assert.equal(code, 0);
      assert.equal(run.stdout().trim().split('\n').length, 1, 'nothing but the start-up line on stdout');
      const state = JSON.parse(await readFile(statePath, 'utf8')) as { tenants: { applications: { displayName: string }[] }[] };
      assert.ok(state.tenants.some((x) => x.applications.some((a) => a.displayName === 'made through the CLI emulator')));
    });
  });

  it('prints readable text without --json and stops on SIGINT', async () => {
    await withTempDir(async (dir) => {
      const run = startCli([], dir);
      await run.firstLine;
      await new Promise((r) => setTimeout(r, 200));
      run.child.kill('SIGINT');
      const [code] = await once(run.child, 'exit');
      assert.equal(code, 0);
      assert.match(run.stdout(), /Entra emulator listening at https:\/\/127\.0\.0\.1:\d+/);
      assert.match(run.stdout(), /throwaway/);
      assert.match(run.stdout(), /tenant contoso\.onmicrosoft\.com/);
    });
  });

  it('refuses a bad fault spec and a bad port: both are the command line (64)', async () => {
    await withTempDir(async (dir) => {
      const faults = await runMain(['emulator', '--faults', 'bogus=1'], { cwd: dir });
      assert.equal(faults.code, 64);
      assert.match(faults.stderr, /invalid emulator fault 'bogus=1'/);
      const port = await runMain(['emulator', '--port', 'abc'], { cwd: dir });
      assert.equal(port.code, 64);
    });
  });
});
