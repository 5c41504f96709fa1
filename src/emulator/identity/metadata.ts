/**
 * Discovery documents msal-node reads: the tenant's openid-configuration (the issuer is built from
 * the request's Host, because MSAL checks that it has the authority's scheme, host and port),
 * instance discovery and the JWKS (docs/graph.md, "The token endpoint and client assertions").
 */
import type { Engine } from '../engine.js';
import type { GraphResult } from '../http.js';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

/** `tenantPath` is the id, or `common`/`organizations`/`consumers` (then `{tenantid}` stays a placeholder). */
export function openidConfiguration(origin: string, tenantPath: string, tenantId: string | undefined): GraphResult {
  const t = tenantId ?? tenantPath;
  const host = new URL(origin).host;
  return {
    status: 200,
    headers: { ...JSON_HEADERS, 'Cache-Control': 'max-age=86400, private' },
    body: {
      token_endpoint: `${origin}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${origin}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${tenantId ?? '{tenantid}'}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${origin}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${origin}/${t}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: host,
      cloud_graph_host_name: host,
      msgraph_host: host,
      rbac_url: origin,
    },
  };
}

export function instanceDiscovery(origin: string, query: URLSearchParams): GraphResult {
  const host = new URL(origin).host;
  let tenant = 'common';
  const authz = query.get('authorization_endpoint');
  if (authz) {
    try {
      tenant = new URL(authz).pathname.split('/').filter(Boolean)[0] ?? 'common';
    } catch {
      /* keep common */
    }
  }
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: {
      tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

/** The signing key as Entra publishes its keys: `kid` = `x5t` (the certificate's SHA-1), `x5c` the certificate. */
export function jwks(engine: Engine): GraphResult {
  const jwk = engine.verifyKey.export({ format: 'jwk' }) as { n: string; e: string };
  const x5c = engine.signingCertDer ? [engine.signingCertDer] : [];
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: { keys: [{ kty: 'RSA', use: 'sig', kid: engine.kid, x5t: engine.kid, n: jwk.n, e: jwk.e, x5c, issuer: `${engine.url}/{tenantid}/v2.0` }] },
  };
}
