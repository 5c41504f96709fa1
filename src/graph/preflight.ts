/**
 * Preflight before any write: who is signed in, and does the token carry the rights the run needs?
 * `apply` needs Application.ReadWrite.All and DelegatedPermissionGrant.ReadWrite.All; a read-only
 * drift check needs only to read applications (Application.Read.All) and to list
 * oauth2PermissionGrants, whose least-privileged application permission is Directory.Read.All
 * (https://learn.microsoft.com/graph/api/oauth2permissiongrant-list) — never a write right. The access token's claims are only *read* (Graph verifies it; we do not):
 *   app-only tokens: `roles` (application permissions), `appid`/`azp`, `tid`, `idtyp: "app"`;
 *   delegated tokens: `scp` (space-separated), `wids` (directory role template ids), `upn`/`preferred_username`.
 * Missing rights → PermissionError (exit 77) naming them, before anything changes.
 */
import type { Context } from '../context.js';
import { PermissionError } from '../errors.js';
import type { GraphSession } from './session.js';

export const RIGHTS = {
  appWrite: 'Application.ReadWrite.All',
  appRead: 'Application.Read.All',
  grantWrite: 'DelegatedPermissionGrant.ReadWrite.All',
  directoryRead: 'Directory.Read.All',
  directoryWrite: 'Directory.ReadWrite.All',
  appRoleAssignmentWrite: 'AppRoleAssignment.ReadWrite.All',
  directoryAsUser: 'Directory.AccessAsUser.All',
} as const;

/** Any one of these lets the run read applications. */
const READ_APPS = [RIGHTS.appRead, RIGHTS.appWrite, RIGHTS.directoryRead, RIGHTS.directoryWrite];
/** Any one of these lets the run list oauth2PermissionGrants. */
const READ_GRANTS = [RIGHTS.directoryRead, RIGHTS.grantWrite, RIGHTS.directoryWrite];

/** Global Administrator's role template id (the `wids` claim). */
export const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';

/**
 * Directory roles whose holders may grant tenant-wide consent to delegated permissions, which apply
 * does (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent): Global
 * Administrator, Privileged Role Administrator, Cloud Application Administrator, Application Administrator.
 */
