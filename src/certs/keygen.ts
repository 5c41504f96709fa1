/**
 * RSA key pairs from node:crypto (native, on libuv's thread pool). Light to import — only
 * node:crypto — so the CLI can start a key generation before it loads the heavy config modules and
 * let the two overlap (install-cert --generate).
 */
import { generateKeyPair } from 'node:crypto';

export interface RsaKeyPairPem {
  /** SPKI PEM */
  publicKey: string;
  /** PKCS#8 PEM */
  privateKey: string;
}

export function startRsaKeyPair(bits: number): Promise<RsaKeyPairPem> {
  return new Promise((resolve, reject) =>
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })),
    ),
  );
}
