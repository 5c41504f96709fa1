/**
 * The certificate inside a keyCredential: `key` is the standard base64 of the DER X.509 certificate
 * (docs/graph.md, "Key credentials"). Graph's customKeyIdentifier defaults to the SHA-1 thumbprint,
 * while assertions from @azure/identity carry `x5t#S256` — so both digests are computed over the
 * stored DER, never read from customKeyIdentifier.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { KeyCredential } from './types.js';

export interface ParsedKey {
  cert: X509Certificate;
  sha1: Buffer;
  sha256: Buffer;
  notBefore: number;
  notAfter: number;
}

const cache = new Map<string, ParsedKey | null>();

/** undefined when the text is not a DER certificate in standard base64. */
export function parseKey(base64: string): ParsedKey | undefined {
  const hit = cache.get(base64);
  if (hit !== undefined) return hit ?? undefined;
  let parsed: ParsedKey | null = null;
  try {
    const der = Buffer.from(base64, 'base64');
    const cert = new X509Certificate(der);
    parsed = {
      cert,
      sha1: createHash('sha1').update(der).digest(),
      sha256: createHash('sha256').update(der).digest(),
      notBefore: new Date(cert.validFrom).getTime(),
      notAfter: new Date(cert.validTo).getTime(),
    };
  } catch {
    parsed = null;
  }
  if (cache.size > 5000) cache.clear();
  cache.set(base64, parsed);
  return parsed ?? undefined;
}

/** A keyCredential that can verify signatures right now (type, usage, its dates and its certificate's). */
export function usableVerifyKey(k: KeyCredential, now = Date.now()): ParsedKey | undefined {
  if (k.type !== 'AsymmetricX509Cert' || k.usage !== 'Verify' || !k.key) return undefined;
  if (Date.parse(k.startDateTime) > now || Date.parse(k.endDateTime) < now) return undefined;
  const p = parseKey(k.key);
  if (!p || p.notBefore > now || p.notAfter < now) return undefined;
  return p;
}

/** Standard base64 only (Graph's Edm.Binary): base64url or junk is refused. */
export function isStandardBase64(s: string): boolean {
  return s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}

/**
 * Edm.Binary as Entra parses it: whitespace between the characters (a PEM body wrapped at 64
 * characters, as the Azure CLI sends it) is ignored. The canonical form (no whitespace), or
 * undefined when it is not standard base64.
 */
export function binaryValue(s: string): string | undefined {
  const compact = s.replace(/[ \t\r\n]+/g, '');
  return isStandardBase64(compact) ? compact : undefined;
}
