/**
 * PKCS#12 (PFX) read and write with node-forge (the only PKCS#12 implementation on npm; node's own
 * `tls.createSecureContext({ pfx })` rejects legacy RC2 files). The layout the store's entries have
 * is read with node:crypto alone, without loading forge (src/certs/pfx-native.ts).
 *
 * Reading accepts OpenSSL 3 defaults (AES-256-CBC, PBKDF2, SHA-256 MAC), OpenSSL 1.x / Windows /
 * `-legacy` (RC2/3DES, SHA-1 MAC), no MAC, empty passwords and chains. The leaf is the certificate
 * whose public key matches the private key (X509Certificate.checkPrivateKey), whatever the order.
 * Every rejection is an InputError (exit 65) with a stable `code` and a message that never contains
 * the password.
 */
import { X509Certificate, createHmac, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import type forgeNs from 'node-forge';
import { InputError } from '../errors.js';
import { certificateInfoFromX509, type CertificateInfo } from './info.js';
import { fromBinary, loadForge, pkcs12Kdf, toBinary, withOpenSslPbkdf2 } from './forge.js';
import { readPfxNatively, type PfxParts } from './pfx-native.js';
import { describeNotPfx } from './sniff.js';

export interface PfxContents {
  /** the certificate that belongs to the private key */
  info: CertificateInfo;
  /** PKCS#8 PEM */
  keyPem: string;
  keyBits: number;
  /** the other certificates in the file (intermediates, roots) */
  chain: CertificateInfo[];
}

export const MIN_RSA_BITS = 2048;

function fail(code: string, message: string, remedy?: string, cause?: unknown): never {
  throw new InputError(message, { code, ...(remedy ? { remedy } : {}), ...(cause ? { cause } : {}) });
}

/** forge's messages for a wrong password: a MAC mismatch, or (files without a MAC) a failed decryption. */
function isPasswordFailure(err: unknown): boolean {
  const m = err instanceof Error ? err.message : '';
  return m.includes('MAC could not be verified') || m.includes('Unable to decrypt') || m.includes('Failed to decrypt') || m.includes('wrong password');
}

/**
 * Parse a PFX. `source` names the file in messages. An empty password is tried both as an empty
 * BMPString (OpenSSL) and as no password at all (some Windows exports) — PKCS#12's two spellings.
 */
export async function readPfx(bytes: Buffer, password: string, source: string): Promise<PfxContents> {
  const notPfx = describeNotPfx(bytes, source);
  if (notPfx) fail(notPfx.code, notPfx.message, notPfx.remedy);
  const { certs, keys } = readPfxNatively(bytes, password) ?? (await readPfxWithForge(bytes, password, source));
  if (keys.length === 0) {
    fail(
      'pfx-no-key',
      `${source}: the PFX holds no private key (${certs.length} certificate${certs.length === 1 ? '' : 's'} only)`,
      'export the certificate together with its private key (Windows: "Yes, export the private key"; OpenSSL: openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx)',
    );
  }
  for (const key of keys) {
    if (key.asymmetricKeyType !== 'rsa') {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      fail(
        'pfx-not-rsa',
        `${source}: the private key is ${String(key.asymmetricKeyType).toUpperCase()}${curve ? ` (${curve})` : ''}, not RSA; the Restore Portal's application certificate must be RSA`,
        'use an RSA certificate (2048 bits or more), or let install-cert make one: entra-portal install-cert --generate',
      );
    }
  }

  let leaf: X509Certificate | undefined;
  let key: KeyObject | undefined;
  for (const k of keys) {
    leaf = certs.find((c) => c.checkPrivateKey(k));
    if (leaf) {
      key = k;
      break;
    }
  }
  if (!leaf || !key) {
    fail(
      certs.length === 0 ? 'pfx-no-certificate' : 'pfx-key-mismatch',
      certs.length === 0
        ? `${source}: the PFX holds a private key but no certificate`
        : `${source}: none of the ${certs.length} certificate(s) in the PFX matches its private key`,
      'export the certificate together with its own private key',
    );
  }
  const keyBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (keyBits < MIN_RSA_BITS) {
    fail('pfx-weak-key', `${source}: the RSA key has ${keyBits} bits; Entra requires at least ${MIN_RSA_BITS}`, 'use a 2048-bit or larger key, or --generate one');
  }
  return {
    info: certificateInfoFromX509(leaf),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyBits,
    chain: certs.filter((c) => c !== leaf).map(certificateInfoFromX509),
  };
}

/** Any PFX forge reads (the layouts readPfxNatively leaves to it); every failure is an InputError. */
async function readPfxWithForge(bytes: Buffer, password: string, source: string): Promise<PfxParts> {
  const forge = await loadForge();
  let asn1: ReturnType<typeof forge.asn1.fromDer>;
  try {
    asn1 = forge.asn1.fromDer(toBinary(bytes), false);
  } catch (err) {
    fail('pfx-corrupt', `${source}: the PFX file is truncated or corrupt (${(err as Error).message})`, 'export the certificate again', err);
  }
  // PFX ::= SEQUENCE { version, authSafe, macData OPTIONAL } (RFC 7292 §4)
  const noMac = Array.isArray(asn1.value) && asn1.value.length === 2;
  let p12: ReturnType<typeof forge.pkcs12.pkcs12FromAsn1> | undefined;
  const attempts: (string | null)[] = password === '' ? ['', null] : [password];
  let lastErr: unknown;
  for (const pw of attempts) {
    try {
      p12 = withOpenSslPbkdf2(forge, () => forge.pkcs12.pkcs12FromAsn1(asn1, false, pw as string));
      break;
    } catch (err) {
      // the second spelling of an empty password only matters if it works: report the first failure
      if (pw !== null || lastErr === undefined) lastErr = err;
      if (!isPasswordFailure(err) && !noMac) break;
    }
  }
  if (!p12) {
    // Without a MAC nothing checks the password: a wrong one usually fails the padding check, but
    // now and then (~1 in 256 per encrypted part) it decrypts to garbage that fails to parse instead.
    if (isPasswordFailure(lastErr) || noMac) {
      const detail = (lastErr as Error).message.includes('MAC') ? 'PKCS#12 MAC could not be verified' : 'the file has no MAC and could not be decrypted';
      fail(
        'pfx-wrong-password',
        `${source}: wrong password (${detail})${password === '' ? '; the file is password-protected' : ''}`,
        'pass the password with --password-env <VAR> or --password-stdin (or type it at the prompt on a terminal)',
        lastErr,
      );
    }
    fail('pfx-corrupt', `${source}: not a readable PKCS#12/PFX file (${(lastErr as Error)?.message ?? 'unknown error'})`, 'export the certificate again', lastErr);
  }

  const oids = forge.pki.oids;
  const keyBags = [
    ...(p12.getBags({ bagType: oids.pkcs8ShroudedKeyBag })[oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: oids.keyBag })[oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: oids.certBag })[oids.certBag!] ?? [];
  const certs: X509Certificate[] = [];
  for (const bag of certBags) {
    const certAsn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag.asn1 as unknown as forgeNs.asn1.Asn1 | undefined);
    if (!certAsn1) continue;
    try {
      certs.push(new X509Certificate(fromBinary(forge.asn1.toDer(certAsn1).getBytes())));
    } catch (err) {
      fail('pfx-corrupt', `${source}: a certificate in the PFX cannot be read`, undefined, err);
    }
  }
  const keys: KeyObject[] = keyBags.map((bag) => {
    try {
      if (bag.key) return createPrivateKey(forge.pki.privateKeyToPem(bag.key as forgeNs.pki.rsa.PrivateKey));
      const der = fromBinary(forge.asn1.toDer(bag.asn1 as unknown as forgeNs.asn1.Asn1).getBytes());
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch (err) {
      return fail('pfx-corrupt', `${source}: the private key in the PFX cannot be read`, undefined, err);
    }
  });
  return { certs, keys };
}

/**
 * How a written PFX is protected:
 * - `aes256` (default): the private key under PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC) and a
 *   SHA-256 integrity MAC — what OpenSSL 3 writes by default and Windows Server 2019 and later import;
 * - `legacy`: the private key under pbeWithSHAAnd3-KeyTripleDES-CBC and a SHA-1 MAC — what Windows
 *   Server 2016 (and OpenSSL 1.x) can import: their PKCS#12 readers predate PBES2.
 * The certificates are stored unencrypted in both (they are public; every reader accepts that).
 * Iterations: 2048, OpenSSL 3's default for both the key and the MAC.
 */
export type PfxProfile = 'aes256' | 'legacy';

export const PFX_ITERATIONS = 2048;

export interface WritePfxOptions {
  keyPem: string;
  /** the leaf first, then any chain */
  certsDer: Buffer[];
  password: string;
  friendlyName?: string;
  /** default `aes256` */
  profile?: PfxProfile;
}

/** What a profile means, in the words `openssl pkcs12 -info` uses (for output and docs). */
export const PFX_PROFILES: Readonly<Record<PfxProfile, { keyEncryption: string; mac: string }>> = {
  aes256: { keyEncryption: 'PBES2 (PBKDF2 HMAC-SHA256, AES-256-CBC)', mac: 'SHA-256' },
  legacy: { keyEncryption: 'pbeWithSHA1And3-KeyTripleDES-CBC', mac: 'SHA-1' },
};

/** A PFX that OpenSSL 3, Windows and node's TLS read (see PfxProfile). */
export async function writePfx(opts: WritePfxOptions): Promise<Buffer> {
  const forge = await loadForge();
  const profile = opts.profile ?? 'aes256';
  const key = forge.pki.privateKeyFromPem(opts.keyPem);
  const certs = opts.certsDer.map((der) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(toBinary(der))));
  const asn1 = withOpenSslPbkdf2(forge, () =>
    forge.pkcs12.toPkcs12Asn1(key, certs, opts.password, {
      algorithm: profile === 'legacy' ? '3des' : 'aes256',
      // PBES2 with HMAC-SHA256, as OpenSSL 3 writes (forge's default PRF is HMAC-SHA1)
      ...(profile === 'aes256' ? { prfAlgorithm: 'sha256' } : {}),
      count: PFX_ITERATIONS,
      // forge's MAC is always SHA-1: it is computed below instead
      useMac: false,
      generateLocalKeyId: true,
      ...(opts.friendlyName ? { friendlyName: opts.friendlyName } : {}),
    } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]),
  );
  const pfx = asn1.value as forgeNs.asn1.Asn1[];
  pfx.splice(2, pfx.length - 2, macData(forge, pfx[1]!, opts.password, profile === 'legacy' ? 'sha1' : 'sha256'));
  return fromBinary(forge.asn1.toDer(asn1).getBytes());
}

