/**
 * Why could @azure/identity not reach the login endpoint? MSAL reports a refused connection, an
 * untrusted TLS certificate and a metadata/issuer mismatch all as the same opaque
 * `endpoints_resolution_error` (docs/dependencies.md, "@azure/identity").
 * Only after such a failure, we fetch the OpenID metadata ourselves once and name the real cause.
 */
import { graphUrl } from './endpoints.js';
import { errnoOf } from '../util/errno.js';

/** MSAL's codes for "could not resolve the authority" (msal-common ClientAuthErrorCodes). */
export function isEndpointResolutionError(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /endpoints_resolution_error|openid_config_error|untrusted_authority|authority_uri_insecure/i.test(text);
}

export interface EndpointDiagnosis {
  /** one line: what went wrong, with the URL */
  detail: string;
  remedy: string;
}

/** Fetch `{authorityHost}/{tenant}/v2.0/.well-known/openid-configuration` once and explain the outcome. */
export async function diagnoseAuthority(authorityHost: string, tenant: string | undefined, ca?: string, timeoutMs = 10_000): Promise<EndpointDiagnosis> {
  const url = graphUrl(authorityHost, `${tenant ?? 'organizations'}/v2.0/.well-known/openid-configuration`);
  let dispatcher: { close(): Promise<void> } | undefined;
  try {
    const init: RequestInit & { dispatcher?: unknown } = { signal: AbortSignal.timeout(Math.min(timeoutMs, 10_000)) };
    if (ca) {
      const { Agent } = await import('undici');
      dispatcher = new Agent({ connect: { ca } });
      init.dispatcher = dispatcher;
    }
    const res = await fetch(url, init);
    const body = await res.text();
    if (!res.ok) {
      return {
        detail: `${url} answered HTTP ${res.status}`,
        remedy: res.status === 400 || res.status === 404 ? 'Check the tenant (id or verified domain) and the region of the config.' : 'The login service failed: try again later.',
      };
    }
    let issuer: unknown;
    try {
      issuer = (JSON.parse(body) as { issuer?: unknown }).issuer;
    } catch {
      /* not JSON */
    }
    return {
      detail: `${url} answered, but its metadata was refused${typeof issuer === 'string' ? ` (issuer ${issuer})` : ''}`,
      remedy: 'The issuer must have the same scheme, host and port as the authority (e.g. 127.0.0.1 vs localhost).',
    };
  } catch (err) {
    const { errno, detail } = errnoOf(err);
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(errno) || /certificate/i.test(detail);
    return {
      detail: `${url}: ${errno}${detail && detail !== errno ? ` (${detail})` : ''}`,
      remedy: tls
        ? "The login endpoint's TLS certificate is not trusted: set NODE_EXTRA_CA_CERTS to the PEM file of its CA (it is read at process start)."
        : 'Check the network path to the login endpoint (proxy, firewall, DNS) and the region of the config.',
    };
  } finally {
    await dispatcher?.close().catch(() => undefined);
  }
}
