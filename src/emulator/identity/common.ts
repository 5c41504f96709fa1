/**
 * What the token endpoints share: the request, Entra's success envelope, the client and resource
 * lookups, and the issuers of the tokens issued.
 */
import { randomBytes } from 'node:crypto';
import type { Engine } from '../engine.js';
import type { Tenant } from '../directory.js';
import type { GraphResult } from '../http.js';
import type { Application, ServicePrincipal } from '../types.js';
import { aadError } from './errors.js';

export interface TokenRequest {
  engine: Engine;
  tenant: Tenant;
  /** the origin the client addressed (issuer and audiences follow it) */
  origin: string;
  form: URLSearchParams;
  correlationId?: string;
}

export function ok(body: Record<string, unknown>): GraphResult {
  return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache' }, body };
}

/** The application behind a client id: in this tenant, or a multi-tenant one homed elsewhere. */
export function findClient(engine: Engine, tenant: Tenant, clientId: string): { app: Application; home: Tenant } | undefined {
  const local = tenant.appsByAppId.get(clientId);
  if (local) return { app: local, home: tenant };
  for (const t of engine.store.tenants.values()) {
    const a = t.appsByAppId.get(clientId);
    if (a && a.signInAudience !== 'AzureADMyOrg') return { app: a, home: t };
  }
  return undefined;
}

/** The resource a `.default` scope names, and the audience to put in the token. */
export function resolveResource(engine: Engine, tenant: Tenant, resource: string): { sp: ServicePrincipal; aud: string } | undefined {
  const r = resource.replace(/\/+$/, '');
  if (engine.isOwnOrigin(r)) {
    const sp = tenant.graphSp;
    return sp ? { sp, aud: r.toLowerCase() } : undefined;
  }
  for (const sp of tenant.sps.values()) {
    if (sp.appId === r || sp.servicePrincipalNames.some((n) => n.replace(/\/+$/, '') === r)) return { sp, aud: resource };
  }
  return undefined;
}

export function missing(req: TokenRequest, name: string): GraphResult {
  return aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`, req.correlationId);
}

/** The issuer of v2.0 tokens (id tokens): the authority's own origin, as the discovery document says. */
export function issuer(req: TokenRequest): string {
  return `${req.origin}/${req.tenant.id}/v2.0`;
}

/**
 * The issuer of the v1.0 access tokens Graph accepts: Entra's fixed STS form, whatever the host the
 * client signed in at (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

/** AADSTS700016: no application with this client id in the tenant (nor a multi-tenant one elsewhere). */
export function unknownClient(req: TokenRequest, clientId: string): GraphResult {
  return aadError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${req.tenant.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    req.correlationId,
  );
}

/** The claims every v1.0 access token carries (the caller adds who it is for and what it may do). */
export function accessClaims(req: TokenRequest, aud: string): Record<string, unknown> & { iat: number; exp: number } {
  const now = Math.floor(Date.now() / 1000);
  const iss = v1Issuer(req.tenant.id);
  return { aud, iss, iat: now, nbf: now, exp: now + req.engine.tokenLifetime, tid: req.tenant.id, uti: randomBytes(16).toString('base64url'), ver: '1.0' };
}
