/**
 * tls.handshake, tls.expiry, tls.hostname, tls.trust.
 *
 * One handshake through node:tls with `rejectUnauthorized: false` (we want to see the certificate
 * whatever it is) and with the host-name check switched off, so that `socket.authorized` judges the
 * chain alone — against Node's roots plus NODE_EXTRA_CA_CERTS, or an explicit `ca` (tests) — and the
 * host name, dates and trust are each reported by their own check.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { net, tls } from './sockets.js';
import { DEFAULT_WARN_DAYS } from '../reconcile/aspects/certificates.js';
import { fail, pass, warn, type CheckOutcome } from './types.js';
import type { PortalUrl } from './url.js';

export interface TlsProbe {
  protocol: string;
  cipher: string;
  authorized: boolean;
  authorizationError?: string;
  /** the served chain, leaf first, as the server sent it (plus what Node linked from its store) */
  chain: X509Certificate[];
  peer: DetailedPeerCertificate;
}

export interface TlsOptions {
  /** extra trust anchors (PEM); used in addition to Node's roots (tests, private CAs) */
  ca?: string | string[];
  /** the environment, for NODE_EXTRA_CA_CERTS when the chain has to be judged by hand */
  env?: NodeJS.ProcessEnv;
  /** now, in ms (injected clock) */
  now?: number;
}

const CERT_REMEDY_TAIL = 'the portal is served with the VB365 REST API certificate (Set-VBORestAPISettings -CertificateFilePath <pfx> -CertificatePassword …)';

/** The certificate fields every TLS check reports. */
export function certificateDetails(cert: X509Certificate): Record<string, unknown> {
  return {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    thumbprint: cert.fingerprint.replace(/:/g, '').toUpperCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    ...(cert.subjectAltName ? { subjectAltName: cert.subjectAltName } : {}),
  };
}

function dn(multiline: string): string {
  return multiline.split('\n').filter(Boolean).join(', ');
}

function anchorsFor(ca: TlsOptions['ca']): string[] | undefined {
  if (ca === undefined) return undefined;
  return [...tls().rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}

interface RawHandshake {
  socket: TLSSocket;
}

function handshake(url: PortalUrl, signal: AbortSignal, options: TlsOptions, legacy: boolean): Promise<RawHandshake> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const ca = anchorsFor(options.ca);
    const socket = tls().connect({
      host: url.host,
      port: url.port,
      ...(url.hostKind === 'dns' ? { servername: url.host } : {}),
      rejectUnauthorized: false,
      // judged by tls.hostname on its own; keeps `authorized` about the chain only
      checkServerIdentity: () => undefined,
      ...(ca ? { ca } : {}),
      // the second attempt only learns which (old) protocol the server insists on
      ...(legacy ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', () => undefined); // errors after the handshake are not ours to report
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve({ socket });
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    });
    // a server that closes without an alert
    socket.once('close', () => {
      signal.removeEventListener('abort', onAbort);
      reject(Object.assign(new Error('the server closed the connection during the TLS handshake'), { code: 'ECONNRESET' }));
    });
  });
}

function chainOf(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = peer;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    chain.push(new X509Certificate(c.raw));
    c = c.issuerCertificate;
  }
  return chain;
}

const PROTOCOL_ERROR = /protocol version|unsupported protocol|no protocols available|wrong ssl version|version too low/i;
const NOT_TLS_ERROR = /wrong version number|packet length too long|http request|record layer failure|unexpected eof|record_layer/i;

