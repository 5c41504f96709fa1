/**
 * Delegated sign-in: the device-code flow (`/devicecode`, then the token endpoint's device_code
 * grant) and refresh tokens, with consent as Entra models it (docs/emulator.md "Delegated tokens"):
 * - the client must be known in the tenant (an application of it, a multi-tenant one, or one of
 *   Microsoft's public clients such as the Azure CLI): otherwise AADSTS700016;
 * - `scp` holds what the client was consented for on the resource (tenant-wide AllPrincipals grants,
 *   and the signed-in user's own grants); a scope asked for and never consented is AADSTS65001;
 * - `wids` (directory role template ids) only for a user who holds a role.
 * The user signs in at `/devicelogin` (approveDeviceLogin); with `deviceLogin: 'auto'` (the default)
 * a code nobody approved is approved as the tenant's administrator at the first poll.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Tenant } from '../directory.js';
import type { GraphResult } from '../http.js';
import { signJwt } from '../jwt.js';
import type { DirectoryUser, ServicePrincipal } from '../types.js';
import { accessClaims, findClient, issuer, missing, ok, resolveResource, unknownClient, type TokenRequest } from './common.js';
import { aadError } from './errors.js';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEVICE_CODE_SECONDS = 900;

/** The client's service principal in the tenant, if the client may sign users in there at all. */
function clientPrincipal(req: TokenRequest, clientId: string): { sp: ServicePrincipal } | { error: GraphResult } {
  const { engine, tenant } = req;
  const sp = tenant.spsByAppId.get(clientId.toLowerCase());
  const app = findClient(engine, tenant, clientId.toLowerCase());
  if (!sp && !app) return { error: unknownClient(req, clientId) };
  // an application of an emulated tenant must allow public client flows to use the device code
  if (app && app.app.isFallbackPublicClient !== true) {
    return { error: aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", req.correlationId) };
  }
  if (!sp) return { error: notConsented(req, clientId, app!.app.displayName) };
  return { sp };
}

function notConsented(req: TokenRequest, clientId: string, name: string): GraphResult {
  return aadError(
    400,
    'invalid_grant',
    65001,
    `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`,
    req.correlationId,
  );
}

export function deviceCodeEndpoint(req: TokenRequest): GraphResult {
  const clientId = req.form.get('client_id');
  if (!clientId) return missing(req, 'client_id');
  const client = clientPrincipal(req, clientId);
  if ('error' in client) return client.error;
  const scope = req.form.get('scope') ?? '';
  const userCode = randomBytes(6).toString('hex').slice(0, 9).toUpperCase();
  const deviceCode = randomBytes(32).toString('base64url');
  req.engine.deviceCodes.set(deviceCode, { tenantId: req.tenant.id, clientId, scope, userCode, expires: Date.now() + DEVICE_CODE_SECONDS * 1000 });
  const verificationUri = `${req.origin}/devicelogin`;
  const how = req.engine.deviceLogin === 'auto' ? ` (The entra-portal emulator approves it as ${req.tenant.admin.userPrincipalName} unless ${verificationUri}?code=${userCode}&user=<upn> signs in someone else first.)` : '';
  return ok({
    user_code: userCode,
    device_code: deviceCode,
    verification_uri: verificationUri,
    expires_in: DEVICE_CODE_SECONDS,
    interval: 1,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.${how}`,
  });
}

/**
 * The browser side of the device code: `GET /devicelogin?code=<user code>&user=<upn>` signs that user
 * in for the pending code (the emulator asks for no password: its users are throwaway).
 */
export function approveDeviceLogin(req: Pick<TokenRequest, 'engine'>, query: URLSearchParams): GraphResult {
  const text = (status: number, body: string): GraphResult => ({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${body}\n` });
  const code = (query.get('code') ?? '').trim().toUpperCase();
  const upn = query.get('user') ?? '';
  if (!code) {
    return text(200, `The entra-portal emulator: open ${'/devicelogin'}?code=<code>&user=<user principal name> to sign in a device code${
      req.engine.deviceLogin === 'auto' ? " (a code nobody signs in is approved as the tenant's administrator)" : ''
    }.`);
  }
  for (const entry of req.engine.deviceCodes.values()) {
    if (entry.userCode !== code || entry.expires < Date.now()) continue;
    const tenant = req.engine.store.tenants.get(entry.tenantId)!;
    const user = upn ? tenant.userByName(upn) : tenant.admin;
    if (!user) return text(400, `No user '${upn}' in ${tenant.domain}.`);
    entry.userId = user.id;
    return text(200, `Signed in as ${user.userPrincipalName}. You can close this window.`);
  }
  return text(400, `The code '${code}' is not valid or has expired.`);
}

export function deviceCodeGrant(req: TokenRequest): GraphResult {
  const { engine, tenant } = req;
  // msal-node does not read an error from /devicecode: the token endpoint names the client too
  const clientId = req.form.get('client_id');
  if (!clientId) return missing(req, 'client_id');
  const client = clientPrincipal(req, clientId);
  if ('error' in client) return client.error;
  const code = req.form.get('device_code');
  if (!code) return missing(req, 'device_code');
  const entry = engine.deviceCodes.get(code);
  if (!entry || entry.tenantId !== tenant.id || entry.clientId !== req.form.get('client_id')) {
    return aadError(400, 'invalid_grant', 70000, "The provided value for the input parameter 'device_code' is not valid.", req.correlationId);
  }
  if (entry.expires < Date.now()) {
    engine.deviceCodes.delete(code);
    return aadError(400, 'expired_token', 70019, 'Verification code expired.', req.correlationId);
  }
  if (!entry.userId) {
    if (engine.deviceLogin !== 'auto') {
      return aadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.', req.correlationId);
    }
    entry.userId = tenant.admin.id;
  }
  engine.deviceCodes.delete(code);
  return issueUserTokens(req, entry.clientId, entry.userId, req.form.get('scope') ?? entry.scope);
}

export function refreshGrant(req: TokenRequest): GraphResult {
  const rt = req.form.get('refresh_token');
  if (!rt) return missing(req, 'refresh_token');
  const entry = req.engine.refreshTokens.get(rt);
  if (!entry || entry.tenantId !== req.tenant.id || entry.clientId !== req.form.get('client_id')) {
    return aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.', req.correlationId);
  }
  return issueUserTokens(req, entry.clientId, entry.userId, req.form.get('scope') ?? '');
}

/** The scopes the client may use on the resource for this user: tenant-wide grants and the user's own. */
function consentedScopes(tenant: Tenant, clientSpId: string, resourceSpId: string, userId: string): Set<string> {
  const out = new Set<string>();
  for (const g of tenant.grants.values()) {
    if (g.clientId !== clientSpId || g.resourceId !== resourceSpId || !tenant.liveGrant(g)) continue;
    if (g.consentType === 'AllPrincipals' || g.principalId === userId) for (const s of g.scope.split(' ')) if (s) out.add(s);
  }
  return out;
}

function issueUserTokens(req: TokenRequest, clientId: string, userId: string, scope: string): GraphResult {
  const { engine, tenant } = req;
  const client = clientPrincipal(req, clientId);
  if ('error' in client) return client.error;
  const who = tenant.user(userId);
  if (!who) return aadError(400, 'invalid_grant', 50034, `The user account ${userId} does not exist in the ${tenant.domain} directory.`, req.correlationId);
  // `https://host/.default` or `https://host/Scope.Name`: one resource per token
  const requested = scope.split(' ').filter((s) => s && !OIDC_SCOPES.has(s));
  const named = requested.find((s) => s.includes('/'));
  const resourceName = named ? named.replace(/\/[^/]*$/, '') : engine.url;
  const resource = resolveResource(engine, tenant, resourceName);
  if (!resource) {
    return aadError(400, 'invalid_resource', 500011, `The resource principal named ${resourceName} was not found in the tenant named ${tenant.domain}.`, req.correlationId);
  }
  const consented = consentedScopes(tenant, client.sp.id, resource.sp.id, userId);
  const asked = requested.map((s) => s.slice(s.lastIndexOf('/') + 1)).filter((s) => s !== '.default');
  const missingConsent = asked.filter((s) => !consented.has(s));
  if (consented.size === 0 || missingConsent.length > 0) return notConsented(req, clientId, client.sp.displayName);
  const scp = [...consented].join(' ');
  const user: DirectoryUser = who.user;
  const base = accessClaims(req, resource.aud);
  const claims: Record<string, unknown> = {
    ...base,
    appid: clientId,
    idtyp: 'user',
    name: user.displayName,
    oid: user.id,
    scp,
    sub: user.id,
    upn: user.userPrincipalName,
    unique_name: user.userPrincipalName,
  };
  // only a user who holds a directory role carries wids
  if (who.wids.length) claims.wids = who.wids;
  const access = signJwt(claims, engine.signingKey, { kid: engine.kid, x5t: engine.kid });
  const idToken = signJwt(
    { aud: clientId, iss: issuer(req), iat: base.iat, nbf: base.iat, exp: base.exp, name: user.displayName, oid: user.id, preferred_username: user.userPrincipalName, sub: user.id, tid: tenant.id, ver: '2.0' },
    engine.signingKey,
    { kid: engine.kid },
  );
  const refresh = randomBytes(48).toString('base64url');
  engine.refreshTokens.set(refresh, { tenantId: tenant.id, clientId, userId: user.id });
  return ok({
    token_type: 'Bearer',
    // what was asked for (MSAL caches the token under it)
    scope: requested.join(' ') || `${engine.url}/.default`,
    expires_in: engine.tokenLifetime,
    ext_expires_in: engine.tokenLifetime,
    access_token: access,
    refresh_token: refresh,
    id_token: idToken,
    client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString('base64url'),
    correlation_id: req.correlationId ?? randomUUID(),
  });
}
