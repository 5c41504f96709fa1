/**
 * A custom cloud (`endpoints: { graph, login }`) served by a standalone emulator: the session must
 * use the login host as authority (no instance discovery), `customHosts` for the Graph root (else the
 * SDK sends no token), and the environment credential. The CA comes from NODE_EXTRA_CA_CERTS in a
 * child process, as for a real private cloud (one child runs every case that trusts it); this process
 * does not trust it (the untrusted case). Also: the opaque MSAL failures come out explained.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle, type EmulatorTenant } from '../../src/emulator/index.js';
import { probe, type ProbeCase } from '../helpers/graph-probe.js';
import { nodeScript, repoRoot } from '../helpers/paths.js';
import { testPki } from '../helpers/pki.js';

const run = promisify(execFile);

/** The cases in one child process that trusts the emulator CA; its PATH finds no `az`. */
async function probeTrusting(caFile: string, cases: ProbeCase[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run(process.execPath, [...nodeScript(new URL('../helpers/graph-probe.js', import.meta.url)), JSON.stringify(cases)], {
    cwd: repoRoot,
    env: { PATH: '/nonexistent', HOME: process.env.HOME ?? '', NODE_EXTRA_CA_CERTS: caFile },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, cases.length, stdout);
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Graph session with custom endpoints (standalone emulator)', () => {
  let emu: EmulatorHandle;
  let tenant: EmulatorTenant;
  const secret = 'not-the-secret-0123456789';
  /** trusted (child process): signed in, wrong secret, --auth auto without anything to sign in with */
  let trusted: { signedIn: Record<string, unknown>; wrongSecret: Record<string, unknown>; autoInCi: Record<string, unknown> };
  before(async () => {
    emu = await startEmulator({ pki: testPki });
    tenant = await emu.ensureTenant('contoso.onmicrosoft.com');
    const [signedIn, wrongSecret, autoInCi] = await probeTrusting(emu.caFile, [
      { url: emu.url, env: { AZURE_CLIENT_ID: tenant.operator.clientId, AZURE_CLIENT_SECRET: tenant.operator.clientSecret } },
      { url: emu.url, env: { AZURE_CLIENT_ID: tenant.operator.clientId, AZURE_CLIENT_SECRET: secret } },
      { url: emu.url, env: {}, auth: 'auto' },
    ]);
    trusted = { signedIn: signedIn!, wrongSecret: wrongSecret!, autoInCi: autoInCi! };
  });
  after(async () => emu?.stop());

  it('signs in with AZURE_CLIENT_ID/SECRET at the custom login host and calls Graph', async () => {
    const out = trusted.signedIn;
    assert.deepEqual(out, { ok: true, kind: 'application', region: 'Custom', graphSp: '00000003-0000-0000-c000-000000000000' });
    // the token reached Graph: no 401 from Graph in the log (the wrong secret's 401 is the token endpoint's)
    assert.ok(!emu.requests.some((r) => r.status === 401 && r.path.startsWith('/v1.0/')), JSON.stringify(emu.requests.filter((r) => r.status === 401)));
  });

  it('an untrusted TLS certificate is named, with the remedy (not MSAL’s endpoints_resolution_error)', async () => {
    const out = await probe({ url: emu.url, env: { AZURE_CLIENT_ID: tenant.operator.clientId, AZURE_CLIENT_SECRET: tenant.operator.clientSecret } });
    assert.equal(out.ok, false);
    assert.equal(out.code, 'login-endpoint-unreachable');
    assert.equal(out.exitCode, 1);
    assert.match(String(out.message), /SELF_SIGNED|certificate/i);
    assert.match(String(out.remedy), /NODE_EXTRA_CA_CERTS/);
  });

  it('a wrong secret → authentication-failed with the AADSTS text; the secret is never printed', async () => {
    const out = trusted.wrongSecret;
    assert.equal(out.code, 'authentication-failed');
    assert.match(String(out.message), /AADSTS7000215/);
    assert.doesNotMatch(JSON.stringify(out), new RegExp(secret));
  });

  it('--auth auto in CI (no TTY, no env, no az): fails fast naming what to set', async () => {
    const out = trusted.autoInCi;
    assert.equal(out.code, 'credential-unavailable');
    assert.match(String(out.remedy), /AZURE_CLIENT_ID/);
  });
});
