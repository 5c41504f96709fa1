/**
 * node-forge, loaded on first use: it is large, and readCertificateFile/thumbprints do not need it,
 * so modules that only read public certificates stay quick to import.
 */
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
