/**
 * Real servers for the network checks: node:https with certificates made here (node-forge
 * certificates for the fixed test keys of test/fixtures/pki, signed through node:crypto), a plain
 * HTTP server, a port that accepts and never answers, a closed port. Everything listens on 127.0.0.1
 * only; `close()` ends every open connection.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { nativeSigner } from '../../src/certs/generate.js';
import { testKeys } from './pki.js';

export interface KeyAndCert {
  keyPem: string;
  certPem: string;
}

const DAY = 86_400_000;

/** A fixed test key (no key generation per certificate: each certificate is new, its key is not). */
function testKey(keyPem: string): { keyPem: string; key: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { keyPem, key, publicKey: forge.pki.rsa.setPublicKey(key.n, key.e) };
}

/** Sign with node:crypto (forge's own RSA is pure JavaScript: ~65 ms a signature). */
function sign(cert: forge.pki.Certificate, keyPem: string): void {
  cert.sign(nativeSigner(createPrivateKey(keyPem)) as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

export function makeCa(name = 'entra-portal test CA'): KeyAndCert & { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate } {
  const { keyPem, key, publicKey } = testKey(testKeys.tlsCa);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY);
  const attrs = [{ name: 'commonName', value: name }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  sign(cert, keyPem);
  return { keyPem, certPem: forge.pki.certificateToPem(cert), key, cert };
}

export interface LeafOptions {
  /** DNS names and IP addresses for the SAN (default 127.0.0.1 and localhost) */
  hosts?: string[];
  /** issuing CA; omitted = self-signed */
  ca?: ReturnType<typeof makeCa>;
  notBefore?: Date;
  notAfter?: Date;
  commonName?: string;
}

export function issueCert(options: LeafOptions = {}): KeyAndCert {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const { keyPem, publicKey } = testKey(testKeys.tlsLeaf);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
  cert.setSubject([{ name: 'commonName', value: options.commonName ?? hosts[0] ?? 'portal' }]);
  cert.setIssuer(options.ca ? options.ca.cert.subject.attributes : cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  sign(cert, options.ca ? options.ca.keyPem : keyPem);
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

export interface TestServer {
  port: number;
  /** https://127.0.0.1:PORT (http:// for the plain server) */
  url: string;
  requests: string[];
  close(): Promise<void>;
}

function track(server: NetServer): { sockets: Set<Socket>; closeAll(): Promise<void> } {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    sockets,
    closeAll: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
}

/** What the fake REST API answers on GET /v8/RestorePortalSettings. */
export type SettingsAnswer =
  | { kind: 'json'; body: unknown }
  | { kind: 'text'; body: string; contentType?: string }
  | { kind: 'status'; status: number };

/** A fixed answer, or one computed from the server's own URL (known only once it listens). */
export type SettingsOption = SettingsAnswer | ((ownUrl: string) => SettingsAnswer);

export function settingsHandler(option: SettingsOption | undefined, requests: string[], ownUrl: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const answer = typeof option === 'function' ? option(ownUrl()) : option;
    if (req.url !== '/v8/RestorePortalSettings' || !answer) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    if (answer.kind === 'json') res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.body));
    else if (answer.kind === 'text') res.writeHead(200, { 'content-type': answer.contentType ?? 'text/html' }).end(answer.body);
    else res.writeHead(answer.status).end();
  };
}

export async function startHttpsServer(
  cert: KeyAndCert,
  options: { settings?: SettingsOption; chain?: string[]; tls?: { minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2'; maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; ciphers?: string } } = {},
): Promise<TestServer> {
  const requests: string[] = [];
  let port = 0;
  const server = createHttpsServer(
    { key: cert.keyPem, cert: [cert.certPem, ...(options.chain ?? [])].join('\n'), ...(options.tls ?? {}) },
    settingsHandler(options.settings, requests, () => `https://127.0.0.1:${port}`),
  );
  server.on('tlsClientError', () => undefined);
  const t = track(server);
  port = await listen(server);
  return { port, url: `https://127.0.0.1:${port}`, requests, close: t.closeAll };
}

export async function startPlainHttpServer(settings?: SettingsOption): Promise<TestServer> {
  const requests: string[] = [];
  let port = 0;
  const server = createHttpServer(settingsHandler(settings, requests, () => `http://127.0.0.1:${port}`));
  server.on('clientError', (_e, socket: Socket) => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
  const t = track(server);
  port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}`, requests, close: t.closeAll };
}

/** A port that accepts connections and never says a word. */
export async function startSilentServer(): Promise<TestServer> {
  const server = createNetServer(() => undefined);
  const t = track(server);
  const port = await listen(server);
  return { port, url: `https://127.0.0.1:${port}`, requests: [], close: t.closeAll };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