/**
 * PKCS#12 MacData (RFC 7292 §4 and appendix B): HMAC over the AuthenticatedSafe's content octets,
 * keyed by the PKCS#12 KDF (ID 3) of the password with the same digest; the digest's length of key.
 */
function macData(forge: typeof forgeNs, authSafe: forgeNs.asn1.Asn1, password: string, digest: 'sha1' | 'sha256'): forgeNs.asn1.Asn1 {
  const { asn1 } = forge;
  // ContentInfo { contentType data, [0] EXPLICIT OCTET STRING <AuthenticatedSafe DER> }
  const explicit = (authSafe.value as forgeNs.asn1.Asn1[])[1]!;
  const octets = (explicit.value as forgeNs.asn1.Asn1[])[0]!.value as string;
  const salt = randomBytes(8);
  const length = digest === 'sha1' ? 20 : 32;
  const macKey = pkcs12Kdf(password, salt, 3, PFX_ITERATIONS, length, digest, 64);
  const mac = createHmac(digest, macKey).update(fromBinary(octets)).digest();
  const seq = (items: forgeNs.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
  return seq([
    seq([
      seq([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids[digest]!).getBytes()), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, toBinary(mac)),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, toBinary(salt)),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(PFX_ITERATIONS).getBytes()),
  ]);
}