/** Does the port answer plain HTTP? (After a TLS handshake failed in a way that suggests it.) */
export function speaksPlainHttp(host: string, port: number, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const socket = net().connect({ host, port });
    let buf = '';
    const finish = (v: string | undefined) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(v);
    };
    const onAbort = () => finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('latin1');
    socket.once('connect', () => socket.write(`HEAD / HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('\r\n') || buf.length > 64) {
        const line = buf.split('\r\n')[0] ?? '';
        finish(/^HTTP\/\d(\.\d)? \d{3}/.test(line) ? line : undefined);
      }
    });
    socket.on('error', () => finish(undefined));
    socket.once('end', () => finish(/^HTTP\/\d/.test(buf) ? buf.split('\r\n')[0] : undefined));
    socket.once('close', () => finish(/^HTTP\/\d/.test(buf) ? buf.split('\r\n')[0] : undefined));
  });
}

/** tls.handshake: returns the probe as `data` for the three checks that judge it. */
export async function checkTlsHandshake(url: PortalUrl, signal: AbortSignal, options: TlsOptions = {}): Promise<CheckOutcome> {
  const target = `${url.host}:${url.port}`;
  let socket: TLSSocket;
  try {
    ({ socket } = await handshake(url, signal, options, false));
  } catch (err) {
    if (signal.aborted) throw err;
    const e = err as NodeJS.ErrnoException;
    const text = `${e.code ?? ''} ${e.message}`;
    if (PROTOCOL_ERROR.test(text)) {
      let offered: string | undefined;
      try {
        const legacy = await handshake(url, signal, options, true);
        offered = legacy.socket.getProtocol() ?? undefined;
        legacy.socket.destroy();
      } catch {
        /* the server refuses even the old protocols */
      }
      return fail(
        offered ? `${target} negotiates ${offered} only: TLS 1.2 or later is required` : `${target} does not offer TLS 1.2 or later (${e.message})`,
        'Enable TLS 1.2 (and 1.3) on the REST API machine (Windows: SCHANNEL protocol settings, e.g. IIS Crypto) and restart the Veeam.Archiver.REST service',
        { code: e.code, ...(offered ? { protocol: offered } : {}) },
      );
    }
    if (NOT_TLS_ERROR.test(text)) {
      const status = await speaksPlainHttp(url.host, url.port, signal);
      if (status) {
        return fail(
          `${target} speaks plain HTTP, not HTTPS (it answered "${status}")`,
          `Another web server answers on port ${url.port}. The Restore Portal is served over HTTPS by the VB365 REST API: free the port or choose another one (Set-VBORestAPISettings -HTTPSPort …) and update portal.url`,
          { code: e.code, plainHttp: true },
        );
      }
    }
    return fail(`TLS handshake with ${target} failed: ${e.message}`, `Check that port ${url.port} is the VB365 REST API's HTTPS port and that ${CERT_REMEDY_TAIL}`, {
      ...(e.code ? { code: e.code } : {}),
    });
  }
  try {
    const peer = socket.getPeerCertificate(true);
    const protocol = socket.getProtocol() ?? 'unknown';
    const cipher = socket.getCipher()?.name ?? 'unknown';
    if (!peer || !peer.raw) return fail(`${target} presented no certificate`, `Install a certificate: ${CERT_REMEDY_TAIL}`);
    const chain = chainOf(peer);
    const probe: TlsProbe = {
      protocol,
      cipher,
      authorized: socket.authorized,
      ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
      chain,
      peer,
    };
    const leaf = chain[0]!;
    const details = { protocol, cipher, ...certificateDetails(leaf) };
    if (!/^TLSv1\.[23]$/.test(protocol)) {
      return fail(`${target} negotiated ${protocol}: TLS 1.2 or later is required`, 'Enable TLS 1.2 or later on the REST API machine', details);
    }
    return pass(`${protocol} with ${cipher}`, details, probe);
  } finally {
    socket.destroy();
  }
}

/**
 * tls.expiry: the served certificate's dates. Warns within `warnDays` of notAfter, fails when it has
 * expired or is not valid yet. `details` always carry notAfter and daysLeft (negative once expired),
 * for monitors that track the date themselves.
 */
export function checkTlsExpiry(probe: TlsProbe, now: number, warnDays = DEFAULT_WARN_DAYS): CheckOutcome {
  const leaf = probe.chain[0]!;
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now) / 86_400_000);
  const details = { notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString(), daysLeft, thumbprint: leaf.fingerprint.replace(/:/g, '') };
  const remedy = `Renew the certificate: ${CERT_REMEDY_TAIL}`;
  if (now < notBefore.getTime()) {
    return fail(`the certificate is not valid yet: valid from ${notBefore.toISOString()}`, `Check the server clock, or ${remedy.charAt(0).toLowerCase()}${remedy.slice(1)}`, details);
  }
  if (now > notAfter.getTime()) return fail(`the certificate expired on ${notAfter.toISOString()}`, remedy, details);
  if (daysLeft < warnDays) {
    return warn(`the certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}, on ${notAfter.toISOString()}`, remedy, details);
  }
  return pass(`valid until ${notAfter.toISOString().slice(0, 10)} (${daysLeft} days)`, details);
}

