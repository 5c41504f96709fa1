/**
 * Minimal JWS compact serialisation on node:crypto: RS256 for the tokens the emulator issues,
 * RS256 and PS256 for client assertions and addKey proofs (docs/graph.md, sections 2 and 11).
 */
import { constants, createPrivateKey, sign, verify, type KeyLike, type KeyObject } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
  /** true when a segment carries `=` padding (Graph rejects padded proofs) */
  padded: boolean;
}

export function signJwt(payload: Record<string, unknown>, key: KeyLike | KeyObject, header: Record<string, unknown> = {}): string {
  const h = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...header })).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const input = `${h}.${p}`;
  const k = typeof key === 'string' || Buffer.isBuffer(key) ? createPrivateKey(key) : key;
  const alg = (header.alg as string | undefined) ?? 'RS256';
  const sig =
    alg === 'PS256'
      ? sign('sha256', Buffer.from(input), { key: k as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : sign('sha256', Buffer.from(input), k as KeyObject);
  return `${input}.${sig.toString('base64url')}`;
}

/** Parses without verifying; undefined when it is not a three-part JWS with JSON header and payload. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return undefined;
    return {
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
      padded: h.includes('=') || p.includes('='),
    };
  } catch {
    return undefined;
  }
}

/** Verifies RS256 or PS256 against an RSA public key (or a certificate's key). */
export function verifyJwt(jwt: DecodedJwt, publicKey: KeyLike | KeyObject): boolean {
  const alg = jwt.header.alg;
  const data = Buffer.from(jwt.signingInput);
  try {
    if (alg === 'RS256') return verify('sha256', data, publicKey as KeyObject, jwt.signature);
    if (alg === 'PS256')
      return verify(
        'sha256',
        data,
        { key: publicKey as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        jwt.signature,
      );
  } catch {
    return false;
  }
  return false;
}
