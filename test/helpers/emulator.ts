/**
 * Integration-test helpers around the Entra emulator.
 *
 * TLS trust, in-process (verified by test/integration/emulator-*.test.ts):
 *  - Graph client / plain fetch: Node's global fetch takes an undici dispatcher:
 *      fetch(url, { dispatcher: new Agent({ connect: { ca: handle.caPem } }) })
 *    and the Graph client passes `fetchOptions` through to fetch:
 *      Client.initWithMiddleware({ ..., fetchOptions: { dispatcher } })
 *  - @azure/identity credentials: core-rest-pipeline's `tlsOptions` (PipelineOptions):
 *      new ClientSecretCredential(tenant, id, secret, { authorityHost: handle.url,
 *        disableInstanceDiscovery: true, tlsOptions: { ca: handle.caPem } })
 *    (`ca` *replaces* the default roots for that credential, which is what we want here.)
 *  - A child process (the built CLI, curl, az): NODE_EXTRA_CA_CERTS=handle.caFile (read at start-up
 *    only), or `curl --cacert handle.caFile`. Use async execFile: a synchronous child deadlocks
 *    against an in-process emulator (docs/dependencies.md, "Child processes next to an in-process
 *    server").
 * The Graph client only attaches the bearer token to hosts in `customHosts` (host names, no port).
 */
import assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';
import { startEmulator, type EmulatorHandle, type EmulatorOptions, type EmulatorTenant } from '../../src/emulator/index.js';
import { testPki } from './pki.js';

export type { EmulatorHandle, EmulatorOptions, EmulatorTenant };

/** Starts an in-memory emulator (unless options say otherwise) from the test PKI, runs fn, always stops it. */
export async function withEmulator<T>(fn: (handle: EmulatorHandle) => Promise<T>, options: EmulatorOptions = {}): Promise<T> {
  const handle = await startEmulator({ pki: testPki, ...options });
  try {
    return await fn(handle);
  } finally {
    await handle.stop();
  }
}

const dispatchers = new WeakMap<EmulatorHandle, Agent>();

/** An undici dispatcher that trusts the emulator CA (for fetch and the Graph client's fetchOptions). */
export function dispatcherFor(handle: EmulatorHandle): Agent {
  let d = dispatchers.get(handle);
  if (!d) {
    d = new Agent({ connect: { ca: handle.caPem } });
    dispatchers.set(handle, d);
  }
  return d;
}

/** Options for any @azure/identity credential so that it talks to (and trusts) the emulator. */
export function credentialOptions(handle: EmulatorHandle): { authorityHost: string; disableInstanceDiscovery: true; tlsOptions: { ca: string } } {
  return { authorityHost: handle.url, disableInstanceDiscovery: true, tlsOptions: { ca: handle.caPem } };
}

export type CredentialKind = 'operator' | 'unprivileged';

export function secretCredentialFor(handle: EmulatorHandle, tenant: EmulatorTenant, kind: CredentialKind = 'operator'): ClientSecretCredential {
  const c = tenant[kind];
  return new ClientSecretCredential(tenant.id, c.clientId, c.clientSecret, credentialOptions(handle));
}

/** `pem` = private key PEM + certificate PEM (leaf first), as ClientCertificateCredential wants. */
export function certificateCredentialFor(handle: EmulatorHandle, tenantId: string, clientId: string, pem: string): ClientCertificateCredential {
  return new ClientCertificateCredential(tenantId, clientId, { certificate: pem }, credentialOptions(handle));
}

/** The real Graph client against the emulator, authenticated as the tenant's operator (or any credential). */
export function graphClientFor(handle: EmulatorHandle, tenant: EmulatorTenant, credential: CredentialKind | TokenCredential = 'operator'): Client {
  const cred = typeof credential === 'string' ? secretCredentialFor(handle, tenant, credential) : credential;
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(cred, { scopes: [`${handle.url}/.default`] }),
    // the client appends the version: baseUrl + 'v1.0' + path
    baseUrl: `${handle.url}/`,
    customHosts: new Set([new URL(handle.url).hostname]),
    fetchOptions: { dispatcher: dispatcherFor(handle) } as RequestInit,
  });
}

/** An access token for the tenant's operator (or the unprivileged one), for plain fetch checks. */
export async function tokenFor(handle: EmulatorHandle, tenant: EmulatorTenant, kind: CredentialKind = 'operator'): Promise<string> {
  const t = await secretCredentialFor(handle, tenant, kind).getToken(`${handle.url}/.default`);
  return t.token;
}

/** Plain fetch against the emulator (trusting its CA), JSON in and out. */
export async function emulatorFetch(
  handle: EmulatorHandle,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${handle.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
    dispatcher: dispatcherFor(handle),
  } as RequestInit);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A self-signed RSA certificate for keyCredential tests (native key generation; forge only signs). */
export async function makeTestCertificate(options: { subject?: string; notBefore?: Date; notAfter?: Date } = {}): Promise<{
  certPem: string;
  keyPem: string;
  /** standard base64 of the DER: Graph's keyCredentials[].key */
  derBase64: string;
  thumbprint: string;
}> {
  const { generateKeyPairSync, createHash } = await import('node:crypto');
  const forge = (await import('node-forge')).default;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const key = forge.pki.privateKeyFromPem(keyPem) as import('node-forge').pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${Date.now().toString(16)}`;
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 3600_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const name = [{ name: 'commonName', value: options.subject ?? 'entra-portal test' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { certPem, keyPem, derBase64: der.toString('base64'), thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase() };
}

/** The error shape the Graph client rejects with (GraphError: statusCode, code, message). */
export type GraphErr = { statusCode: number; code: string; message: string };

/** Assert that a Graph client call rejects with this status (and code, and message). */
export const rejectsWith = (p: Promise<unknown>, status: number, code?: string, message?: RegExp) =>
  assert.rejects(p, (e: GraphErr) => {
    assert.equal(e.statusCode, status, `${e.code}: ${e.message}`);
    if (code) assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  });

/**
 * The emulator's stand-in for the VB365 REST API (`GET /v8/RestorePortalSettings`) on a loopback
 * port, answering enabled for `appId` (set it once apply has recorded one) at its own URL; the
 * Emulator-region config whose portal is that URL. Stopped when `fn` ends.
 */
export async function withRestoreApiStandIn<T>(
  fn: (standIn: { url: string; caFile: string; config: (name: string, uniqueName: string) => string; setAppId(appId: string): void }) => Promise<T>,
): Promise<T> {
  const { testPki } = await import('./pki.js');
  let appId = '00000000-0000-0000-0000-000000000000';
  let url = '';
  const rest = await startEmulator({
    pki: testPki,
    restoreApi: { port: 0, settings: () => ({ applicationId: appId, msalAuthorityUri: 'https://127.0.0.1/organizations', restorePortalUri: url, isEnabled: true }) },
  });
  url = rest.restoreApiUrl!;
  const port = Number(new URL(url).port);
  try {
    return await fn({
      url,
      caFile: rest.caFile,
      config: (name, uniqueName) =>
        `{\n  version: 1,\n  region: 'Emulator',\n  tenant: 'contoso.onmicrosoft.com',\n  application: { name: '${name}', uniqueName: '${uniqueName}', multiTenant: false },\n  portal: { url: '${url}', restApiPort: ${port} },\n}\n`,
      setAppId: (id) => {
        appId = id;
      },
    });
  } finally {
    await rest.stop();
  }
}
