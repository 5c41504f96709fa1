/**
 * node-forge, loaded on first use: it is large, and readCertificateFile/thumbprints do not need it,
 * so modules that only read public certificates stay quick to import.
 */
import { pbkdf2Sync } from 'node:crypto';
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
 * Run `fn` with forge's PBKDF2 replaced by node's, fed the password as UTF-8 — as OpenSSL does
 * for PBES2 (PKCS#5 v2). forge's own PBKDF2 takes the password as a "binary string", so any
 * non-ASCII password (e.g. "pässword") derives a different key than OpenSSL's and the PFX will not
 * open ("Failed to decrypt PKCS#12 SafeContents"); it is also pure JavaScript and slow. PKCS#12's
 * own KDF (MAC, legacy 3DES/RC2) is unaffected: forge already converts the password to a BMPString
 * there. Scoped (forge's PKCS#12 calls are synchronous), so other users of forge see no change.
 */
export function withOpenSslPbkdf2<T>(forge: typeof forgeType, fn: () => T): T {
  const pkcs5 = forge.pkcs5 as unknown as { pbkdf2: (...args: unknown[]) => unknown };
  const original = pkcs5.pbkdf2;
  pkcs5.pbkdf2 = (password: unknown, salt: unknown, count: unknown, dkLen: unknown, md: unknown) => {
    const algorithm = typeof md === 'string' ? md : ((md as { algorithm?: string } | undefined)?.algorithm ?? 'sha1');
    return pbkdf2Sync(Buffer.from(String(password), 'utf8'), Buffer.from(String(salt), 'binary'), Number(count), Number(dkLen), algorithm).toString('binary');
  };
  try {
    return fn();
  } finally {
    pkcs5.pbkdf2 = original;
  }
}
