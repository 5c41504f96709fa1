/**
 * Preflight before any write (DESIGN §1): who is signed in, and does the token carry the rights apply
 * needs? A missing right stops with PermissionError (exit 77) naming it, before anything changes.
 *
 * Local adapter until the GRAPH engineer's preflight lands in src/graph/. It reads the access token's
 * claims (no extra round trip: the credential caches the token the Graph client then uses):
 * app-only tokens list application permissions in `roles`; delegated tokens list scopes in `scp`.
 */
import { PermissionError } from '../errors.js';
import type { GraphSession } from '../graph/session.js';

interface RequiredRight {
  right: string;
  satisfiedBy: readonly string[];
  why: string;
}

/** What a --what-if run needs: to read applications (a drift monitor may run read-only). */
export const READ_RIGHTS: readonly RequiredRight[] = [
  {
    right: 'Application.Read.All',
    satisfiedBy: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    why: 'read the application and its service principal',
  },
];

/** Each right apply needs to write, with the broader rights that also satisfy it. */
export const REQUIRED_RIGHTS: readonly RequiredRight[] = [
  { right: 'Application.ReadWrite.All', satisfiedBy: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'], why: 'register and update the application and its service principal' },
  { right: 'DelegatedPermissionGrant.ReadWrite.All', satisfiedBy: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'], why: 'grant admin consent' },
];

export interface Identity {
  kind: 'application' | 'user' | 'unknown';
  /** appid/azp for applications, upn/preferred_username for users */
  name?: string;
  tenantId?: string;
  /** the rights the token carries (roles or scp) */
  rights: string[];
}

export function decodeClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
  const tenantId = str('tid');
  const scp = str('scp');
  if (scp !== undefined || str('upn') || str('preferred_username')) {
    const name = str('upn') ?? str('preferred_username') ?? str('oid');
    return { kind: 'user', ...(name ? { name } : {}), ...(tenantId ? { tenantId } : {}), rights: (scp ?? '').split(/\s+/).filter(Boolean) };
  }
  const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const name = str('appid') ?? str('azp');
  return { kind: 'application', ...(name ? { name } : {}), ...(tenantId ? { tenantId } : {}), rights: roles };
}

/** The rights apply needs that this identity lacks (case-insensitive). */
export function missingRights(identity: Identity, needed: readonly RequiredRight[] = REQUIRED_RIGHTS): string[] {
  const have = new Set(identity.rights.map((r) => r.toLowerCase()));
  return needed.filter((r) => !r.satisfiedBy.some((s) => have.has(s.toLowerCase()))).map((r) => r.right);
}

/** Get the operator's token, report who it is (verbose), and stop with 77 when a right is missing. */
export async function preflight(session: GraphSession, options: { write?: boolean } = {}): Promise<Identity> {
  const needed = options.write === false ? READ_RIGHTS : REQUIRED_RIGHTS;
  const token = await session.credential.getToken(session.endpoints.scope);
  const claims = token?.token ? decodeClaims(token.token) : undefined;
  if (!claims) return { kind: 'unknown', rights: [] }; // an opaque token: Graph's 403s will tell
  const identity = identityFromClaims(claims);
  session.ctx.log.verbose(`Signed in as ${identity.kind} ${identity.name ?? '(unknown)'} in tenant ${identity.tenantId ?? session.tenant}; rights: ${identity.rights.join(' ') || '(none)'}`);
  const missing = missingRights(identity, needed);
  if (missing.length > 0) {
    const detail = needed.filter((r) => missing.includes(r.right)).map((r) => `${r.right} (to ${r.why})`).join(' and ');
    throw new PermissionError(`the signed-in ${identity.kind} ${identity.name ?? ''} lacks ${detail}; nothing was changed`.replace(/\s+/g, ' '), {
      missing,
      remedy:
        identity.kind === 'user'
          ? 'Sign in as a Global Administrator or Application Administrator, or consent the missing delegated permissions for the tool.'
          : `Grant the application permission${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to ${identity.name ?? 'the signed-in application'} with admin consent.`,
    });
  }
  return identity;
}
