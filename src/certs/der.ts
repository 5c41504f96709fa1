/**
 * A minimal DER reader (X.690): single-byte tags and definite lengths of up to 4 bytes, which is
 * all PKCS#12 and X.509 use. Anything else (BER's indefinite lengths, a length past the end) reads
 * as `undefined`: callers treat that as "not what I expected", never as a crash.
 */

export interface Tlv {
  /** the identifier byte (0x30 SEQUENCE, 0x04 OCTET STRING, 0x06 OID, 0xa0 [0] EXPLICIT, …) */
  tag: number;
  /** the contents octets */
  body: Buffer;
  /** the whole element: identifier, length and contents */
  der: Buffer;
  /** where the next element starts */
  end: number;
}

export const DER = { INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30, SET: 0x31, CONTEXT_0: 0xa0 } as const;

/** The header of the element at `at`: [header bytes, announced content length], whether or not the content is all there. */
export function derHeader(bytes: Buffer, at = 0): [number, number] | undefined {
  if (bytes.length < at + 2 || (bytes[at]! & 0x1f) === 0x1f) return undefined; // multi-byte tags: not DER we read
  const first = bytes[at + 1]!;
  if (first < 0x80) return [2, first];
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < at + 2 + n) return undefined; // 0 = BER indefinite length
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i]!;
  return [2 + n, len];
}

/** The element at `at`, or undefined when its header is unreadable or its content runs past `limit`. */
export function readTlv(bytes: Buffer, at = 0, limit = bytes.length): Tlv | undefined {
  const header = derHeader(bytes, at);
  if (!header || at + header[0] + header[1] > limit) return undefined;
  const start = at + header[0];
  return { tag: bytes[at]!, body: bytes.subarray(start, start + header[1]), der: bytes.subarray(at, start + header[1]), end: start + header[1] };
}

/** The element filling all of `bytes` exactly, if it has tag `tag`. */
export function readWhole(bytes: Buffer, tag: number): Tlv | undefined {
  const tlv = readTlv(bytes);
  return tlv && tlv.tag === tag && tlv.end === bytes.length ? tlv : undefined;
}

/** The elements of a constructed value's contents, which they must fill exactly. */
export function readChildren(body: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length; ) {
    const tlv = readTlv(body, at);
    if (!tlv) return undefined;
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

/** The children of `tlv` if it is a `tag` (SEQUENCE by default) holding exactly the tags `shape`, else undefined. */
export function readShape(tlv: Tlv | undefined, shape: readonly number[], tag: number = DER.SEQUENCE): Tlv[] | undefined {
  if (!tlv || tlv.tag !== tag) return undefined;
  const children = readChildren(tlv.body);
  if (!children || children.length !== shape.length || children.some((c, i) => c.tag !== shape[i])) return undefined;
  return children;
}

/** A small non-negative INTEGER (up to 31 bits), else undefined. */
export function readSmallInteger(tlv: Tlv | undefined): number | undefined {
  if (!tlv || tlv.tag !== DER.INTEGER || tlv.body.length === 0 || tlv.body.length > 4 || tlv.body[0]! & 0x80) return undefined;
  return tlv.body.readUIntBE(0, tlv.body.length);
}
