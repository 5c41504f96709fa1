/**
 * `keyCredentials`: exactly the certificates the config manages (the configured one, and the
 * outgoing one while a rotation is in progress). Matched by SHA-1 thumbprint; the whole array is
 * read-modify-written (Graph replaces collections) and an existing entry goes back as read (Entra
 * refuses a changed keyId). Any other certificate is unmanaged: whoever holds its private key can
 * sign in as the application. The plan shows thumbprints and dates, never key bytes.
 *
 * Health (not drift): a managed certificate that expires within `warnDays` warns, an expired one
 * fails — apply cannot fix either; a new certificate can (rotate-cert / install-cert).
 */
import { createHash } from 'node:crypto';
import type { KeyCredential } from '../../model/graph.js';
import type { Change, DesiredCertificate, DesiredState, KeyCredentialView, Observed, PlanOptions, Verdict, Write } from '../types.js';
import { assessment, unmanagedAction, unmanagedReason } from './judge.js';

const DAY_MS = 86_400_000;
export const DEFAULT_WARN_DAYS = 30;

/**
 * The SHA-1 thumbprint (uppercase hex) of a stored key credential: from its `key` when Graph
 * returned it, else from `customKeyIdentifier` (the hex thumbprint string, or base64 of the 20
 * thumbprint bytes, which is Graph's default).
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
  const t = thumbprintOf(kc);
  return {
    ...(t ? { thumbprint: t } : {}),
    ...(kc.keyId ? { keyId: kc.keyId } : {}),
    ...(kc.displayName ? { displayName: kc.displayName } : {}),
    ...(kc.startDateTime ? { startDateTime: kc.startDateTime } : {}),
    ...(kc.endDateTime ? { endDateTime: kc.endDateTime } : {}),
  };
}

/** The new entry for a configured certificate (public part only; Graph assigns the keyId). */
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

export interface CertificateHealth {
  thumbprint: string;
  role: DesiredCertificate['role'];
  notAfter: string;
  daysLeft: number;
}

/** Days left for each managed certificate (whole days, rounded down). */
export function certificateHealth(certs: readonly DesiredCertificate[], now: number): CertificateHealth[] {
  return certs.map((c) => ({ thumbprint: c.thumbprint, role: c.role, notAfter: c.notAfter, daysLeft: Math.floor((Date.parse(c.notAfter) - now) / DAY_MS) }));
}

/**
 * The current certificate's expiry as Entra will enforce it: its notAfter, or the registered
 * keyCredential's endDateTime when that is earlier (Graph accepts an end date before the
 * certificate's; Entra refuses the key from then on).
 */
function currentExpiry(desired: DesiredState, observed: Observed, now: number): CertificateHealth & { entraEndDateTime?: string } {
  const health = certificateHealth(desired.certificates, now);
  const current = health.find((h) => h.role === 'current') ?? health[0]!;
  const registered = (observed.application?.keyCredentials ?? []).find((kc) => thumbprintOf(kc) === current.thumbprint.toUpperCase());
  const end = registered?.endDateTime ? Date.parse(registered.endDateTime) : NaN;
  if (!Number.isFinite(end)) return current;
  const entraEndDateTime = new Date(end).toISOString();
  if (end >= Date.parse(current.notAfter)) return { ...current, entraEndDateTime };
  return { ...current, notAfter: entraEndDateTime, daysLeft: Math.floor((end - now) / DAY_MS), entraEndDateTime };
}

