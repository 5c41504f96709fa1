/**
 * Every Graph call presents an access token the emulator issued: signature, audience (the emulator's
 * own origin), issuer/tenant and lifetime are checked (401 InvalidAuthenticationToken otherwise), and
 * each operation requires one of its permissions (403 Authorization_RequestDenied, "Insufficient
 * privileges to complete the operation.").
 * A delegated token acts with the intersection of its scopes (`scp`) and the user's rights: a Global
 * Administrator (`wids`) may do what the scopes allow; a user without roles may read applications,
 * register new ones and manage the ones they own (Entra's default user permissions,
 * https://learn.microsoft.com/entra/fundamentals/users-default-permissions).
 */
import type { Engine } from '../engine.js';
import type { VerifiedToken } from '../types.js';
import type { Tenant } from '../directory.js';
import { GraphError } from '../http.js';
import { decodeJwt, verifyJwt } from '../jwt.js';
import { GLOBAL_ADMINISTRATOR } from '../seed-data.js';
import { v1Issuer } from '../identity/token.js';

export interface Principal {
  tenant: Tenant;
  kind: 'app' | 'user';
  /** the calling application's appId */
  appId: string;
  /** the service principal (app) or user object id */
  oid: string;
  roles: ReadonlySet<string>;
  /** app: its application permissions; user: its delegated scopes */
  /** a user holding Global Administrator (the `wids` claim) */
  admin: boolean;
}

const unauthenticated = (message: string, engine: Engine): GraphError =>
  new GraphError(401, 'InvalidAuthenticationToken', message, {
    headers: {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${engine.url}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    },
  });

/**
 * What a token says that cannot change while the emulator runs: its claims after the signature
 * checked out (the costly part), and the outcome of the audience and issuer checks (they compare
 * claims with this emulator's origins, which are fixed once it listens). Expiry, the tenant and the
 * calling service principal are checked again on every call.
 */
export type { VerifiedToken } from '../types.js';

function verifyToken(engine: Engine, authorization: string | undefined): VerifiedToken {
  // keyed by the whole header value, so a repeated header skips parsing as well as the signature check.
  // The last one is compared first: a Map lookup hashes the ~1.5 kB header string on every request
  // (each request brings a fresh string), a comparison with the previous one is a memcmp.
  const last = engine.lastToken;
  if (last && authorization === last.authorization) return last.facts;
  const verified = engine.verifiedTokens;
  const hit = authorization === undefined ? undefined : verified.get(authorization);
  if (hit) {
    engine.lastToken = { authorization: authorization!, facts: hit };
    return hit;
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw unauthenticated('Access token is empty.', engine);
  const jwt = decodeJwt(m[1]!);
  if (!jwt) throw unauthenticated('CompactToken parsing failed with error code: 80049217', engine);
  if (jwt.header.alg !== 'RS256' || jwt.header.kid !== engine.kid || !verifyJwt(jwt, engine.verifyKey)) {
    throw unauthenticated('Access token validation failure. Invalid signature.', engine);
  }
  const p = jwt.payload;
  const iss = typeof p.iss === 'string' ? p.iss : '';
  const facts: VerifiedToken = {
    audOk: typeof p.aud === 'string' && engine.isOwnOrigin(p.aud),
    exp: p.exp,
    nbf: p.nbf,
    tid: p.tid,
    // the v1.0 access tokens' issuer names the token's tenant (identity/token.ts v1Issuer)
    issOk: iss === v1Issuer(String(p.tid)),
    user: p.idtyp === 'user' || typeof p.scp === 'string',
    oid: String(p.oid ?? ''),
    appId: String(p.appid ?? ''),
    roles: new Set(
      typeof p.scp === 'string' ? p.scp.split(' ').filter(Boolean) : Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [],
    ),
    globalAdmin: Array.isArray(p.wids) && p.wids.includes(GLOBAL_ADMINISTRATOR),
  };
  if (verified.size >= 1000) verified.clear();
  verified.set(authorization!, facts);
  engine.lastToken = { authorization: authorization!, facts };
  return facts;
}

export function authenticate(engine: Engine, authorization: string | undefined): Principal {
  const t = verifyToken(engine, authorization);
  if (!t.audOk) throw unauthenticated('Access token validation failure. Invalid audience.', engine);
  const now = Math.floor(Date.now() / 1000);
  if (typeof t.exp !== 'number' || t.exp <= now || (typeof t.nbf === 'number' && t.nbf > now + 300)) {
    throw unauthenticated('Access token has expired or is not yet valid.', engine);
  }
  const tenant = typeof t.tid === 'string' ? engine.store.tenants.get(t.tid) : undefined;
  if (!tenant || !t.issOk) throw unauthenticated('Access token validation failure. Invalid issuer or tenant.', engine);
  if (t.user) {
    if (!tenant.user(t.oid)) throw unauthenticated('Access token validation failure. Unknown user.', engine);
    return { tenant, kind: 'user', appId: t.appId, oid: t.oid, roles: t.roles, admin: t.globalAdmin };
  }
  if (!tenant.sps.has(t.oid)) throw unauthenticated('Access token validation failure. The service principal no longer exists.', engine);
  return { tenant, kind: 'app', appId: t.appId, oid: t.oid, roles: t.roles, admin: false };
}

export const denied = (): GraphError => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

const ALL_AS_USER = 'Directory.AccessAsUser.All';

/**
 * Throws 403 unless the principal holds one of the permissions (a user: one of the scopes, or
 * Directory.AccessAsUser.All). A user without a role gets reads (a permission list that offers a
 * `.Read.All`), and writes only to an object they own (`owners`; a creation passes the creator).
 */
export function requireAny(p: Principal, roles: readonly string[], owners?: readonly string[]): void {
  if (p.kind === 'app') {
    if (!roles.some((r) => p.roles.has(r))) throw denied();
    return;
  }
  if (!p.roles.has(ALL_AS_USER) && !roles.some((r) => p.roles.has(r))) throw denied();
  if (p.admin || roles.some((r) => r.endsWith('.Read.All')) || owners?.includes(p.oid)) return;
  throw denied();
}

export const ROLES = {
  appRead: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  appWrite: ['Application.ReadWrite.All'],
  grantRead: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  grantWrite: ['DelegatedPermissionGrant.ReadWrite.All'],
  assignmentWrite: ['AppRoleAssignment.ReadWrite.All'],
} as const;
