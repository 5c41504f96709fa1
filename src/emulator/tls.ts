/**
 * The emulator's throwaway PKI: a CA (kept in the state so restarts reuse it, and clients keep
 * trusting the CA file they were given) and a server certificate for 127.0.0.1, ::1 and localhost.
 *
 * The CA can vouch for nothing but those loopback names: it carries critical name constraints
 * (RFC 5280 §4.2.1.10: permitted dNSName `localhost`, iPAddress 127.0.0.1/32 and ::1/128), a path
 * length of 0 (no intermediate CA below it) and the serverAuth extended key usage, so trusting its
 * file (NODE_EXTRA_CA_CERTS, an OS store) trusts no other site. OpenSSL, and so Node and Python,
 * enforce name constraints while building the chain.
 * Keys come from node:crypto (forge's pure-JS RSA takes ~1.7 s), certificates from forge.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { KeyPairPem } from './types.js';

const DAY = 86_400_000;

/** The names the emulator serves, and the only ones its CA may certify. */
export const LOOPBACK_DNS = ['localhost'];
export const LOOPBACK_IPS = ['127.0.0.1', '::1'];

export function newRsaKeyPem(bits = 2048): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return b.toString('hex');
}

const { asn1 } = forge;

/** The 4- or 16-byte form of an IP address, as the binary string forge's ASN.1 takes. */
function ipBytes(ip: string): string {
  const b = (forge.util as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(ip);
  if (!b) throw new Error(`not an IP address: ${ip}`);
  return b;
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees } — loopback names only. */
function loopbackNameConstraints(): forge.asn1.Asn1 {
  const subtree = (tag: number, value: string) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, value)]);
  const permitted = [
    ...LOOPBACK_DNS.map((d) => subtree(2, d)),
    // iPAddress in a constraint: address followed by mask
    ...LOOPBACK_IPS.map((ip) => {
      const addr = ipBytes(ip);
      return subtree(7, addr + String.fromCharCode(...new Array<number>(addr.length).fill(0xff)));
    }),
  ];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, permitted)]);
}

type Attrs = forge.pki.CertificateField[];

/** A certificate for `keyPem`: self-signed unless an issuer (its subject and key) is given. */
function certify(keyPem: string, subject: Attrs, days: number, extensions: object[], issuer?: { attrs: Attrs; key: forge.pki.PrivateKey }): string {
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + days * DAY);
  cert.setSubject(subject);
  cert.setIssuer(issuer?.attrs ?? subject);
  cert.setExtensions(extensions);
  cert.sign((issuer?.key ?? key) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export function makeCa(): KeyPairPem {
  const keyPem = newRsaKeyPem();
  const name = [
    { name: 'commonName', value: 'entra-portal emulator CA (throwaway, loopback only)' },
    { name: 'organizationName', value: 'entra-portal emulator' },
  ];
  const certPem = certify(keyPem, name, 3650, [
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { id: '2.5.29.30', critical: true, value: loopbackNameConstraints() },
    { name: 'subjectKeyIdentifier' },
  ]);
  return { certPem, keyPem };
}

/**
 * A TLS server certificate for the loopback names, signed by the CA. `keyPem` reuses an existing
 * key (renewing an expired certificate costs no key generation).
 */
export function makeServerCert(ca: KeyPairPem, keyPem = newRsaKeyPem()): KeyPairPem {
  const issuer = { attrs: forge.pki.certificateFromPem(ca.certPem).subject.attributes, key: forge.pki.privateKeyFromPem(ca.keyPem) };
  const certPem = certify(
    keyPem,
    [{ name: 'commonName', value: '127.0.0.1' }],
    397,
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...LOOPBACK_IPS.map((ip) => ({ type: 7, ip })), ...LOOPBACK_DNS.map((value) => ({ type: 2, value }))] },
    ],
    issuer,
  );
  return { certPem, keyPem };
}

/**
 * A self-signed certificate for the token-signing key, published in the JWKS `x5c` as Entra does for
 * its signing keys (no new key: the key is the state's). Long-lived: it names a key, it is no TLS trust.
 */
export function makeSigningCert(keyPem: string): string {
  return certify(keyPem, [{ name: 'commonName', value: 'entra-portal emulator token signing' }], 3650, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
}

/** True when the PEM certificate is valid for at least another day. */
export function stillValid(certPem: string): boolean {
  try {
    return new Date(new X509Certificate(certPem).validTo).getTime() > Date.now() + DAY;
  } catch {
    return false;
  }
}

/** True when `certPem` was issued by `caPem` (its signature checks out). */
export function issuedBy(certPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}
