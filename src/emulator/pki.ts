/**
 * The key material of an emulator state: the CA, the TLS server certificate and the token-signing
 * key. A fresh state generates three RSA keys (~0.1–0.5 s each); tests and demos that start many
 * fresh states pass a pre-generated set instead (`EmulatorOptions.pki`, an object or the path of a
 * JSON file in the `EmulatorPki` shape; `generatePki()` writes one).
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { issuedBy, makeCa, makeServerCert, makeSigningCert, newRsaKeyPem, stillValid } from './tls.js';
import type { EmulatorPki, StateFile } from './types.js';

export type StatePki = Pick<StateFile, 'ca' | 'server' | 'signing'>;

/**
 * The signing key's `kid`, and its JWKS `x5t`: base64url SHA-1 of its certificate's DER, as in
 * Entra's JWKS, where both name the certificate in `x5c`.
 */
export function kidOf(certPem: string): string {
  return createHash('sha1').update(new X509Certificate(certPem).raw).digest('base64url');
}

/** The signing fields of a state: the key, its self-signed certificate (made when missing) and kid. */
export function signingOf(keyPem: string, certPem?: string): StatePki['signing'] {
  const cert = certPem ?? makeSigningCert(keyPem);
  return { kid: kidOf(cert), keyPem, certPem: cert };
}

/** A new CA (name-constrained to loopback), server certificate and signing key. */
export function generatePki(): EmulatorPki {
  const ca = makeCa();
  return { format: 'entra-portal-emulator-pki', version: 1, ca, server: makeServerCert(ca), signing: signingOf(newRsaKeyPem()) };
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
  return { ca: pki.ca, server, signing: signingOf(pki.signing.keyPem, pki.signing.certPem) };
}
