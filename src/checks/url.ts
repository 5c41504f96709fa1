/**
 * url.format and url.port. Pure: no network.
 *
 * The format rules are the ones set-portal-url enforces (src/url/portal-url.ts): VB365 accepts
 * exactly `https://<IPv4>:<port>` or `https://<DNS name>:<port>` (Set-VBORestorePortalSettings
 * -PortalUri; docs/vb365.md, "The Restore Portal web address"). The port is judged apart, by url.port: it must
 * be the REST API's HTTPS port (4443 unless changed), or the portal is unreachable.
 */
import { DEFAULT_REST_API_PORT } from '../config/types.js';
import { InputError } from '../errors.js';
import { normalizeRedirectUri, validatePortalUrl } from '../url/portal-url.js';
import { fail, pass, warn, type CheckOutcome } from './types.js';

export interface PortalUrl {
  /** as written in the config */
  raw: string;
  /** lowercase scheme and host, no trailing slash (the form Entra and VB365 are compared with) */
  normalized: string;
  host: string;
  port: number;
  hostKind: 'ipv4' | 'dns';
}

/** Lowercase scheme and host, no trailing slash. */
export const normalizeUrl = normalizeRedirectUri;

/** The port written in the URL, if any (the authority's last `:digits`). */
function writtenPort(raw: string): number | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*?(?:@[^/?#]*?)?:(\d{1,5})(?:[/?#]|$)/i.exec(raw.trim());
  return m ? Number(m[1]) : undefined;
}

export function checkUrlFormat(raw: string | undefined, restApiPort?: number): CheckOutcome {
  if (raw === undefined || raw.trim() === '') {
    return fail('the config has no portal.url', 'Set the Restore Portal address: entra-portal set-portal-url https://<host>:<port>');
  }
  // judge the format only: the port comparison is url.port's
  const port = writtenPort(raw);
  try {
    const v = validatePortalUrl(raw, port !== undefined && port >= 1 && port <= 65535 ? port : (restApiPort ?? DEFAULT_REST_API_PORT));
    const url: PortalUrl = { raw, normalized: v.url, host: v.host, port: v.port, hostKind: v.hostKind };
    const what = `${v.url} (${v.hostKind === 'ipv4' ? 'IPv4 address' : 'DNS name'})`;
    const details = { normalized: v.url, host: v.host, port: v.port };
    if (v.warnings.length) {
      return warn(`${what}: ${v.warnings.join('; ')}`, 'Use an address restore operators and users can reach, e.g. the public DNS name of the REST API machine', details, url);
    }
    return pass(what, details, url);
  } catch (err) {
    if (err instanceof InputError) {
      return fail(err.message, err.remedy ?? 'Use https://<IPv4 address>:<port> or https://<DNS name>:<port>');
    }
    throw err;
  }
}

export function checkUrlPort(url: PortalUrl, restApiPort: number | undefined): CheckOutcome {
  if (restApiPort === undefined) {
    if (url.port === DEFAULT_REST_API_PORT) return pass(`port ${url.port} is the REST API's default HTTPS port`);
    return warn(
      `port ${url.port} differs from the REST API's default HTTPS port ${DEFAULT_REST_API_PORT}, and portal.restApiPort is not set`,
      `If the REST API listens on ${url.port} (Set-VBORestAPISettings -HTTPSPort ${url.port}), record it: entra-portal set-portal-url ${url.normalized} --rest-api-port ${url.port}`,
    );
  }
  if (url.port === restApiPort) return pass(`port ${url.port} equals portal.restApiPort`);
  return fail(
    `the URL's port ${url.port} differs from portal.restApiPort ${restApiPort}: the portal would be unreachable`,
    `Use the REST API's HTTPS port in the URL (entra-portal set-portal-url https://${url.host}:${restApiPort}), or change the REST API port (Set-VBORestAPISettings -HTTPSPort ${url.port}) and portal.restApiPort`,
  );
}
