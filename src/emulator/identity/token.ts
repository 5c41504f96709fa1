/**
 * `POST /{tenant}/oauth2/v2.0/token`: client_credentials with a client secret (in the body or as
 * HTTP Basic) or a client assertion (RS256/PS256, `x5t` or `x5t#S256` matched against the
 * application's keyCredentials, or its service principal's in the tenant asked for a token); the device-code and refresh-token grants are in delegated.ts.
 * Errors carry Entra's AADSTS codes.
 */
import { randomBytes } from 'node:crypto';
import type { Engine } from '../engine.js';
import type { Tenant } from '../directory.js';
import type { GraphResult } from '../http.js';
import { decodeJwt, signJwt, verifyJwt } from '../jwt.js';
import { usableVerifyKey } from '../keycert.js';
import type { Application, ServicePrincipal } from '../types.js';
import { accessClaims, findClient, missing, ok, resolveResource, unknownClient, v1Issuer, type TokenRequest } from './common.js';
import { deviceCodeGrant, refreshGrant } from './delegated.js';

export { deviceCodeEndpoint, approveDeviceLogin } from './delegated.js';
import { aadError } from './errors.js';

export { v1Issuer, type TokenRequest } from './common.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';


/**
 * `client_secret_basic` (advertised in the discovery document): the client id and secret in an HTTP
 * Basic header, each form-urlencoded first (RFC 6749 §2.3.1), moved into the form here. A request that
 * also sends them in the body uses two methods at once: 400. Undefined when it can proceed.
 */
export function basicClientAuth(form: URLSearchParams, authorization: string | undefined, correlationId?: string): GraphResult | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const malformed = () => aadError(400, 'invalid_request', 9002313, 'Invalid request. Request is malformed or invalid.', correlationId);
  if (colon < 0) return malformed();
  let id: string;
  let secret: string;
  try {
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    id = dec(decoded.slice(0, colon));
    secret = dec(decoded.slice(colon + 1));
  } catch {
    return malformed();
  }
  if (form.has('client_secret') || form.has('client_assertion') || (form.has('client_id') && form.get('client_id') !== id)) return malformed();
  form.set('client_id', id);
  form.set('client_secret', secret);
  return undefined;
}

export async function tokenEndpoint(req: TokenRequest): Promise<GraphResult> {
  const grant = req.form.get('grant_type');
  if (!grant) return missing(req, 'grant_type');
  if (grant === 'client_credentials') return clientCredentials(req);
  if (grant === DEVICE_CODE || grant === 'device_code') return deviceCodeGrant(req);
  if (grant === 'refresh_token') return refreshGrant(req);
  return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`, req.correlationId);
}


function clientCredentials(req: TokenRequest): GraphResult {
  const { engine, tenant, form } = req;
  const clientId = form.get('client_id');
  if (!clientId) return missing(req, 'client_id');
  const scope = form.get('scope');
  if (!scope) return missing(req, 'scope');
  const found = findClient(engine, tenant, clientId);
  const sp = tenant.spsByAppId.get(clientId);
  if (!found || !sp) return unknownClient(req, clientId);
  const scopes = scope.split(' ').filter(Boolean);
  if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
    return aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      req.correlationId,
    );
  }
  const resourceName = scopes[0]!.slice(0, -'/.default'.length);
  const resource = resolveResource(engine, tenant, resourceName);
  if (!resource) {
    return aadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resourceName} was not found in the tenant named ${tenant.domain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      req.correlationId,
    );
  }
  const auth = authenticateClient(req, found.app, found.home, sp);
  if (auth.error) return auth.error;
  return ok(issueAppToken(req, found.app, sp, resource, auth.acr));
}

function authenticateClient(req: TokenRequest, app: Application, home: Tenant, sp?: ServicePrincipal): { acr: '1' | '2'; error?: undefined } | { error: GraphResult } {
  const { form } = req;
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    const now = Date.now();
    // the application's secrets, or (in this tenant) its service principal's
    const appMatch = home.secretOf(app, secret);
    const spMatch = !appMatch && sp ? req.tenant.secretOf(sp, secret) : undefined;
    const cred = appMatch
      ? app.passwordCredentials.find((p) => p.keyId === appMatch.keyId)
      : spMatch && (sp?.passwordCredentials ?? []).find((p) => p.keyId === spMatch.keyId);
    if (cred && Date.parse(cred.endDateTime) < now) {
      return { error: aadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.appId}' are expired. Visit the Azure portal to create new keys for your app.`, req.correlationId) };
    }
    if (!cred) {
      return {
        error: aadError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
          req.correlationId,
        ),
      };
    }
    return { acr: '1' };
  }
  if (assertion !== null) {
    const err = verifyAssertion(req, app, assertion, sp);
    return err ? { error: err } : { acr: '2' };
  }
  return {
    error: aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", req.correlationId),
  };
}

