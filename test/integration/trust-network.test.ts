/**
 * Credentials and the network: custom endpoints receive credentials only when the run trusts them
 * (never the file itself), and every request — login metadata and token, Graph — ends within the
 * run's budget with the host that did not answer named (exit 75). The hung server completes the TLS
 * handshake and then never says a word.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { issueCert, makeCa } from '../helpers/tls-server.js';
import { runCli, runMain, withTempDir } from '../helpers/cli.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createCredential } from '../../src/cloud/credentials.js';
import { assertEndpointsTrusted } from '../../src/cloud/trust.js';
import { createContext } from '../../src/context.js';
import { TransientError, exitCodeFor } from '../../src/errors.js';
import { createGraphSession } from '../../src/graph/session.js';
import { getServicePrincipalByAppId, MICROSOFT_GRAPH_APP_ID } from '../../src/graph/api.js';
import { testPki } from '../helpers/pki.js';

const ca = makeCa('entra-portal hung-server CA');
let hung: { server: Server; url: string; host: string; sockets: Set<Socket> };
let counter: { port: number; connections: number; close(): Promise<void> };
let emu: EmulatorHandle;

before(async () => {
  const sockets = new Set<Socket>();
  const leaf = issueCert({ ca });
  const server = createHttpsServer({ key: leaf.keyPem, cert: leaf.certPem }, () => undefined); // handshake, then silence
  server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  hung = { server, url: `https://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, sockets };

  // counts connections: an untrusted endpoint must not even be connected to
  const net = createNetServer((s) => {
    c.connections++;
    s.destroy();
  });
  await new Promise<void>((r) => net.listen(0, '127.0.0.1', r));
  const c = { port: (net.address() as { port: number }).port, connections: 0, close: () => new Promise<void>((r) => net.close(() => r())) };
  counter = c;
  emu = await startEmulator({ pki: testPki });
});
after(async () => {
  for (const s of hung.sockets) s.destroy();
  await new Promise<void>((r) => hung.server.close(() => r()));
  await counter.close();
  await emu.stop();
});

const secretEnv = { AZURE_TENANT_ID: 'contoso.onmicrosoft.com', AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555', AZURE_CLIENT_SECRET: 'pipeline-secret-0123456789' };

const customConfig = (login: string, graph: string) => `{
  version: 1,
  endpoints: { login: '${login}', graph: '${graph}' },
  tenant: 'contoso.onmicrosoft.com',
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' },
  portal: { url: 'https://127.0.0.1:1', restApiPort: 1 },
}
`;

test('a config with custom endpoints gets no credential without explicit trust: 65 before any connection, with the remedy', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const url = `https://127.0.0.1:${counter.port}`;
    await writeFile(join(dir, 'entra-portal.json5'), customConfig(url, url));
    for (const args of [
      ['apply', '--what-if', '--auth', 'environment'],
      ['set-portal-url', 'https://127.0.0.1:2', '--rest-api-port', '2', '--apply', '--what-if', '--auth', 'environment'].filter((a) => a !== '--auth' && a !== 'environment'),
      ['test-portal', '--timeout', '1', '--auth', 'environment'],
    ]) {
      const r = await runMain(args, { cwd: dir, env: secretEnv });
      assert.equal(r.code, 65, `${args[0]}: ${r.stderr}${r.stdout}`);
      assert.match(r.stderr + r.stdout, new RegExp(`not trusted: 127\\.0\\.0\\.1:${counter.port}`));
      assert.match(r.stderr + r.stdout, new RegExp(`--trust-endpoint 127\\.0\\.0\\.1:${counter.port}`));
      assert.doesNotMatch(r.stderr + r.stdout, /pipeline-secret/);
    }
    assert.equal(counter.connections, 0, 'nothing was sent to the untrusted host');

    // trusted explicitly (the option adds to the variable): the run goes there
    const trusted = await runMain(['apply', '--what-if', '--auth', 'environment', '--trust-endpoint', '127.0.0.1'], {
      cwd: dir,
      env: { ...secretEnv, ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'login.other.example' },
    });
    assert.notEqual(trusted.code, 65, trusted.stderr);
    assert.ok(counter.connections > 0);

    const bad = await runMain(['apply', '--what-if', '--trust-endpoint', 'https://host/path'], { cwd: dir });
    assert.equal(bad.code, 64, bad.stderr);
    assert.match(bad.stderr, /--trust-endpoint: 'https:\/\/host\/path' is not a host name/);
  });
});

test('trust is by host (and port when given); the Microsoft clouds need none; the file cannot trust itself', () => {
  const config = (login: string, graph: string) => ({ version: 1 as const, endpoints: { login, graph } });
  assert.doesNotThrow(() => assertEndpointsTrusted(config('https://login.microsoftonline.us', 'https://graph.microsoft.us'), {}));
  const proxy = config('https://login.proxy.example', 'https://graph.proxy.example:8443/graph');
  assert.throws(() => assertEndpointsTrusted(proxy, {}), /not trusted: login\.proxy\.example, graph\.proxy\.example:8443/);
  assert.throws(() => assertEndpointsTrusted(proxy, { ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'login.proxy.example graph.proxy.example:443' }), /not trusted: graph\.proxy\.example:8443$/);
  assert.doesNotThrow(() => assertEndpointsTrusted(proxy, { ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'LOGIN.proxy.example,graph.proxy.example:8443' }));
  assert.throws(() => assertEndpointsTrusted(proxy, { ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'proxy.example' }), /not trusted/, 'no suffix matching');
});

test('a login endpoint that never answers: the sign-in fails within the budget, naming the host (75)', { timeout: 30_000 }, async () => {
  const ctx = createContext({ env: {}, stderr: { write: () => true } });
  const credential = await createCredential('environment', {
    authorityHost: hung.url,
    tenant: 'contoso.onmicrosoft.com',
    env: secretEnv,
    isTTY: false,
    log: ctx.log,
    ca: ca.certPem,
    disableInstanceDiscovery: true,
    timeoutMs: 1500,
  });
  await assert.rejects(credential.getToken('https://graph.example/.default'), (err: unknown) => {
    assert.ok(err instanceof TransientError, String(err));
    assert.equal(exitCodeFor(err), 75);
    assert.match(err.message, new RegExp(`login endpoint ${hung.host.replace(/\./g, '\\.')} did not answer within 1\\.5 s`));
    return true;
  });
});

test('a Graph root that never answers: the request ends within the budget, naming the host (75)', { timeout: 30_000 }, async () => {
  const tenant = await emu.ensureTenant('contoso.onmicrosoft.com');
  const ctx = createContext({ env: {}, stderr: { write: () => true } });
  // signs in at the emulator (a real credential), sends Graph requests to the silent server
  const credential = new ClientSecretCredential(tenant.id, tenant.operator.clientId, tenant.operator.clientSecret, {
    authorityHost: emu.url,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emu.caPem },
  });
  const session = await createGraphSession(
    {
      endpoints: { graph: hung.url, login: emu.url, scope: `${emu.url}/.default`, region: 'Custom' },
      tenant: tenant.id,
      credential,
      ca: ca.certPem,
      credentialOptions: () => ({ authorityHost: emu.url }),
      propagationTimeout: 2,
    },
    ctx,
  );
  try {
    await assert.rejects(getServicePrincipalByAppId(session, MICROSOFT_GRAPH_APP_ID), (err: unknown) => {
      assert.ok(err instanceof TransientError, String(err));
      assert.match(err.message, new RegExp(`${hung.host.replace(/\./g, '\\.')} did not answer within 2 s`));
      return true;
    });
  } finally {
    await session.close();
  }
});

test('the built CLI: apply --what-if against a login endpoint that never answers exits 75 within the budget', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'ca.pem'), ca.certPem);
    await writeFile(join(dir, 'entra-portal.json5'), customConfig(hung.url, hung.url));
    const r = await runCli(['apply', '--what-if', '--auth', 'environment', '--propagation-timeout', '2', '--trust-endpoint', '127.0.0.1'], {
      cwd: dir,
      env: { ...secretEnv, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
      timeoutMs: 40_000,
    });
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, new RegExp(`${hung.host.replace(/\./g, '\\.')} did not answer within 2 s`));
    assert.doesNotMatch(r.stderr, /pipeline-secret/);
  });
});
