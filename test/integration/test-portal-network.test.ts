/**
 * The network checks against real servers (node:https with certificates made by the test, plain
 * HTTP, a silent port, a closed port) through the real check runner.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { configCheck, networkChecks } from '../../src/checks/definitions.js';
import { runChecks } from '../../src/checks/runner.js';
import type { CheckId, CheckResult } from '../../src/checks/types.js';
import type { PortalConfig } from '../../src/config/types.js';
import {
  closedPort,
  issueCert,
  makeCa,
  startHttpsServer,
  startPlainHttpServer,
  startSilentServer,
  type SettingsAnswer,
  type TestServer,
} from '../helpers/tls-server.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const OTHER_APP = '99999999-8888-7777-6666-555555555555';
const DAY = 86_400_000;
const ca = makeCa();

/** What a correctly configured VB365 answers, for the server's own URL. */
function goodSettings(over: Record<string, unknown> = {}): (ownUrl: string) => SettingsAnswer {
  return (url) => ({
    kind: 'json',
    body: {
      applicationId: APP_ID.toUpperCase(),
      msalAuthorityUri: 'https://login.microsoftonline.com/organizations',
      restorePortalUri: `${url.toUpperCase().replace('HTTPS', 'https')}/`,
      isEnabled: true,
      ...over,
    },
  });
}

type Lookup = ((id: CheckId) => CheckResult) & { all: CheckResult[] };

async function check(url: string, options: { ca?: string; timeoutMs?: number; config?: Partial<PortalConfig> } = {}): Promise<Lookup> {
  const port = Number(new URL(url).port);
  const config: PortalConfig = { version: 1, application: { appId: APP_ID }, portal: { url, restApiPort: port }, ...options.config };
  const { results } = await runChecks([
    configCheck(async () => ({ path: 'entra-portal.json5', dir: '.', config })),
    ...networkChecks({ timeoutMs: options.timeoutMs ?? 4000, now: () => Date.now(), ...(options.ca ? { ca: options.ca } : {}) }),
  ]);
  const by = new Map(results.map((r) => [r.id, r] as const));
  return Object.assign((id: CheckId) => by.get(id)!, { all: results });
}

const servers: TestServer[] = [];
async function https(...args: Parameters<typeof startHttpsServer>): Promise<TestServer> {
  const s = await startHttpsServer(...args);
  servers.push(s);
  return s;
}
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test('good: CA-issued certificate, CA trusted, settings matching → every network check passes', async () => {
  const s = await https(issueCert({ ca, hosts: ['127.0.0.1', 'localhost'] }), { settings: goodSettings() });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('url.format').status, 'warn', 'a loopback address is reachable from this machine only');
  for (const id of ['config', 'url.port', 'tcp', 'tls.handshake', 'tls.expiry', 'tls.hostname', 'tls.trust', 'restapi.settings'] as const) {
    assert.equal(r(id).status, 'pass', `${id}: ${r(id).message}`);
  }
  assert.equal(r('dns').status, 'skip');
  assert.match(r('dns').message, /IPv4 address/);
  assert.match(r('tls.handshake').message, /^TLSv1\.[23] /);
  const d = r('tls.handshake').details!;
  assert.equal(d.subject, 'CN=127.0.0.1');
  assert.equal(d.issuer, 'CN=entra-portal test CA');
  assert.match(String(d.thumbprint), /^[0-9A-F]{40}$/);
  assert.ok(!Number.isNaN(Date.parse(String(d.notAfter))));
  assert.match(r('tls.trust').message, /trusted root \(CN=entra-portal test CA\)/);
  assert.deepEqual(s.requests, ['GET /v8/RestorePortalSettings']);
});

test('DNS name: localhost resolves, and its addresses are listed', async () => {
  const s = await https(issueCert({ ca, hosts: ['localhost', '127.0.0.1'] }), {
    settings: (own) => goodSettings()(own.replace('127.0.0.1', 'localhost')),
  });
  const r = await check(`https://localhost:${s.port}`, { ca: ca.certPem });
  assert.equal(r('dns').status, 'pass', r('dns').message);
  const addresses = r('dns').details!.addresses as { address: string }[];
  assert.ok(addresses.some((a) => a.address === '127.0.0.1' || a.address === '::1'));
  assert.equal(r('tcp').status, 'pass', r('tcp').message);
  assert.equal(r('tls.hostname').status, 'pass', r('tls.hostname').message);
  assert.equal(r('restapi.settings').status, 'pass', r('restapi.settings').message);
});

