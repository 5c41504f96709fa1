/**
 * The certificate lifetime a tenant's app management policy allows an application
 * (https://learn.microsoft.com/graph/api/resources/appmanagementpolicy): the application's own
 * policy when one is assigned and enabled, else the tenant default when enabled; its
 * `asymmetricKeyLifetime` restriction, if it applies to the application (created after the
 * restriction's date). Reading it needs Policy.Read.All: without it the limit is unknown, and nothing
 * fails — Entra enforces it either way, with 400 CredentialInvalidLifetimeAsPerAppPolicy.
 */
import { GraphCallError } from './errors.js';
import { graphCall, graphList } from './request.js';
import type { GraphSession } from './session.js';

export const POLICY_REFUSED = 'CredentialInvalidLifetimeAsPerAppPolicy';

interface Restriction {
  restrictionType?: string;
  maxLifetime?: string | null;
  restrictForAppsCreatedAfterDateTime?: string | null;
}
interface Policy {
  id: string;
  isEnabled?: boolean;
  restrictions?: { keyCredentials?: Restriction[] };
  applicationRestrictions?: { keyCredentials?: Restriction[] };
}

export interface CertificateLimit {
  policyId: string;
  maxDays: number;
}

/** Days in an ISO 8601 duration of days, weeks, months or years (P365D, P1Y, P52W); undefined otherwise. */
export function durationDays(iso: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m || iso === 'P') return undefined;
  const [y = 0, mo = 0, w = 0, d = 0] = m.slice(1).map((x) => Number(x ?? 0));
  return y * 365 + mo * 30 + w * 7 + d;
}

function limitOf(p: Policy | undefined, keys: Restriction[] | undefined, createdDateTime: string | null | undefined): CertificateLimit | undefined {
  if (!p?.isEnabled) return undefined;
  const r = (keys ?? []).find((k) => k.restrictionType === 'asymmetricKeyLifetime' && k.maxLifetime);
  if (!r) return undefined;
  const after = r.restrictForAppsCreatedAfterDateTime;
  if (after && createdDateTime && Date.parse(createdDateTime) <= Date.parse(after)) return undefined;
  const maxDays = durationDays(r.maxLifetime!);
  return maxDays === undefined ? undefined : { policyId: p.id, maxDays };
}

/** The limit in force for the application (or the tenant default for a new one); null when it cannot be read. */
export async function certificateLimit(session: GraphSession, app?: { id: string; createdDateTime?: string | null }): Promise<CertificateLimit | undefined | null> {
  try {
    if (app) {
      const own = (await graphList<Policy>(session, `/applications/${encodeURIComponent(app.id)}/appManagementPolicies`)).find((p) => p.isEnabled);
      if (own) return limitOf(own, own.restrictions?.keyCredentials, app.createdDateTime) ?? undefined;
    }
    const d = (await graphCall<Policy>(session, { method: 'GET', path: '/policies/defaultAppManagementPolicy' })).body;
    return limitOf(d, d.applicationRestrictions?.keyCredentials, app?.createdDateTime);
  } catch (err) {
    if (err instanceof GraphCallError && (err.status === 403 || err.status === 404)) return null;
    throw err;
  }
}
