/**
 * X.509 facts from a certificate's DER or PEM: thumbprints, names, dates. Parsing is node:crypto's
 * X509Certificate (any key type, unlike forge, which reads RSA certificates only).
 *
 * Thumbprints are the SHA-1 / SHA-256 of the DER, uppercase hex, no colons — what Windows, VB365 and
 * Graph's keyCredentials.customKeyIdentifier show, and identical to `openssl x509 -fingerprint`.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { readRegularFile } from '../util/fs.js';
import { InputError } from '../errors.js';

export interface CertificateInfo {
  /** SHA-1 of DER, uppercase hex, no colons */
  thumbprint: string;
  /** SHA-256 of DER, uppercase hex */
  thumbprintSha256: string;
  /** e.g. "CN=Veeam Restore Portal" (most specific first, as Windows shows it) */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** standard base64 of the DER (what Graph keyCredentials.key wants) */
  derBase64: string;
  certPem: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n\s]+?)-----END CERTIFICATE-----/;

export function thumbprintOf(der: Buffer, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

/** node prints names one RDN per line, least specific first; show them as "CN=…, O=…, C=…". */
export function formatName(nodeName: string): string {
  return nodeName
    .split('\n')
    .filter((l) => l.length > 0)
    .reverse()
    .map((rdn) => rdn.replace(/ \+ /g, '+'))
    .join(', ');
}

/** "Nov 27 17:53:44 2026 GMT" (node 20's validFrom/validTo) → Date */
function parseNodeDate(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`unreadable certificate date: ${text}`);
  return d;
}

export function certificateInfoFromX509(x: X509Certificate): CertificateInfo {
  const der = x.raw;
  return {
    thumbprint: thumbprintOf(der, 'sha1'),
    thumbprintSha256: thumbprintOf(der, 'sha256'),
    subject: formatName(x.subject),
    issuer: formatName(x.issuer),
    notBefore: parseNodeDate(x.validFrom),
    notAfter: parseNodeDate(x.validTo),
    derBase64: der.toString('base64'),
    certPem: derToPem(der),
  };
}

/** Throws a plain Error when the bytes are not one DER certificate. */
export function certificateInfoFromDer(der: Buffer): CertificateInfo {
  return certificateInfoFromX509(new X509Certificate(der));
}

/** The first certificate of a PEM text, or undefined when there is none. */
export function pemCertificateToDer(pem: string): Buffer | undefined {
  const m = PEM_CERT.exec(pem);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : undefined;
}

/** DER or PEM bytes → info; InputError (65) naming `source` when they are neither. */
export function certificateInfoFromBytes(bytes: Buffer, source: string): CertificateInfo {
  const text = bytes.subarray(0, 64).toString('latin1');
  let der: Buffer | undefined = bytes;
  if (text.trimStart().startsWith('-----BEGIN')) {
    der = pemCertificateToDer(bytes.toString('latin1'));
    if (!der) {
      throw new InputError(`${source}: PEM file without a "BEGIN CERTIFICATE" block`, { code: 'not-a-certificate' });
    }
  }
  try {
    return certificateInfoFromDer(der);
  } catch (err) {
    throw new InputError(`${source}: not an X.509 certificate (expected DER or PEM)`, { code: 'not-a-certificate', cause: err });
  }
}

/** A certificate (or a PFX with a chain) is a few KiB; 1 MiB stops /dev/zero and mistaken paths. */
export const MAX_CERTIFICATE_BYTES = 1024 * 1024;

/** Read a public certificate file (.cer/.crt/.pem; DER or PEM): a regular file, at most MAX_CERTIFICATE_BYTES. */
export async function readCertificateFile(path: string): Promise<CertificateInfo> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, { maxBytes: MAX_CERTIFICATE_BYTES, what: 'the certificate file' });
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `certificate file not found: ${path}` : `cannot read certificate file ${path}: ${code ?? String(err)}`, {
      code: 'certificate-file',
      cause: err,
    });
  }
  return certificateInfoFromBytes(bytes, path);
}

/**
 * A SHA-1 thumbprint as users paste it — "9f:3a:…", "9F 3A …", with the invisible U+200E that
 * Windows' certificate dialog copies along — to 40 uppercase hex digits; undefined when it is not one.
 */
export function normalizeThumbprint(input: string): string | undefined {
  const hex = input.replace(/[\s:\u200e\u200f-]/g, '').toUpperCase();
  return /^[0-9A-F]{40}$/.test(hex) ? hex : undefined;
}

/** Whole days from `now` until the certificate expires (negative when expired). */
export function daysUntilExpiry(info: Pick<CertificateInfo, 'notAfter'>, now: number): number {
  return Math.floor((info.notAfter.getTime() - now) / 86_400_000);
}
