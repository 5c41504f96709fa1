/**
 * A custom cloud (`endpoints: { graph, login }`) served by a standalone emulator: the session must
 * use the login host as authority (no instance discovery), `customHosts` for the Graph root (else the
 * SDK sends no token), and the environment credential. The CA comes from NODE_EXTRA_CA_CERTS in a
 * child process, as for a real private cloud. Also: the opaque MSAL failures come out explained.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle, type EmulatorTenant } from '../../src/emulator/index.js';

const run = promisify(execFile);

async function probe(url: string, env: Record<string, string>, auth = 'environment'): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/helpers/graph-probe.ts', url, auth], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
}

describe('Graph session with custom endpoints (standalone emulator)', () => {
  let emu: EmulatorHandle;
  let tenant: EmulatorTenant;
  before(async () => {
    emu = await startEmulator({});
    tenant = await emu.ensureTenant('contoso.onmicrosoft.com');
  });
  after(async () => emu?.stop());

  it('signs in with AZURE_CLIENT_ID/SECRET at the custom login host and calls Graph', async () => {
    const out = await probe(emu.url, { NODE_EXTRA_CA_CERTS: emu.caFile, AZURE_CLIENT_ID: tenant.operator.clientId, AZURE_CLIENT_SECRET: tenant.operator.clientSecret });
    assert.deepEqual(out, { ok: true, kind: 'application', region: 'Custom', graphSp: '00000003-0000-0000-c000-000000000000' });
    // the token reached Graph: no 401 in the log
    assert.ok(!emu.requests.some((r) => r.status === 401));
  });

  it('an untrusted TLS certificate is named, with the remedy (not MSAL’s endpoints_resolution_error)', async () => {
    const out = await probe(emu.url, { AZURE_CLIENT_ID: tenant.operator.clientId, AZURE_CLIENT_SECRET: tenant.operator.clientSecret });
    assert.equal(out.ok, false);
    assert.equal(out.code, 'login-endpoint-unreachable');
    assert.equal(out.exitCode, 1);
    assert.match(String(out.message), /SELF_SIGNED|certificate/i);
    assert.match(String(out.remedy), /NODE_EXTRA_CA_CERTS/);
  });

  it('a wrong secret → authentication-failed with the AADSTS text; the secret is never printed', async () => {
    const secret = 'not-the-secret-0123456789';
    const out = await probe(emu.url, { NODE_EXTRA_CA_CERTS: emu.caFile, AZURE_CLIENT_ID: tenant.operator.clientId, AZURE_CLIENT_SECRET: secret });
    assert.equal(out.code, 'authentication-failed');
    assert.match(String(out.message), /AADSTS7000215/);
    assert.doesNotMatch(JSON.stringify(out), new RegExp(secret));
  });

  it('--auth auto in CI (no TTY, no env, no az): fails fast naming what to set', async () => {
    const out = await probe(emu.url, { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: '/nonexistent' }, 'auto');
    assert.equal(out.code, 'credential-unavailable');
    assert.match(String(out.remedy), /AZURE_CLIENT_ID/);
  });
});
