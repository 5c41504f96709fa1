/**
 * The key material of an emulator state: the CA, the TLS server certificate and the token-signing
 * key. A fresh state generates three RSA keys (~0.1–0.5 s each); tests and demos that start many
 * fresh states pass a pre-generated set instead (`EmulatorOptions.pki`, an object or the path of a
 * JSON file in the `EmulatorPki` shape; `generatePki()` writes one).
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { issuedBy, makeCa, makeServerCert, newRsaKeyPem, stillValid } from './tls.js';
import type { EmulatorPki, StateFile } from './types.js';

export type StatePki = Pick<StateFile, 'ca' | 'server' | 'signing'>;

/** The signing key's `kid`: base64url SHA-1 of its SubjectPublicKeyInfo (the form Entra's JWKS uses). */
export function kidOf(keyPem: string): string {
  const der = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(der).digest('base64url');
}

/** A new CA (name-constrained to loopback), server certificate and signing key. */
export function generatePki(): EmulatorPki {
  const ca = makeCa();
  const keyPem = newRsaKeyPem();
  return { format: 'entra-portal-emulator-pki', version: 1, ca, server: makeServerCert(ca), signing: { kid: kidOf(keyPem), keyPem } };
}

function bad(where: string, why: string): InputError {
  return new InputError(`the emulator PKI ${where} is unusable: ${why}`, {
    code: 'emulator-pki-invalid',
    remedy: 'regenerate it with generatePki() from the emulator module, or omit it to generate keys for the new state',
  });
}

/**
 * Checks a given PKI and returns it as state fields: the server certificate must be issued by the
 * CA, the keys must parse. A server certificate near its end is re-issued with the same key (no
 * key generation), so a checked-in fixture does not age out.
 */
export function usePki(given: EmulatorPki | string): StatePki {
  const where = typeof given === 'string' ? given : '(option)';
  let pki: EmulatorPki;
  if (typeof given === 'string') {
    try {
      pki = JSON.parse(readFileSync(given, 'utf8')) as EmulatorPki;
    } catch (err) {
      throw bad(where, (err as Error).message);
    }
  } else pki = given;
  if (pki?.format !== 'entra-portal-emulator-pki' || pki.version !== 1) throw bad(where, "not an entra-portal emulator PKI (format 'entra-portal-emulator-pki', version 1)");
  if (!pki.ca?.certPem || !pki.ca.keyPem || !pki.server?.certPem || !pki.server.keyPem || !pki.signing?.keyPem) throw bad(where, 'missing ca, server or signing');
  try {
    createPrivateKey(pki.ca.keyPem);
    createPrivateKey(pki.server.keyPem);
    createPrivateKey(pki.signing.keyPem);
  } catch (err) {
    throw bad(where, `a private key does not parse (${(err as Error).message})`);
  }
  if (!issuedBy(pki.server.certPem, pki.ca.certPem)) throw bad(where, 'the server certificate is not issued by the CA');
  if (!stillValid(pki.ca.certPem)) throw bad(where, 'the CA has expired');
  const server = stillValid(pki.server.certPem) ? pki.server : makeServerCert(pki.ca, pki.server.keyPem);
  return { ca: pki.ca, server, signing: { kid: kidOf(pki.signing.keyPem), keyPem: pki.signing.keyPem } };
}