const CONSENTING_ROLES = [GLOBAL_ADMINISTRATOR_ROLE, 'e8611ab8-c189-46e8-94e1-60213ab1f814', '158c047a-c907-4556-b7ef-446551a6b5f7', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'];
/** How `missing` names the role a delegated apply lacks. */
export const CONSENTING_ROLE = 'a directory role that can grant admin consent (e.g. Global Administrator)';

export interface OperatorReport {
  kind: 'application' | 'user' | 'unknown';
  /** the token's `tid` (or the configured tenant when the token is opaque) */
  tenant: string;
  /** the client application (app-only: the operator application) */
  appId?: string;
  /** the signed-in user (delegated) */
  upn?: string;
  /** app roles (app-only) */
  roles: string[];
  /** delegated scopes */
  scopes: string[];
  /** rights the token lacks for what was asked (empty = fine) */
  missing: string[];
}

export type Need = 'apply' | 'read';

/** Decode a JWT's payload without verifying it; undefined for an opaque token. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = Buffer.from(part, 'base64url').toString('utf8');
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Which rights are missing from these claims for `need` (pure; unit-tested). */
export function assessClaims(claims: Record<string, unknown>, need: Need, configuredTenant: string): OperatorReport {
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(/\s+/).filter(Boolean) : [];
  const wids = Array.isArray(claims.wids) ? claims.wids.map((w) => String(w).toLowerCase()) : [];
  const isUser = claims.idtyp === 'user' || scopes.length > 0 || typeof claims.upn === 'string';
  const tenant = typeof claims.tid === 'string' ? claims.tid : configuredTenant;
  const appId = str(claims.appid) ?? str(claims.azp);
  const upn = str(claims.upn) ?? str(claims.preferred_username) ?? str(claims.unique_name);
  const missing: string[] = [];
  if (isUser) {
    // a delegated token acts with its scopes AND the user's own rights: Directory.AccessAsUser.All is
    // as much as the user may do, and granting consent takes a directory role
    if (!scopes.includes(RIGHTS.directoryAsUser)) missing.push(...requiredMissing(new Set(scopes), need));
    if (need === 'apply' && !wids.some((w) => CONSENTING_ROLES.includes(w))) missing.push(CONSENTING_ROLE);
  } else {
    missing.push(...requiredMissing(new Set(roles), need));
  }
  return {
    kind: isUser ? 'user' : 'application',
    tenant,
    ...(appId ? { appId } : {}),
    ...(upn ? { upn } : {}),
    roles,
    scopes,
    missing,
  };
}

function requiredMissing(have: Set<string>, need: Need): string[] {
  const missing: string[] = [];
  if (need === 'apply') {
    if (!have.has(RIGHTS.appWrite)) missing.push(RIGHTS.appWrite);
    if (!have.has(RIGHTS.grantWrite)) missing.push(RIGHTS.grantWrite);
  } else {
    // name the least-privileged right of each kind
    if (!READ_APPS.some((r) => have.has(r))) missing.push(RIGHTS.appRead);
    if (!READ_GRANTS.some((r) => have.has(r))) missing.push(RIGHTS.directoryRead);
  }
  return missing;
}

/**
 * Rights a planned write needs beyond `apply`'s own (pruning an application permission needs
 * AppRoleAssignment.ReadWrite.All): PermissionError (77) before anything is written.
 */
export function requireRights(report: OperatorReport, rights: readonly string[], what: string): void {
  if (report.kind !== 'application' || rights.length === 0) return;
  const missing = rights.filter((r) => !report.roles.includes(r));
  if (missing.length === 0) return;
  throw new PermissionError(`the application ${report.appId ?? ''} in tenant ${report.tenant} lacks ${missing.join(' and ')}, which ${what} needs`, {
    missing,
    remedy: `Add the application permission(s) ${missing.join(', ')} (Microsoft Graph) to application ${report.appId ?? ''} and grant admin consent, or run without --prune.`,
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** Who is signed in and what the token carries (gets a token: the first sign-in happens here). */
export async function inspectOperator(session: GraphSession, need: Need = 'apply'): Promise<OperatorReport> {
  const token = await session.credential.getToken(session.endpoints.scope);
  const claims = token ? decodeJwtPayload(token.token) : undefined;
  if (!claims) {
    // an opaque token (not a JWT): nothing to read; Graph's 403 will name the right later
    return { kind: 'unknown', tenant: session.tenant, roles: [], scopes: [], missing: [] };
  }
  return assessClaims(claims, need, session.tenant);
}

/**
 * The preflight: the report when the rights are there; PermissionError (77) naming the missing ones
 * otherwise. Call it before the first write.
 */
export async function checkOperatorRights(session: GraphSession, ctx: Pick<Context, 'log'>, options: { need?: Need } = {}): Promise<OperatorReport> {
  const report = await inspectOperator(session, options.need ?? 'apply');
  const who = report.kind === 'user' ? `user ${report.upn ?? '(unknown)'}` : report.kind === 'application' ? `application ${report.appId ?? '(unknown)'}` : 'an opaque token';
  ctx.log.verbose(`signed in to tenant ${report.tenant} as ${who}${report.roles.length ? `; roles: ${report.roles.join(', ')}` : ''}${report.scopes.length ? `; scopes: ${report.scopes.join(' ')}` : ''}`);
  if (report.kind === 'unknown') ctx.log.verbose('the access token is not a JWT: rights cannot be checked in advance');
  if (report.missing.length) {
    const how =
      report.kind === 'user'
        ? `Sign in as a user who holds a role that can grant admin consent (e.g. Global Administrator, Cloud Application Administrator) with a client consented for ${[RIGHTS.appWrite, RIGHTS.grantWrite].join(' and ')}, or use an application identity (--auth environment).`
        : `Add the application permission(s) ${report.missing.join(', ')} (Microsoft Graph) to application ${report.appId ?? ''} and grant admin consent.`;
    throw new PermissionError(`the ${who} in tenant ${report.tenant} lacks ${report.missing.join(' and ')}, which ${options.need === 'read' ? 'a read-only drift check (reading the application and its admin consent)' : 'apply'} needs`, {
      missing: report.missing,
      remedy: how,
    });
  }
  return report;
}
