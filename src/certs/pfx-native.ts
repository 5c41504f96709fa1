/**
 * PKCS#12 read with node:crypto alone, for the PFX layout entra-portal itself writes (every store
 * entry; also what OpenSSL writes with `-certpbe NONE`): a password MAC over plain `data` contents,
 * certificates in the clear, the private key under PBES2 (PBKDF2, AES-CBC). It spares a run loading
 * node-forge (~600 KB of JavaScript, most of install-cert --thumbprint's start-up).
 *
 * It only ever accepts what forge's reader accepts, with the same result: anything else — another
 * layout or algorithm, a MAC that does not verify, a part node cannot read — returns `undefined`,
 * and the caller reads the file with forge as before, errors and messages included. The password
 * is taken as forge takes it (src/certs/forge.ts): UTF-16 code units for the MAC's key (RFC 7292
 * appendix B), UTF-8 bytes for PBKDF2, as OpenSSL does.
 */
import { X509Certificate, createHmac, createPrivateKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DER, readChildren, readShape, readSmallInteger, readWhole, type Tlv } from './der.js';
import { pkcs12Kdf } from './forge.js';

/** The OIDs involved, as the hex of their DER contents. */
const OID = {
  data: '2a864886f70d010701',
  keyBag: '2a864886f70d010c0a0101',
  pkcs8ShroudedKeyBag: '2a864886f70d010c0a0102',
  certBag: '2a864886f70d010c0a0103',
  x509Certificate: '2a864886f70d01091601',
  pbes2: '2a864886f70d01050d',
  pbkdf2: '2a864886f70d01050c',
};
/** MAC digests forge verifies: node's name, key and output length, block length (the KDF's v). */
const MAC_DIGESTS: Readonly<Record<string, readonly [string, number, number]>> = {
  '2b0e03021a': ['sha1', 20, 64],
  '608648016503040201': ['sha256', 32, 64],
  '608648016503040202': ['sha384', 48, 128],
  '608648016503040203': ['sha512', 64, 128],
};
/** PBKDF2 PRFs (hmacWithSHA1/256/384/512) and PBES2 ciphers (AES-128/192/256-CBC) forge reads. */
const PRFS = new Set(['2a864886f70d0207', '2a864886f70d0209', '2a864886f70d020a', '2a864886f70d020b']);
const CIPHERS = new Set(['608648016503040102', '608648016503040116', '60864801650304012a']);

export interface PfxParts {
  /** the certificates, in file order */
  certs: X509Certificate[];
  /** the private keys: shrouded ones first, then plain ones (forge's order) */
  keys: KeyObject[];
}

const oidOf = (tlv: Tlv | undefined) => (tlv?.tag === DER.OID ? tlv.body.toString('hex') : undefined);

/** ContentInfo { data, [0] EXPLICIT OCTET STRING }: the octets, else undefined. */
function dataContent(info: Tlv | undefined): Buffer | undefined {
  const parts = readShape(info, [DER.OID, DER.CONTEXT_0]);
  if (!parts || oidOf(parts[0]) !== OID.data) return undefined;
  return readWhole(parts[1]!.body, DER.OCTET_STRING)?.body;
}

/** MacData { DigestInfo { AlgorithmIdentifier, digest }, salt, iterations }: whether it verifies `content`. */
function macVerifies(macData: Tlv, content: Buffer, password: string): boolean {
  const [mac, salt, iterations] = readShape(macData, [DER.SEQUENCE, DER.OCTET_STRING, DER.INTEGER]) ?? [];
  const [algorithm, digest] = readShape(mac, [DER.SEQUENCE, DER.OCTET_STRING]) ?? [];
  const algorithmParts = algorithm && readChildren(algorithm.body);
  const count = readSmallInteger(iterations);
  if (!algorithmParts || !digest || !salt || !count) return false;
  if (algorithmParts.length > 2 || (algorithmParts[1] && (algorithmParts[1].tag !== DER.NULL || algorithmParts[1].body.length))) return false;
  const hash = MAC_DIGESTS[oidOf(algorithmParts[0]) ?? ''];
  if (!hash || digest.body.length !== hash[1]) return false;
  const key = pkcs12Kdf(password, salt.body, 3, count, hash[1], hash[0], hash[2]);
  return timingSafeEqual(createHmac(hash[0], key).update(content).digest(), digest.body);
}

