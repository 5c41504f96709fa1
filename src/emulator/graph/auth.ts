/**
 * Every Graph call presents an access token the emulator issued: signature, audience (the emulator's
 * own origin), issuer/tenant and lifetime are checked (401 InvalidAuthenticationToken otherwise), and
 * each operation requires one of its application permissions (403 Authorization_RequestDenied,
 * "Insufficient privileges to complete the operation.", reference/graph-behaviour.md §5).
 * A delegated token of the seeded administrator (device code) is treated as a Global Administrator.
 */
import type { Engine } from '../engine.js';
import type { Tenant } from '../directory.js';
import { GraphError } from '../http.js';
import { decodeJwt, verifyJwt } from '../jwt.js';

export interface Principal {
  tenant: Tenant;
  kind: 'app' | 'user';
  /** the calling application's appId */
  appId: string;
  /** the service principal (app) or user object id */
  oid: string;
  roles: ReadonlySet<string>;
  /** the tenant administrator: allowed everything */
  admin: boolean;
}

const unauthenticated = (message: string, engine: Engine): GraphError =>
  new GraphError(401, 'InvalidAuthenticationToken', message, {
    headers: {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${engine.url}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    },
  });

function verifiedPayload(engine: Engine, token: string): Record<string, unknown> {
  // tokens whose signature already checked out (the costly part); their claims are re-checked below
  const verified = engine.verifiedTokens;
  const hit = verified.get(token);
  if (hit) return hit;
  const jwt = decodeJwt(token);
  if (!jwt) throw unauthenticated('CompactToken parsing failed with error code: 80049217', engine);
  if (jwt.header.alg !== 'RS256' || jwt.header.kid !== engine.kid || !verifyJwt(jwt, engine.verifyKey)) {
    throw unauthenticated('Access token validation failure. Invalid signature.', engine);
  }
  if (verified.size >= 1000) verified.clear();
  verified.set(token, jwt.payload);
  return jwt.payload;
}

export function authenticate(engine: Engine, authorization: string | undefined): Principal {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw unauthenticated('Access token is empty.', engine);
  const p = verifiedPayload(engine, m[1]!);
  if (typeof p.aud !== 'string' || !engine.isOwnOrigin(p.aud)) throw unauthenticated('Access token validation failure. Invalid audience.', engine);
  const now = Math.floor(Date.now() / 1000);
  if (typeof p.exp !== 'number' || p.exp <= now || (typeof p.nbf === 'number' && p.nbf > now + 300)) {
    throw unauthenticated('Access token has expired or is not yet valid.', engine);
  }
  const tenant = typeof p.tid === 'string' ? engine.store.tenants.get(p.tid) : undefined;
  const iss = typeof p.iss === 'string' ? p.iss : '';
  const issOk = engine.ownOrigins().some((o) => iss.toLowerCase() === `${o}/${String(p.tid)}/v2.0`);
  if (!tenant || !issOk) throw unauthenticated('Access token validation failure. Invalid issuer or tenant.', engine);
  const oid = String(p.oid ?? '');
  if (p.idtyp === 'user' || typeof p.scp === 'string') {
    if (oid !== tenant.admin.id) throw unauthenticated('Access token validation failure. Unknown user.', engine);
    return { tenant, kind: 'user', appId: String(p.appid ?? ''), oid, roles: new Set(), admin: true };
  }
  if (!tenant.sps.has(oid)) throw unauthenticated('Access token validation failure. The service principal no longer exists.', engine);
  const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];
  return { tenant, kind: 'app', appId: String(p.appid ?? ''), oid, roles: new Set(roles), admin: false };
}

export const denied = (): GraphError => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/** Throws 403 unless the principal holds at least one of the roles. */
export function requireAny(p: Principal, roles: readonly string[]): void {
  if (p.admin) return;
  if (!roles.some((r) => p.roles.has(r))) throw denied();
}

export const ROLES = {
  appRead: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  appWrite: ['Application.ReadWrite.All'],
  grantRead: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  grantWrite: ['DelegatedPermissionGrant.ReadWrite.All'],
  assignmentWrite: ['AppRoleAssignment.ReadWrite.All'],
} as const;
