/**
 * The credential *selection* logic. The chain is tested with fake TokenCredentials (its own unit);
 * the real @azure/identity credentials against the emulator are in test/integration/graph-*.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { autoChain, chainCredentials, createCredential, identityOptions, redact, toAuthError } from '../../src/cloud/credentials.js';
import { OperationError } from '../../src/errors.js';
import { recordingLogger } from '../helpers/graph-fakes.js';

const token: AccessToken = { token: 't', expiresOnTimestamp: Date.now() + 3600_000 };
const unavailable = (msg: string) => Object.assign(new Error(msg), { name: 'CredentialUnavailableError' });

function fake(behaviour: 'ok' | 'unavailable' | 'fail', calls: string[], name: string): TokenCredential {
  return {
    async getToken() {
      calls.push(name);
      if (behaviour === 'ok') return token;
      if (behaviour === 'unavailable') throw unavailable(`${name} not configured`);
      throw Object.assign(new Error(`AADSTS7000215: Invalid client secret provided. Trace ID: x`), { name: 'AuthenticationError' });
    },
  };
}

describe('chainCredentials (auto)', () => {
  it('moves on when a credential is unavailable and remembers the one that worked', async () => {
    const calls: string[] = [];
    const log = recordingLogger();
    const chain = chainCredentials(
      [
        { name: 'environment', create: () => fake('unavailable', calls, 'environment') },
        { name: 'azure-cli', create: () => fake('ok', calls, 'azure-cli') },
        { name: 'device-code', create: () => fake('ok', calls, 'device-code') },
      ],
      log,
    );
    assert.equal((await chain.getToken('s'))?.token, 't');
    assert.equal((await chain.getToken('s'))?.token, 't');
    assert.deepEqual(calls, ['environment', 'azure-cli', 'azure-cli']);
    assert.ok(log.lines.some((l) => /signed in with the azure-cli credential/.test(l.message)));
  });

  it('stops at a real authentication failure (does not fall through to the next credential)', async () => {
    const calls: string[] = [];
    const chain = chainCredentials(
      [
        { name: 'environment', create: () => fake('fail', calls, 'environment') },
        { name: 'azure-cli', create: () => fake('ok', calls, 'azure-cli') },
      ],
      recordingLogger(),
    );
    await assert.rejects(chain.getToken('s'), (e: unknown) => e instanceof OperationError && e.code === 'authentication-failed' && /AADSTS7000215/.test(e.message) && !!e.remedy);
    assert.deepEqual(calls, ['environment']);
  });

  it('all unavailable → credential-unavailable saying why each was skipped', async () => {
    const calls: string[] = [];
    const chain = chainCredentials([{ name: 'environment', create: () => fake('unavailable', calls, 'environment') }], recordingLogger());
    await assert.rejects(chain.getToken('s'), (e: unknown) => e instanceof OperationError && e.code === 'credential-unavailable' && /environment: environment not configured/.test(e.remedy ?? ''));
  });

  it('device code joins the auto chain only on a TTY (never waits for input in CI)', () => {
    const base = { authorityHost: 'https://login.microsoftonline.com', env: {}, log: recordingLogger() };
    assert.deepEqual(autoChain({ ...base, isTTY: false }).map((l) => l.name), ['environment', 'workload-identity', 'azure-cli']);
    assert.deepEqual(autoChain({ ...base, isTTY: true }).map((l) => l.name), ['environment', 'workload-identity', 'azure-cli', 'device-code']);
  });
});

describe('createCredential', () => {
  const base = { authorityHost: 'https://login.microsoftonline.us', isTTY: false, log: recordingLogger() };

  it('environment without the AZURE_* variables is unavailable, naming them', async () => {
    const cred = await createCredential('environment', { ...base, env: {} });
    await assert.rejects(cred.getToken('https://graph.microsoft.us/.default'), (e: unknown) => e instanceof OperationError && e.code === 'credential-unavailable' && /AZURE_TENANT_ID/.test(e.message) && /AZURE_CLIENT_SECRET/.test(e.message));
  });

  // AzureCliCredential runs the real `az` from PATH: on a machine where az is signed in this would pass through
  const hasAz = (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, 'az')));
  it('auto without env, az or TTY fails fast with a remedy (no prompt)', { skip: hasAz && 'az is installed here' }, async () => {
    const cred = await createCredential('auto', { ...base, env: { PATH: '/nonexistent' } });
    await assert.rejects(cred.getToken('https://graph.microsoft.us/.default'), (e: unknown) => e instanceof OperationError && e.code === 'credential-unavailable' && /az login/.test(e.remedy ?? ''));
  });

  it('identityOptions carry the authority host, instance discovery and the CA', () => {
    assert.deepEqual(identityOptions({ authorityHost: 'https://login.chinacloudapi.cn' }), { authorityHost: 'https://login.chinacloudapi.cn' });
    assert.deepEqual(identityOptions({ authorityHost: 'https://127.0.0.1:1', disableInstanceDiscovery: true, ca: 'PEM' }), {
      authorityHost: 'https://127.0.0.1:1',
      disableInstanceDiscovery: true,
      tlsOptions: { ca: 'PEM' },
    });
  });

  it('never prints a secret', () => {
    const e = toAuthError(new Error('request failed: client_secret=abc123&scope=x, token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'), 'environment');
    assert.doesNotMatch(e.message, /abc123|eyJhbGci/);
    assert.equal(redact('password=hunter2 ok'), 'password=*** ok');
  });
});