/** EncryptedPrivateKeyInfo under PBES2 with a PBKDF2 PRF and a cipher forge reads. */
function isForgeReadablePbes2(info: Tlv): boolean {
  const [algorithm] = readShape(info, [DER.SEQUENCE, DER.OCTET_STRING]) ?? [];
  const [scheme, params] = readShape(algorithm, [DER.OID, DER.SEQUENCE]) ?? [];
  const [kdf, cipher] = readShape(params, [DER.SEQUENCE, DER.SEQUENCE]) ?? [];
  const [kdfOid, kdfParams] = readShape(kdf, [DER.OID, DER.SEQUENCE]) ?? [];
  const [cipherOid] = readShape(cipher, [DER.OID, DER.OCTET_STRING]) ?? [];
  if (oidOf(scheme) !== OID.pbes2 || oidOf(kdfOid) !== OID.pbkdf2 || !CIPHERS.has(oidOf(cipherOid) ?? '')) return false;
  // PBKDF2-params { salt OCTET STRING, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const prf = readChildren(kdfParams!.body)?.find((p) => p.tag === DER.SEQUENCE);
  return !prf || PRFS.has(oidOf(readChildren(prf.body)?.[0]) ?? '');
}

/** The certificates and keys of `bytes`, or undefined when forge has to read it (see above). */
export function readPfxNatively(bytes: Buffer, password: string): PfxParts | undefined {
  // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData MacData }
  const pfx = readShape(readWhole(bytes, DER.SEQUENCE), [DER.INTEGER, DER.SEQUENCE, DER.SEQUENCE]);
  if (!pfx || readSmallInteger(pfx[0]) !== 3) return undefined;
  const authSafe = dataContent(pfx[1]);
  if (!authSafe || !macVerifies(pfx[2]!, authSafe, password)) return undefined;
  const contentInfos = readChildren(readWhole(authSafe, DER.SEQUENCE)?.body ?? Buffer.alloc(0));
  if (!contentInfos?.length) return undefined;
  const certs: X509Certificate[] = [];
  const shrouded: KeyObject[] = [];
  const plain: KeyObject[] = [];
  try {
    for (const info of contentInfos) {
      const safeContents = dataContent(info);
      const bags = safeContents && readChildren(readWhole(safeContents, DER.SEQUENCE)?.body ?? Buffer.alloc(0));
      if (!bags) return undefined;
      for (const bag of bags) {
        // SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT, bagAttributes SET OPTIONAL }
        const parts = readShape(bag, [DER.OID, DER.CONTEXT_0]) ?? readShape(bag, [DER.OID, DER.CONTEXT_0, DER.SET]);
        const value = parts && readChildren(parts[1]!.body);
        if (!value || value.length !== 1) return undefined;
        const kind = oidOf(parts[0]);
        if (kind === OID.certBag) {
          // CertBag ::= SEQUENCE { certId OID (x509Certificate), certValue [0] EXPLICIT OCTET STRING }
          const [certId, certValue] = readShape(value[0], [DER.OID, DER.CONTEXT_0]) ?? [];
          const der = certValue && readWhole(certValue.body, DER.OCTET_STRING);
          if (oidOf(certId) !== OID.x509Certificate || !der) return undefined;
          certs.push(new X509Certificate(der.body));
        } else if (kind === OID.pkcs8ShroudedKeyBag) {
          if (!isForgeReadablePbes2(value[0]!)) return undefined;
          shrouded.push(createPrivateKey({ key: value[0]!.der, format: 'der', type: 'pkcs8', passphrase: Buffer.from(password, 'utf8') }));
        } else if (kind === OID.keyBag) {
          plain.push(createPrivateKey({ key: value[0]!.der, format: 'der', type: 'pkcs8' }));
        } else {
          return undefined;
        }
      }
    }
  } catch {
    return undefined; // a part node cannot read: forge says what is wrong with it
  }
  return { certs, keys: [...shrouded, ...plain] };
}
