/**
 * url.format and url.port (DESIGN §5). Pure: no network.
 *
 * VB365 accepts exactly `https://<public IPv4>:<port>` or `https://<DNS hostname>:<port>`
 * (Set-VBORestorePortalSettings -PortalUri; shared/reference/restore-portal.md §2), and the port
 * must be the REST API's HTTPS port (4443 unless changed), or the portal is unreachable.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { DEFAULT_REST_API_PORT } from '../config/types.js';
import { fail, pass, warn, type CheckOutcome } from './types.js';

export interface PortalUrl {
  /** as written in the config */
  raw: string;
  /** lowercase scheme and host, explicit port, no trailing slash */
  normalized: string;
  host: string;
  port: number;
  hostKind: 'ipv4' | 'dns';
}

const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Lowercase scheme and host, no trailing slash — the form used to compare the portal URL with
 * Entra's redirect URIs and with VB365's restorePortalUri. Not a validator: odd input is returned
 * trimmed and lowercased as far as it parses.
 */
export function normalizeUrl(value: string): string {
  const s = value.trim();
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(s);
  if (!m) return s.replace(/\/+$/, '');
  const rest = m[3]!.replace(/\/+$/, '');
  return `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${rest}`;
}

/** Validate the portal URL; every problem is listed (not just the first). */
export function parsePortalUrl(raw: string): { url?: PortalUrl; problems: string[] } {
  const problems: string[] = [];
  const s = raw.trim();
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(s);
  if (!m) return { problems: [`'${raw}' is not an absolute URL (expected https://<host>:<port>)`] };
  const [, scheme, authority, path, query, fragment] = m as unknown as [string, string, string, string, string?, string?];
  if (scheme.toLowerCase() !== 'https') problems.push(`the scheme is ${scheme.toLowerCase()}; the Restore Portal is served over https only`);
  let hostPort = authority;
  if (authority.includes('@')) {
    problems.push('user info (user@) is not allowed');
    hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  }
  if (path !== '' && path !== '/') problems.push(`a path (${path}) is not allowed: the portal is served at the root`);
  if (query !== undefined) problems.push('a query string is not allowed');
  if (fragment !== undefined) problems.push('a fragment (#…) is not allowed');
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    host = hostPort.slice(1, end < 0 ? undefined : end);
    portText = end >= 0 && hostPort[end + 1] === ':' ? hostPort.slice(end + 2) : undefined;
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
  }
  host = host.toLowerCase();
  let hostKind: PortalUrl['hostKind'] | undefined;
  if (host === '') problems.push('the host is missing');
  else if (isIPv6(host)) problems.push(`IPv6 addresses (${host}) are not accepted by VB365: use an IPv4 address or a DNS name`);
  else if (isIPv4(host)) hostKind = 'ipv4';
  else if (/^[0-9.]+$/.test(host)) problems.push(`'${host}' is not a valid IPv4 address`);
  else if (DNS_NAME.test(host)) hostKind = 'dns';
  else problems.push(`'${host}' is not a valid DNS host name`);
  let port: number | undefined;
  if (portText === undefined || portText === '') {
    problems.push(`the port is missing: write it explicitly (https://${host || '<host>'}:${DEFAULT_REST_API_PORT})`);
  } else if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    problems.push(`'${portText}' is not a valid port (1–65535)`);
  } else {
    port = Number(portText);
  }
  if (problems.length || !hostKind || port === undefined) return { problems };
  return { problems, url: { raw, normalized: `https://${host}:${port}`, host, port, hostKind } };
}

export function checkUrlFormat(raw: string | undefined): CheckOutcome {
  if (raw === undefined || raw.trim() === '') {
    return fail('the config has no portal.url', 'Set the Restore Portal address: entra-portal set-portal-url https://<host>:<port>');
  }
  const { url, problems } = parsePortalUrl(raw);
  if (!url) {
    return fail(`portal.url ${raw}: ${problems.join('; ')}`, 'Use https://<IPv4 address>:<port> or https://<DNS name>:<port>, e.g. entra-portal set-portal-url https://portal.example.com:4443', {
      problems,
    });
  }
  return pass(`${url.normalized} (${url.hostKind === 'ipv4' ? 'IPv4 address' : 'DNS name'})`, { normalized: url.normalized, host: url.host, port: url.port }, url);
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
