/**
 * Self-signed certificates for the application (install-cert --generate; also used by tests).
 *
 * The RSA key comes from node:crypto (native; forge's pure-JS keygen is ~15× slower, see
 * docs/dependencies.md, "node-forge"), the X.509 is built and signed with forge using SHA-256 (forge's
 * `cert.sign(key)` defaults to SHA-1). Extensions fit Entra keyCredentials and client assertions:
 * keyUsage digitalSignature+keyEncipherment, extKeyUsage clientAuth, basicConstraints CA:false,
 * subject/authority key identifiers.
 *
 * forge builds the TBSCertificate, hashes it (SHA-256) and encodes the signature; the RSA private-key
 * operation itself is delegated to node:crypto through the `{ sign(md) }` object forge calls
 * (forge's BigInteger RSA takes ~65 ms per signature here, node's < 2 ms). The result is the same
 * RSASSA-PKCS1-v1_5 signature forge's own key would produce.
 */
import { constants, createPrivateKey, privateEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { certificateInfoFromX509, type CertificateInfo } from './info.js';
import { DN_OIDS, parseDn } from './dn.js';
import type forgeNs from 'node-forge';
import { loadForge } from './forge.js';
import { startRsaKeyPair, type RsaKeyPairPem } from './keygen.js';

export type KeySize = 2048 | 3072 | 4096;
export const KEY_SIZES: readonly KeySize[] = [2048, 3072, 4096];
/**
 * A year: what tenants that follow CISA's SCuBA baseline allow at most (MS.AAD.5.7: application
 * certificates of 365 days or less, enforced with an app management policy that refuses anything
 * longer — https://github.com/cisagov/ScubaGear/issues/1963), and the lifetime Microsoft's own
 * how-to defaults a key credential to (https://learn.microsoft.com/graph/applications-how-to-add-certificate).
 * Exactly 365 days from notBefore: within a P365D limit.
 */
export const DEFAULT_VALIDITY_DAYS = 365;
export const DEFAULT_KEY_SIZE: KeySize = 2048;
export const DEFAULT_SUBJECT_NAME = 'Veeam Restore Portal';

export interface GenerateOptions {
  /** a DN ("CN=…, O=…") or a bare name, which becomes CN=<name> */
  subject: string;
  validityDays?: number;
  keySize?: KeySize;
  /** default: now (to the second) */
  notBefore?: Date;
  /** a key pair of `keySize` bits already being generated (startRsaKeyPair), e.g. started by the CLI before it loaded the config */
  keyPair?: Promise<RsaKeyPairPem>;
}

export interface CertificateWithKey {
  info: CertificateInfo;
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY") */
  keyPem: string;
}

/** "CN=x" stays, a bare "x" becomes "CN=x" (a DN always contains "="). */
export function subjectDn(subject: string): string {
  return subject.includes('=') ? subject : `CN=${subject.replace(/([,+\\])/g, '\\$1')}`;
}

/** A random positive serial (16 bytes, top bit clear so DER keeps it positive, next bit set so the length is stable). */
function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b.toString('hex');
}

/** DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** What forge's `cert.sign(key, md)` needs from a key: `sign(md)` returning a binary string. */
export function nativeSigner(key: KeyObject): { sign(md: forgeNs.md.MessageDigest): string } {
  return {
    sign(md) {
      if (md.algorithm !== 'sha256') throw new Error(`native signer supports SHA-256 only, not ${md.algorithm}`);
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const sig = privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
      return sig.toString('binary');
    },
  };
}

/** X.520: countryName is a PrintableString, domainComponent and emailAddress IA5String, the rest UTF8String. */
function valueTag(type: string, t: typeof forgeNs.asn1.Type): number {
  if (type === 'C') return t.PRINTABLESTRING;
  if (DN_OIDS[type] === DN_OIDS.DC || DN_OIDS[type] === DN_OIDS.E) return t.IA5STRING;
  return t.UTF8;
}

export async function generateSelfSigned(opts: GenerateOptions): Promise<CertificateWithKey> {
  const keySize = opts.keySize ?? DEFAULT_KEY_SIZE;
  const validityDays = opts.validityDays ?? DEFAULT_VALIDITY_DAYS;
  if (!KEY_SIZES.includes(keySize)) throw new RangeError(`key size must be 2048, 3072 or 4096, not ${keySize}`);
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 3650) {
    throw new RangeError(`validity must be 1..3650 days, not ${validityDays}`);
  }
  const attrs = parseDn(subjectDn(opts.subject));
  const [forge, pair] = await Promise.all([
    loadForge(),
    opts.keyPair ?? startRsaKeyPair(keySize),
  ]);
  const { pki, asn1, md } = forge;
  const signingKey = createPrivateKey(pair.privateKey);
  const bits = signingKey.asymmetricKeyDetails?.modulusLength;
  if (signingKey.asymmetricKeyType !== 'rsa' || bits !== keySize) throw new Error(`the key pair given is not RSA-${keySize}`);
  const publicKey = pki.publicKeyFromPem(pair.publicKey);

  const cert = pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialHex();
  const notBefore = new Date(Math.floor((opts.notBefore?.getTime() ?? Date.now()) / 1000) * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + validityDays * 86_400_000);
  // the certificate lists RDNs least specific first: the reverse of how the DN is written
  const names = attrs
    .slice()
    .reverse()
    .map((a) => ({
      type: DN_OIDS[a.type] ?? a.type,
      value: a.value,
      valueTagClass: valueTag(a.type, asn1.Type),
    }));
  cert.setSubject(names as unknown as forgeNs.pki.CertificateField[]);
  cert.setIssuer(names as unknown as forgeNs.pki.CertificateField[]);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
  ]);
  cert.sign(nativeSigner(signingKey) as unknown as forgeNs.pki.rsa.PrivateKey, md.sha256.create());

  const der = Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { info: certificateInfoFromX509(new X509Certificate(der)), keyPem: pair.privateKey };
}