test('the same CA-issued certificate without the CA trusted is an unknown-CA warning, not a failure', async () => {
  const s = await https(issueCert({ ca }), { settings: goodSettings() });
  const r = await check(s.url);
  assert.equal(r('tls.trust').status, 'warn');
  assert.match(r('tls.trust').message, /unknown CA \(CN=entra-portal test CA\)/);
  assert.ok(r('tls.trust').remedy);
  assert.equal(r('restapi.settings').status, 'pass', 'the settings read accepts the served certificate');
});

test('self-signed: a trust warning that says so', async () => {
  const s = await https(issueCert({}), { settings: goodSettings() });
  const r = await check(s.url);
  assert.equal(r('tls.trust').status, 'warn');
  assert.match(r('tls.trust').message, /self-signed/);
  assert.equal(r('tls.hostname').status, 'pass');
});

test('expired: tls.expiry fails with the date; trust is still judged (by hand) against the CA', async () => {
  const notAfter = new Date(Date.now() - 2 * DAY);
  const s = await https(issueCert({ ca, notBefore: new Date(Date.now() - 30 * DAY), notAfter }), { settings: goodSettings() });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('tls.expiry').status, 'fail');
  assert.match(r('tls.expiry').message, /expired on/);
  assert.ok(r('tls.expiry').message.includes(notAfter.toISOString().slice(0, 10)));
  assert.ok(r('tls.expiry').remedy?.includes('Set-VBORestAPISettings'));
  assert.equal(r('tls.trust').status, 'pass', r('tls.trust').message);
  assert.match(r('tls.trust').message, /see tls\.expiry/);
  assert.equal(r('tls.handshake').status, 'pass');
});

test('a server that speaks TLS 1.1 at most: the handshake fails and names the protocol', async () => {
  const s = await https(issueCert({ ca }), { tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('tls.handshake').status, 'fail');
  assert.match(r('tls.handshake').message, /TLSv1\.1 only: TLS 1\.2 or later is required/);
  assert.equal(r('restapi.settings').status, 'skip');
});

test('not yet valid: tls.expiry fails', async () => {
  const s = await https(issueCert({ ca, notBefore: new Date(Date.now() + 3 * DAY), notAfter: new Date(Date.now() + 300 * DAY) }), { settings: goodSettings() });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('tls.expiry').status, 'fail');
  assert.match(r('tls.expiry').message, /not valid yet/);
});

test('expiring within 30 days: a warning with the date', async () => {
  const notAfter = new Date(Date.now() + 10 * DAY);
  const s = await https(issueCert({ ca, notAfter }), { settings: goodSettings() });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('tls.expiry').status, 'warn');
  assert.match(r('tls.expiry').message, /expires in (9|10) days/);
  assert.ok(r('tls.expiry').message.includes(notAfter.toISOString().slice(0, 10)));
});

test('wrong host: tls.hostname fails and names what the certificate covers', async () => {
  const s = await https(issueCert({ ca, hosts: ['portal.example.com', '10.1.2.3'] }), { settings: goodSettings() });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('tls.hostname').status, 'fail');
  assert.match(r('tls.hostname').message, /does not cover 127\.0\.0\.1/);
  assert.match(r('tls.hostname').message, /portal\.example\.com/);
  assert.match(r('tls.hostname').remedy!, /IP:127\.0\.0\.1/);
  assert.equal(r('tls.trust').status, 'pass', 'the chain is judged apart from the name');
});

test('plain HTTP on the port: the handshake fails and says the port speaks plain HTTP; the rest is skipped', async () => {
  const s = await startPlainHttpServer();
  servers.push(s);
  const r = await check(`https://127.0.0.1:${s.port}`);
  assert.equal(r('tcp').status, 'pass');
  assert.equal(r('tls.handshake').status, 'fail');
  assert.match(r('tls.handshake').message, /plain HTTP/);
  for (const id of ['tls.expiry', 'tls.hostname', 'tls.trust', 'restapi.settings'] as const) {
    assert.equal(r(id).status, 'skip');
    assert.equal(r(id).message, 'skipped: tls.handshake failed');
  }
});