function healthVerdict(desired: DesiredState, observed: Observed, options: PlanOptions, okMessage: string): Verdict | undefined {
  if (desired.certificates.length === 0) {
    return {
      status: 'fail',
      message: 'the config names no certificate: VB365 cannot sign in as the application',
      remedy: 'Create or import one: entra-portal install-cert --generate (or --pfx <file>), then entra-portal apply',
    };
  }
  if (options.now === undefined) return undefined;
  const warnDays = options.warnDays ?? DEFAULT_WARN_DAYS;
  // the configured (current) certificate first; the previous one only while a rotation is unfinished
  const current = currentExpiry(desired, observed, options.now);
  const details = { thumbprint: current.thumbprint, notAfter: current.notAfter, daysLeft: current.daysLeft, ...(current.entraEndDateTime ? { entraEndDateTime: current.entraEndDateTime } : {}), certificates: certificateHealth(desired.certificates, options.now) };
  const renew = 'Renew it: entra-portal rotate-cert --generate --apply, then give VB365 the new certificate (entra-portal export-vb365), then entra-portal rotate-cert --finish --apply';
  if (current.daysLeft < 0) {
    return { status: 'fail', message: `certificate ${current.thumbprint} expired on ${current.notAfter}: sign-in fails (AADSTS700027)`, remedy: renew, details };
  }
  if (current.daysLeft < warnDays) {
    return { status: 'warn', message: `certificate ${current.thumbprint} expires in ${current.daysLeft} day${current.daysLeft === 1 ? '' : 's'}, on ${current.notAfter}`, remedy: renew, details };
  }
  // a rotation not finished: VB365 may still sign in with the outgoing key, and its end is near
  const previous = details.certificates.find((h) => h.role === 'previous');
  if (previous && previous.daysLeft < warnDays) {
    const when = previous.daysLeft < 0 ? `expired on ${previous.notAfter}` : `expires in ${previous.daysLeft} day${previous.daysLeft === 1 ? '' : 's'}, on ${previous.notAfter}`;
    return {
      status: 'warn',
      message: `the rotation is not finished: the outgoing certificate ${previous.thumbprint} (certificate.previous), which VB365 may still sign in with, ${when}`,
      remedy: `Give VB365 the new certificate ${current.thumbprint} (entra-portal export-vb365, then its script on the VB365 server), then entra-portal rotate-cert --finish --apply`,
      details,
    };
  }
  return { status: 'pass', message: okMessage, details };
}

/**
 * The certificates' health as a line for apply's warnings (undefined when healthy or not judged):
 * also while the plan is still registering the certificate, when the verdict is about the shape.
 */
export function certificateWarning(desired: DesiredState, observed: Observed, options: PlanOptions): string | undefined {
  const health = healthVerdict(desired, observed, options, '');
  return health && health.status !== 'pass' ? health.message : undefined;
}

export function assessCertificates(desired: DesiredState, observed: Observed, options: PlanOptions) {
  const prune = options.prune === true;
  const current = observed.application?.keyCredentials ?? [];
  const wanted = new Set(desired.certificates.map((c) => c.thumbprint.toUpperCase()));
  const present = new Set(current.map(thumbprintOf).filter((t): t is string => !!t));
  const missing = desired.certificates.filter((c) => !present.has(c.thumbprint.toUpperCase()));
  const others = current.filter((kc) => !wanted.has(thumbprintOf(kc) ?? ''));

  const changes: Change[] = missing.map((c) => ({
    resource: 'keyCredential',
    action: 'add',
    field: 'keyCredentials',
    after: { thumbprint: c.thumbprint, displayName: c.subject, startDateTime: c.notBefore, endDateTime: c.notAfter },
  }));
  const retire = new Set((options.retire ?? []).map((t) => t.toUpperCase()));
  const retired = (kc: KeyCredential) => retire.has(thumbprintOf(kc) ?? '');
  const removed = others.filter((kc) => prune || retired(kc));
  for (const kc of others) {
    const reason = !prune && retired(kc) ? 'the outgoing certificate of a finished rotation (rotate-cert --finish)' : unmanagedReason(prune, 'not a certificate the config manages');
    changes.push({ resource: 'keyCredential', action: unmanagedAction(removed.includes(kc)), field: 'keyCredentials', before: keyCredentialView(kc), unmanaged: true, reason });
  }
  const writes: Write[] = [];
  if (missing.length > 0 || removed.length > 0) {
    const kept = current.filter((kc) => !removed.includes(kc));
    writes.push({ aspect: 'certificates', op: 'patchApplication', body: { keyCredentials: [...kept, ...missing.map(newKeyCredential)] } });
  }
  const list = desired.certificates.map((c) => c.thumbprint).join(' and ');
  const okMessage = `certificate ${list} ${desired.certificates.length > 1 ? 'are' : 'is'} registered, and no other`;
  const health = healthVerdict(desired, observed, options, okMessage);
  const judged = assessment('certificates', 'certificates', changes, writes, { message: okMessage, ...(health ? { health } : {}) });
  // a failing shape still reports the dates (monitors read notAfter/daysLeft whatever the status)
  if (changes.length > 0 && health?.details) judged.verdict.details = { ...health.details, ...judged.verdict.details };
  return judged;
}
