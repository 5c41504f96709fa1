/**
 * keyCredential validation with Graph's messages (docs/graph.md, "Key credentials"):
 * `key` is the standard base64 of a DER certificate; dates default to, and must lie inside, the
 * certificate's validity; an existing keyId is immutable; type/usage come in valid pairs.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, GraphError } from '../http.js';
import { binaryValue, isStandardBase64, parseKey } from '../keycert.js';
import { graphDate } from '../shapes.js';
import type { KeyCredential } from '../types.js';
import { isGuid } from './call.js';

const TYPES = new Set(['AsymmetricX509Cert', 'X509CertAndPassword', 'Symmetric']);
const USAGES = new Set(['Sign', 'Verify']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function when(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw badRequest(`Cannot convert the literal '${String(v)}' to the expected type 'Edm.DateTimeOffset' (${field}).`);
  return t;
}

/** A new credential from a client-supplied object (PATCH keyCredentials, addKey). */
export function newKeyCredential(input: Record<string, unknown>, options: { allowPasswordPair?: boolean } = {}): KeyCredential {
  const type = str(input.type);
  const usage = str(input.usage);
  if (!type || !TYPES.has(type)) {
    throw badRequest('The value for the property "type" in one of your credentials is invalid. Acceptable values are AsymmetricX509Cert, X509CertAndPassword.');
  }
  if (!usage || !USAGES.has(usage)) {
    throw badRequest('The value for the property "usage" in one of your credentials is invalid. Acceptable values are Sign, Verify.');
  }
  if (type === 'Symmetric') throw badRequest('Symmetric key credentials are not supported on applications; use addPassword.');
  if ((type === 'AsymmetricX509Cert' && usage !== 'Verify') || (type === 'X509CertAndPassword' && usage !== 'Sign')) {
    throw badRequest(`Key credential type '${type}' cannot be used with usage '${usage}'. Valid pairs are AsymmetricX509Cert/Verify and X509CertAndPassword/Sign.`);
  }
  if (type === 'X509CertAndPassword' && !options.allowPasswordPair) {
    throw badRequest('X509CertAndPassword credentials must be added with the addKey action together with a passwordCredential.');
  }
  const raw = input.key;
  if (raw === undefined || raw === null || raw === '') throw new GraphError(400, 'KeyCredentialsInvalidValue', 'KeyValue cannot be null or empty');
  // stored and returned canonical: line breaks of a wrapped PEM body are not part of the value
  const key = typeof raw === 'string' ? binaryValue(raw) : undefined;
  if (key === undefined) {
    const shown = String(raw).length > 60 ? `${String(raw).slice(0, 60)}…` : String(raw);
    throw badRequest(`Cannot convert the literal '${shown}' to the expected type 'Edm.Binary'.`);
  }
  const cert = parseKey(key);
  if (!cert) throw new GraphError(400, 'KeyCredentialsInvalidValue', 'Key credential key is not a valid X509 certificate.');
  let keyId = input.keyId;
  if (keyId === undefined || keyId === null) keyId = randomUUID();
  if (!isGuid(keyId)) throw badRequest(`Cannot convert the literal '${String(keyId)}' to the expected type 'Edm.Guid'.`);
  // Dates are compared at second precision: Graph stores them so.
  const nb = Math.floor(cert.notBefore / 1000) * 1000;
  const na = Math.floor(cert.notAfter / 1000) * 1000;
  const start = when(input.startDateTime, 'startDateTime') ?? nb;
  const end = when(input.endDateTime, 'endDateTime') ?? na;
  if (start < nb) throw badRequest('Key credential start date is invalid.');
  if (end > na || end <= start) throw badRequest('Key credential end date is invalid.');
  const cki = input.customKeyIdentifier;
  if (cki !== undefined && cki !== null && (typeof cki !== 'string' || !isStandardBase64(cki))) {
    throw badRequest(`Cannot convert the literal '${String(cki)}' to the expected type 'Edm.Binary'.`);
  }
  const displayName = input.displayName;
  if (displayName !== undefined && displayName !== null && typeof displayName !== 'string') throw badRequest('Invalid value for keyCredential displayName.');
  return {
    customKeyIdentifier: typeof cki === 'string' ? cki : cert.sha1.toString('hex').toUpperCase(),
    displayName: typeof displayName === 'string' ? displayName : `CN=${cert.cert.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? ''}`,
    endDateTime: graphDate(end),
    key,
    keyId: keyId.toLowerCase(),
    startDateTime: graphDate(start),
    type,
    usage,
  };
}

const IMMUTABLE: (keyof KeyCredential)[] = ['type', 'usage', 'key', 'customKeyIdentifier', 'startDateTime', 'endDateTime'];

function same(field: keyof KeyCredential, a: unknown, b: unknown): boolean {
  if (field === 'startDateTime' || field === 'endDateTime') return Math.floor(Date.parse(String(a)) / 1000) === Math.floor(Date.parse(String(b)) / 1000);
  if (field === 'key' && typeof a === 'string') return binaryValue(a) === b;
  return a === b;
}

/** PATCH keyCredentials: the collection is replaced whole; entries whose keyId exists must not change. */
export function replaceKeyCredentials(existing: KeyCredential[], incoming: unknown): KeyCredential[] {
  if (!Array.isArray(incoming)) throw badRequest("Invalid value specified for property 'keyCredentials' of resource 'Application'.");
  const byId = new Map(existing.map((k) => [k.keyId.toLowerCase(), k]));
  const seen = new Set<string>();
  const out: KeyCredential[] = [];
  for (const raw of incoming) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest("Invalid value specified for property 'keyCredentials' of resource 'Application'.");
    const input = raw as Record<string, unknown>;
    const id = typeof input.keyId === 'string' ? input.keyId.toLowerCase() : undefined;
    const old = id ? byId.get(id) : undefined;
    let cred: KeyCredential;
    if (old) {
      for (const f of IMMUTABLE) {
        const v = input[f];
        // a key read back without $select comes as null: that is "unchanged", not "cleared"
        if (v !== undefined && v !== null && !same(f, v, old[f])) throw badRequest('Update to existing credential with KeyId is not allowed');
      }
      cred = { ...old, displayName: typeof input.displayName === 'string' ? input.displayName : old.displayName };
    } else {
      cred = newKeyCredential(input);
    }
    if (seen.has(cred.keyId)) throw badRequest(`Duplicate keyId '${cred.keyId}' in keyCredentials.`);
    seen.add(cred.keyId);
    out.push(cred);
  }
  return out;
}