test('closed port: tcp fails (refused) with a remedy; nothing after it runs', async () => {
  const port = await closedPort();
  const r = await check(`https://127.0.0.1:${port}`);
  assert.equal(r('tcp').status, 'fail');
  assert.match(r('tcp').message, /refused/);
  assert.match(r('tcp').remedy!, new RegExp(`HTTPSPort ${port}`));
  assert.equal(r('tls.handshake').status, 'skip');
  assert.equal(r('tls.handshake').message, 'skipped: tcp failed');
  assert.equal(r('tls.trust').message, 'skipped: tcp failed');
});

test('a port that accepts and never answers: the handshake fails within the timeout', async () => {
  const s = await startSilentServer();
  servers.push(s);
  const r = await check(`https://127.0.0.1:${s.port}`, { timeoutMs: 500 });
  assert.equal(r('tcp').status, 'pass');
  assert.equal(r('tls.handshake').status, 'fail');
  assert.match(r('tls.handshake').message, /did not complete a TLS handshake within 0\.5 s/);
});

test('settings naming another application: fail with the Set-VBORestorePortalSettings remedy', async () => {
  const s = await https(issueCert({ ca }), { settings: goodSettings({ applicationId: OTHER_APP }) });
  const r = await check(s.url, { ca: ca.certPem });
  const c = r('restapi.settings');
  assert.equal(c.status, 'fail');
  assert.ok(c.message.includes(OTHER_APP) && c.message.includes(APP_ID), c.message);
  assert.match(c.remedy!, /^Give VB365 the configured values: entra-portal export-vb365 --out <folder>/);
  assert.ok(c.remedy!.endsWith(`; or run on the VB365 server: Set-VBORestorePortalSettings -ApplicationId ${APP_ID}`));
});

test('settings that are disabled, point elsewhere and use another cloud: every problem named', async () => {
  const s = await https(issueCert({ ca }), {
    settings: goodSettings({ isEnabled: false, restorePortalUri: 'https://old.example.com:4443', msalAuthorityUri: 'https://login.microsoftonline.us/x' }),
  });
  const r = await check(s.url, { ca: ca.certPem });
  const c = r('restapi.settings');
  assert.equal(c.status, 'fail');
  assert.match(c.message, /not enabled/);
  assert.match(c.message, /old\.example\.com/);
  assert.match(c.message, /login\.microsoftonline\.us/);
  assert.match(c.remedy!, /-EnableService -ApplicationId .* -PortalUri https:\/\/127\.0\.0\.1:\d+ -Region Worldwide/);
});

test('settings endpoint answering HTML: not JSON', async () => {
  const s = await https(issueCert({ ca }), { settings: { kind: 'text', body: '<html><body>IIS</body></html>' } });
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('restapi.settings').status, 'fail');
  assert.match(r('restapi.settings').message, /did not answer JSON/);
  assert.ok(r('restapi.settings').remedy);
});

test('settings endpoint 404: not the VB365 REST API v8', async () => {
  const s = await https(issueCert({ ca }), {});
  const r = await check(s.url, { ca: ca.certPem });
  assert.equal(r('restapi.settings').status, 'fail');
  assert.match(r('restapi.settings').message, /404/);
  assert.match(r('restapi.settings').remedy!, /Set-VBORestAPISettings/);
});

test('a URL without a port: url.format fails and every network check is skipped', async () => {
  const r = await check('https://127.0.0.1:1', { config: { portal: { url: 'https://portal.example.com' } } });
  assert.equal(r('url.format').status, 'fail');
  assert.match(r('url.format').message, /no port/);
  assert.match(r('url.format').remedy!, /https:\/\/portal\.example\.com:4443/);
  for (const id of ['url.port', 'dns', 'tcp', 'tls.handshake', 'restapi.settings'] as const) assert.equal(r(id).status, 'skip');
  assert.equal(r.all.filter((c) => c.status === 'fail').length, 1, 'one failure, no cascade');
});

test('no socket outlives the run: a silent port, then a closed server, leave no TCP/TLS handles behind', async () => {
  const count = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;
  const baseline = count();
  const s = await startSilentServer();
  const r = await check(`https://127.0.0.1:${s.port}`, { timeoutMs: 300 });
  assert.equal(r('tls.handshake').status, 'fail');
  await s.close();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(count(), baseline);
});
