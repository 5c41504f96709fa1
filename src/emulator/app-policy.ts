/**
 * App management policies (https://learn.microsoft.com/graph/api/resources/appmanagementpolicy,
 * https://learn.microsoft.com/graph/api/resources/tenantappmanagementpolicy): restrictions a tenant's
 * administrator sets on the credentials applications may get. The policy that applies to an
 * application is the per-app policy assigned to it (when enabled), else the tenant default (when
 * enabled); a restriction applies to applications created after its restrictForAppsCreatedAfterDateTime.
 * Enforced when a credential is added:
 *   asymmetricKeyLifetime  certificate end − start ≤ maxLifetime
 *   passwordLifetime       secret end − start ≤ maxLifetime
 *   passwordAddition       no new secrets
 * A violation is 400 with Entra's body (code CredentialInvalidLifetimeAsPerAppPolicy, message
 * "Credential lifetime exceeds the max value allowed as per assigned policy '<id>'.", details
 * [{code: InvalidKeyEndDate, target: EndDate}] — https://github.com/OfficeDev/microsoft-365-agents-toolkit/issues/10998).
 * trustedCertificateAuthority is stored but not enforced (it names certificate-based application
 * configurations the emulator does not model).
 */
import type { Tenant } from './directory.js';
import { badRequest, GraphError } from './http.js';
import type { Application, CredentialRestriction, Restrictions } from './types.js';

const PASSWORD_TYPES = new Set(['passwordAddition', 'passwordLifetime', 'symmetricKeyAddition', 'symmetricKeyLifetime', 'customPasswordAddition']);
const KEY_TYPES = new Set(['asymmetricKeyLifetime', 'trustedCertificateAuthority']);
const LIFETIMES = new Set(['passwordLifetime', 'symmetricKeyLifetime', 'asymmetricKeyLifetime']);

/** ISO 8601 duration (P[n]Y[n]M[n]DT[n]H[n]M[n]S; a year 365 days, a month 30) in ms, or undefined. */
export function durationMs(iso: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  return ((((y! * 365 + mo! * 30 + w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60 + s!) * 1000;
}

const invalid = (what: string): GraphError => badRequest(`Invalid value specified for property '${what}' of resource 'AppManagementPolicy'.`);

/** Validates a client's restrictions object (each list replaced whole). */
export function checkRestrictions(v: unknown, what: string): Restrictions {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(what);
  const r = v as Record<string, unknown>;
  const list = (key: 'passwordCredentials' | 'keyCredentials', types: Set<string>): CredentialRestriction[] => {
    const raw = r[key] ?? [];
    if (!Array.isArray(raw)) throw invalid(`${what}.${key}`);
    return raw.map((x) => {
      if (!x || typeof x !== 'object') throw invalid(`${what}.${key}`);
      const c = x as Record<string, unknown>;
      if (typeof c.restrictionType !== 'string' || !types.has(c.restrictionType)) throw invalid(`${what}.${key}.restrictionType`);
      const max = c.maxLifetime ?? null;
      if (LIFETIMES.has(c.restrictionType) ? typeof max !== 'string' || durationMs(max) === undefined : max !== null) throw invalid(`${what}.${key}.maxLifetime`);
      const after = c.restrictForAppsCreatedAfterDateTime ?? null;
      if (after !== null && (typeof after !== 'string' || !Number.isFinite(Date.parse(after)))) throw invalid(`${what}.${key}.restrictForAppsCreatedAfterDateTime`);
      return { ...structuredClone(c), restrictionType: c.restrictionType, maxLifetime: max as string | null, restrictForAppsCreatedAfterDateTime: after as string | null };
    });
  };
  return { passwordCredentials: list('passwordCredentials', PASSWORD_TYPES), keyCredentials: list('keyCredentials', KEY_TYPES) };
}

/** The restrictions in force for an application, and the id of the policy they come from. */
function inForce(tenant: Tenant, app: Application): { id: string; restrictions: Restrictions } | undefined {
  for (const pid of tenant.policyAssignments.get(app.id)?.policies ?? []) {
    const p = tenant.appPolicies.get(pid);
    if (p?.isEnabled) return { id: p.id, restrictions: p.restrictions };
  }
  const d = tenant.defaultAppPolicy;
  return d.isEnabled ? { id: d.id, restrictions: d.applicationRestrictions } : undefined;
}

function applies(r: CredentialRestriction, app: Application): boolean {
  return r.restrictForAppsCreatedAfterDateTime === null || Date.parse(app.createdDateTime) > Date.parse(r.restrictForAppsCreatedAfterDateTime);
}

function tooLong(policyId: string, target: 'InvalidKeyEndDate' | 'InvalidPasswordEndDate'): GraphError {
  const message = `Credential lifetime exceeds the max value allowed as per assigned policy '${policyId}'.`;
  return new GraphError(400, 'CredentialInvalidLifetimeAsPerAppPolicy', message, { details: [{ code: target, message, target: 'EndDate' }] });
}

/** Throws Entra's 400 when a new certificate credential breaks the policy in force. */
export function enforceKeyCredential(tenant: Tenant, app: Application, cred: { startDateTime: string; endDateTime: string }): void {
  const p = inForce(tenant, app);
  if (!p) return;
  const lifetime = Date.parse(cred.endDateTime) - Date.parse(cred.startDateTime);
  for (const r of p.restrictions.keyCredentials) {
    if (r.restrictionType === 'asymmetricKeyLifetime' && applies(r, app) && lifetime > (durationMs(r.maxLifetime ?? '') ?? Infinity)) throw tooLong(p.id, 'InvalidKeyEndDate');
  }
}

/** Throws when a new client secret breaks the policy in force (addition blocked, or too long). */
export function enforcePassword(tenant: Tenant, app: Application, cred: { startDateTime: string; endDateTime: string }): void {
  const p = inForce(tenant, app);
  if (!p) return;
  const lifetime = Date.parse(cred.endDateTime) - Date.parse(cred.startDateTime);
  for (const r of p.restrictions.passwordCredentials) {
    if (!applies(r, app)) continue;
    if (r.restrictionType === 'passwordAddition') {
      // code and wording by analogy with the lifetime error (Entra's exact body is not published)
      const message = `Password credential addition is not allowed as per assigned policy '${p.id}'.`;
      throw new GraphError(400, 'CredentialTypeNotAllowedAsPerAppPolicy', message, { details: [{ code: 'PasswordCredentialNotAllowed', message, target: 'PasswordCredential' }] });
    }
    if (r.restrictionType === 'passwordLifetime' && lifetime > (durationMs(r.maxLifetime ?? '') ?? Infinity)) throw tooLong(p.id, 'InvalidPasswordEndDate');
  }
}
