/**
 * node-forge, loaded on first use: it is large, and readCertificateFile/thumbprints do not need it,
 * so modules that only read public certificates stay quick to import.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import type forgeType from 'node-forge';

let forgePromise: Promise<typeof forgeType> | undefined;

export function loadForge(): Promise<typeof forgeType> {
  forgePromise ??= import('node-forge').then((m) => (m as unknown as { default: typeof forgeType }).default ?? (m as unknown as typeof forgeType));
  return forgePromise;
}

/** forge works on "binary strings"; node on Buffers. */
export function toBinary(buf: Buffer): string {
  return buf.toString('binary');
}
export function fromBinary(s: string): Buffer {
  return Buffer.from(s, 'binary');
}

/**
 * RFC 7292 appendix B.2, the PKCS#12 key derivation (MAC keys; legacy 3DES/RC2 keys and IVs), with
 * node's native hashes. Same inputs and output as forge's `pbe.generatePkcs12Key`: the password as
 * UTF-16BE code units plus a 0x0000 terminator (null: no password at all), the salt as a binary
 * string or forge ByteBuffer. forge's own loop hashes in JavaScript: 2048 rounds cost ~50–100 ms
 * on a cold start, per MAC.
 */
export function pkcs12Kdf(password: string | null | undefined, salt: Buffer, id: number, iterations: number, n: number, algorithm: string, v: number): Buffer {
  if (!(iterations >= 1)) throw new Error('PKCS#12 key derivation iteration count must be >= 1.');
  const pass = Buffer.alloc(password === null || password === undefined ? 0 : (password.length + 1) * 2);
  if (password !== null && password !== undefined) for (let i = 0; i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), i * 2);
  const fill = (src: Buffer, len: number) => {
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt, v * Math.ceil(salt.length / v)), fill(pass, v * Math.ceil(pass.length / v))]);
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    let A = createHash(algorithm).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(algorithm).update(A).digest();
    parts.push(A);
    have += A.length;
    if (have >= n) break;
    const B = fill(A, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let l = v - 1; l >= 0; l--) {
        const x = I[j + l]! + B[l]! + carry;
        I[j + l] = x & 0xff;
        carry = x >> 8;
      }
    }
  }
  return Buffer.concat(parts).subarray(0, n);
}

const NATIVE_HASHES = new Set(['sha1', 'sha256', 'sha384', 'sha512', 'md5']);

/**
 * Run `fn` (a synchronous forge PKCS#12 call) with forge's password-based key derivations replaced
 * by node's native ones, scoped so other users of forge see no change:
 *
 * - PBKDF2 (PBES2, what OpenSSL 3 writes) is fed the password as UTF-8, as OpenSSL does. forge's own
 *   PBKDF2 takes it as a "binary string", so any non-ASCII password ("pässword") derives another key
 *   and the PFX will not open ("Failed to decrypt PKCS#12 SafeContents"); it is also slow JavaScript.
 * - The PKCS#12 KDF (MAC, legacy 3DES/RC2) is computed natively by `pkcs12Kdf` — same bytes, faster.
 */
export function withOpenSslPbkdf2<T>(forge: typeof forgeType, fn: () => T): T {
  const pkcs5 = forge.pkcs5 as unknown as { pbkdf2: (...args: unknown[]) => unknown };
  const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: (...args: unknown[]) => unknown } }).pbe;
  const p12 = forge.pkcs12 as unknown as { generateKey: (...args: unknown[]) => unknown };
  const original = { pbkdf2: pkcs5.pbkdf2, pbe: pbe.generatePkcs12Key, p12: p12.generateKey };
  pkcs5.pbkdf2 = (password: unknown, salt: unknown, count: unknown, dkLen: unknown, md: unknown) => {
    const algorithm = typeof md === 'string' ? md : ((md as { algorithm?: string } | undefined)?.algorithm ?? 'sha1');
    const bytes = password === null || password === undefined ? Buffer.alloc(0) : Buffer.from(String(password), 'utf8');
    return pbkdf2Sync(bytes, Buffer.from(String(salt), 'binary'), Number(count), Number(dkLen), algorithm).toString('binary');
  };
  const kdf = (...args: unknown[]) => {
    const [password, salt, id, iter, n, md] = args as [string | null | undefined, unknown, number, number, number, { algorithm?: string; blockLength?: number } | undefined];
    const algorithm = md?.algorithm ?? 'sha1';
    if (!NATIVE_HASHES.has(algorithm)) return original.pbe(...args);
    const saltBytes = Buffer.from(typeof salt === 'string' ? salt : (salt as { bytes(): string }).bytes(), 'binary');
    const v = md?.blockLength ?? 64;
    return forge.util.createBuffer(pkcs12Kdf(password, saltBytes, id, iter, n, algorithm, v).toString('binary'));
  };
  pbe.generatePkcs12Key = kdf;
  p12.generateKey = kdf;
  try {
    return fn();
  } finally {
    pkcs5.pbkdf2 = original.pbkdf2;
    pbe.generatePkcs12Key = original.pbe;
    p12.generateKey = original.p12;
  }
}
