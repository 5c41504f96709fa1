/**
 * keyCredentials ∋ the configured certificate (DESIGN §1). Merged by thumbprint, whole array
 * read-modify-written (Graph replaces collections; STYLE #5); an existing keyId is never changed
 * ("Update to existing credential with KeyId is not allowed", graph-behaviour.md §2). The plan shows
 * thumbprints and dates, never key bytes.
 */
import { createHash } from 'node:crypto';
import type { DesiredCertificate, DesiredState, GraphApplication, KeyCredential, KeyCredentialChange, KeyCredentialView, PlanOptions } from '../types.js';

/**
 * The SHA-1 thumbprint (uppercase hex) of a stored key credential: from its `key` when Graph returned
 * it (`$select=keyCredentials`), else from `customKeyIdentifier` (the hex thumbprint string the
 * Graph how-to sends, or base64 of the 20 thumbprint bytes, which is Graph's default).
 */
export function thumbprintOf(kc: KeyCredential): string | undefined {
  if (kc.key) {
    const der = Buffer.from(kc.key, 'base64');
    if (der.length > 0) return createHash('sha1').update(der).digest('hex').toUpperCase();
  }
  const cki = kc.customKeyIdentifier;
  if (!cki) return undefined;
  if (/^[0-9a-fA-F]{40}$/.test(cki)) return cki.toUpperCase();
  const bytes = Buffer.from(cki, 'base64');
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : undefined;
}

export function keyCredentialView(kc: KeyCredential): KeyCredentialView {
  const v: KeyCredentialView = {};
  const t = thumbprintOf(kc);
  if (t) v.thumbprint = t;
  if (kc.keyId) v.keyId = kc.keyId;
  if (kc.displayName) v.displayName = kc.displayName;
  if (kc.startDateTime) v.startDateTime = kc.startDateTime;
  if (kc.endDateTime) v.endDateTime = kc.endDateTime;
  return v;
}

/** The new entry for the configured certificate (public part only; Graph assigns the keyId). */
export function newKeyCredential(cert: DesiredCertificate): KeyCredential {
  return {
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: cert.derBase64,
    customKeyIdentifier: cert.thumbprint,
    displayName: cert.subject,
    startDateTime: cert.notBefore,
    endDateTime: cert.notAfter,
  };
}

function diff(desired: DesiredState, app: GraphApplication | undefined) {
  if (!desired.certificate) return undefined;
  const current = app?.keyCredentials ?? [];
  const want = desired.certificate.thumbprint.toUpperCase();
  return {
    present: current.some((kc) => thumbprintOf(kc) === want),
    others: current.filter((kc) => thumbprintOf(kc) !== want),
  };
}

export function certificateChanges(desired: DesiredState, app: GraphApplication | undefined, opts: PlanOptions): KeyCredentialChange[] {
  const d = diff(desired, app);
  if (!d || !desired.certificate) return [];
  const out: KeyCredentialChange[] = [];
  if (!d.present) {
    const c = desired.certificate;
    out.push({
      resource: 'keyCredential',
      action: 'add',
      field: 'keyCredentials',
      after: { thumbprint: c.thumbprint, displayName: c.subject, startDateTime: c.notBefore, endDateTime: c.notAfter },
    });
  }
  if (opts.prune) {
    for (const kc of d.others) {
      out.push({ resource: 'keyCredential', action: 'remove', field: 'keyCredentials', before: keyCredentialView(kc), reason: 'not the configured certificate (--prune)' });
    }
  }
  return out;
}

/** The whole keyCredentials array to send, or {} when nothing changes. Existing entries go back as read. */
export function certificatePatch(desired: DesiredState, app: GraphApplication | undefined, opts: PlanOptions): Partial<GraphApplication> {
  const d = diff(desired, app);
  if (!d || !desired.certificate) return {};
  const prune = opts.prune === true && d.others.length > 0;
  if (d.present && !prune) return {};
  const kept = (app?.keyCredentials ?? []).filter((kc) => !(opts.prune && d.others.includes(kc)));
  return { keyCredentials: d.present ? kept : [...kept, newKeyCredential(desired.certificate)] };
}