export function checkTlsHostname(probe: TlsProbe, url: PortalUrl): CheckOutcome {
  const err = tls().checkServerIdentity(url.host, probe.peer);
  const san = probe.peer.subjectaltname;
  const details = { host: url.host, ...(san ? { subjectAltName: san } : {}), subject: dn(probe.chain[0]!.subject) };
  if (!err) return pass(`the certificate covers ${url.host}`, details);
  const names = san ? san.replace(/DNS:|IP Address:/g, '') : `no subject alternative names (subject ${details.subject})`;
  return fail(
    `the certificate does not cover ${url.host}: it names ${names}`,
    `Browsers will refuse it. Issue a certificate whose subject alternative names include ${url.hostKind === 'ipv4' ? `IP:${url.host}` : `DNS:${url.host}`} — ${CERT_REMEDY_TAIL} — or use a name the certificate covers in portal.url`,
    details,
  );
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_CA = new Set(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD']);

export function checkTlsTrust(probe: TlsProbe, options: TlsOptions = {}): CheckOutcome {
  const leaf = probe.chain[0]!;
  const top = probe.chain[probe.chain.length - 1]!;
  const details: Record<string, unknown> = {
    issuer: dn(leaf.issuer),
    chain: probe.chain.map((c) => dn(c.subject)),
    ...(probe.authorizationError ? { verifyError: probe.authorizationError } : {}),
  };
  const untrustedRemedy = `Users' browsers will warn about it. Use a certificate from a CA their browsers trust (a public CA, or your enterprise CA deployed to every client): ${CERT_REMEDY_TAIL}`;
  if (probe.authorized) return pass(`chains to a trusted root (${dn(top.subject)})`, details);
  let code = probe.authorizationError ?? '';
  if (DATE_ERRORS.has(code)) {
    // OpenSSL reports the date problem and hides the chain verdict: judge the chain by hand
    // (tls.expiry reports the dates).
    const anchor = findAnchor(probe.chain, options);
    if (anchor) return pass(`chains to a trusted root (${dn(anchor.subject)}); see tls.expiry for the dates`, details);
    code = leaf.checkIssued(leaf) ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  }
  if (SELF_SIGNED.has(code)) {
    return code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
      ? warn(`the certificate is self-signed (${dn(leaf.subject)})`, untrustedRemedy, details)
      : warn(`the chain ends at a root that is not trusted here (${dn(top.subject)})`, untrustedRemedy, details);
  }
  if (UNKNOWN_CA.has(code)) {
    return warn(
      `issued by an unknown CA (${dn(leaf.issuer)}): it does not chain to a trusted root`,
      `${untrustedRemedy}. If the CA is yours, also make sure the server sends the intermediate certificates`,
      details,
    );
  }
  return fail(`the certificate chain does not verify: ${code || 'unknown error'}`, untrustedRemedy, details);
}

/** A trust anchor that issued (or is) one of the chain's certificates, ignoring dates. */
function findAnchor(chain: X509Certificate[], options: TlsOptions): X509Certificate | undefined {
  const pems = [...tls().rootCertificates];
  const extra = options.env?.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      pems.push(...splitPem(readFileSync(extra, 'utf8')));
    } catch {
      /* Node itself warns about an unreadable NODE_EXTRA_CA_CERTS */
    }
  }
  if (options.ca) pems.push(...(Array.isArray(options.ca) ? options.ca : [options.ca]).flatMap(splitPem));
  const anchors = pems.flatMap((p) => {
    try {
      return [new X509Certificate(p)];
    } catch {
      return [];
    }
  });
  for (const c of chain) {
    for (const a of anchors) {
      if (a.fingerprint256 === c.fingerprint256) return a;
      if (c.checkIssued(a) && c.verify(a.publicKey)) return a;
    }
  }
  return undefined;
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