function verifyAssertion(req: TokenRequest, app: Application, assertion: string, sp?: ServicePrincipal): GraphResult | undefined {
  const { form, engine, tenant } = req;
  const bad = (desc: string, code = 700027) => aadError(401, 'invalid_client', code, desc, req.correlationId);
  if (form.get('client_assertion_type') !== JWT_BEARER) {
    return aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.", req.correlationId);
  }
  const jwt = decodeJwt(assertion);
  if (!jwt) return aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.', req.correlationId);
  const { header, payload } = jwt;
  if (header.alg !== 'RS256' && header.alg !== 'PS256') return bad(`Client assertion contains an unsupported signature algorithm '${String(header.alg)}'.`);
  if (payload.iss !== app.appId || payload.sub !== app.appId) {
    return bad("Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://aka.ms/certCreds .", 700021);
  }
  if (!audienceIsTokenEndpoint(engine, tenant, payload.aud)) return bad(`Client assertion audience claim does not match Realm issuer. Review the documentation at https://aka.ms/certCreds . The audience was '${String(payload.aud)}'.`);
  const now = Math.floor(Date.now() / 1000);
  const exp = Number(payload.exp);
  const nbf = payload.nbf === undefined ? undefined : Number(payload.nbf);
  if (!Number.isFinite(exp) || exp <= now || (nbf !== undefined && nbf > now + 300)) {
    return bad('Client assertion is not within its valid time range. Review the documentation at https://aka.ms/certCreds .', 700024);
  }
  const s256 = typeof header['x5t#S256'] === 'string' ? Buffer.from(header['x5t#S256'], 'base64url') : undefined;
  const s1 = typeof header.x5t === 'string' ? Buffer.from(header.x5t, 'base64url') : undefined;
  if (!s256 && !s1) return bad('Client assertion failed signature validation: the header has neither x5t nor x5t#S256.');
  // the application's certificates, or (in this tenant) its service principal's
  const key = [...app.keyCredentials, ...(sp?.keyCredentials ?? [])]
    .map((k) => usableVerifyKey(k))
    .find((p) => p && ((s256 && p.sha256.equals(s256)) || (s1 && p.sha1.equals(s1))));
  if (!key) {
    const thumb = (s256 ?? s1)!.toString('hex').toUpperCase();
    return bad(
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumb}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'. Review the documentation at https://aka.ms/certCreds .]`,
    );
  }
  if (!verifyJwt(jwt, key.cert.publicKey)) return bad('Client assertion failed signature validation. Review the documentation at https://aka.ms/certCreds .');
  return undefined;
}

function audienceIsTokenEndpoint(engine: Engine, tenant: Tenant, aud: unknown): boolean {
  const auds = Array.isArray(aud) ? aud : [aud];
  return auds.some((a) => {
    if (typeof a !== 'string') return false;
    try {
      const u = new URL(a);
      if (!engine.isOwnOrigin(u.origin)) return false;
      const m = /^\/([^/]+)\/oauth2\/(?:v2\.0\/)?token\/?$/.exec(u.pathname);
      return Boolean(m && engine.store.find(m[1]!) === tenant);
    } catch {
      return false;
    }
  });
}



function issueAppToken(req: TokenRequest, app: Application, sp: ServicePrincipal, resource: { sp: ServicePrincipal; aud: string }, acr: '1' | '2'): Record<string, unknown> {
  const { engine, tenant } = req;
  const roles = tenant.rolesOf(sp.id, resource.sp.id);
  const claims: Record<string, unknown> = {
    ...accessClaims(req, resource.aud),
    app_displayname: app.displayName,
    appid: app.appId,
    appidacr: acr,
    idp: v1Issuer(tenant.id),
    idtyp: 'app',
    oid: sp.id,
    sub: sp.id,
  };
  if (roles.length) claims.roles = roles;
  const token = signJwt(claims, engine.signingKey, { kid: engine.kid, x5t: engine.kid });
  return { token_type: 'Bearer', expires_in: engine.tokenLifetime, ext_expires_in: engine.tokenLifetime, access_token: token };
}
