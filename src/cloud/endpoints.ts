/**
 * A config → the cloud it talks to: Graph root, login authority host, `.default` scope, region
 * (docs/graph.md, "National clouds"). Pure; no network.
 *
 * - `region` (name or alias, default Worldwide) picks a row of the region table (`regions.ts`).
 * - `endpoints: { graph, login }` gives a custom cloud instead (https only; it wins over `region`).
 * - `region: 'Emulator'` has no fixed endpoints: the Graph session starts the embedded emulator and
 *   passes its URL here as `emulatorUrl` (graph root = login host = the emulator URL).
 */
import { InputError, OperationError } from '../errors.js';
import type { PortalConfig } from '../config/types.js';
import { graphDefaultScope, resolveRegion, type Endpoints, type RegionName } from './regions.js';

export interface ResolvedEndpoints extends Endpoints {
  /** client-credentials / default scope: `{graph}/.default` */
  scope: string;
  /** the region, or 'Custom' when the config gives `endpoints` */
  region: RegionName | 'Custom';
}

/** True when the config asks for the embedded emulator (the session must start it). */
export function isEmulatorConfig(config: PortalConfig): boolean {
  return !config.endpoints && config.region !== undefined && resolveRegion(config.region).name === 'Emulator';
}

/** The region name a config resolves to ('Custom' for `endpoints`); throws InputError for Germany/unknown. */
export function regionOf(config: PortalConfig): RegionName | 'Custom' {
  if (config.endpoints) return 'Custom';
  return resolveRegion(config.region ?? 'Worldwide').name;
}

/**
 * Resolve the endpoints of a config. For the Emulator region, `emulatorUrl` (the running emulator's
 * `https://127.0.0.1:PORT`) is required.
 */
export function resolveEndpoints(config: PortalConfig, options: { emulatorUrl?: string } = {}): ResolvedEndpoints {
  if (config.endpoints) {
    const graph = normaliseRoot(config.endpoints.graph, 'endpoints.graph');
    const login = normaliseRoot(config.endpoints.login, 'endpoints.login');
    return { graph, login, scope: graphDefaultScope(graph), region: 'Custom' };
  }
  const info = resolveRegion(config.region ?? 'Worldwide');
  if (info.name === 'Emulator') {
    if (!options.emulatorUrl) {
      throw new OperationError('the Emulator region needs a running emulator (internal: no emulator URL given)', { code: 'emulator-not-started' });
    }
    const root = normaliseRoot(options.emulatorUrl, 'emulator URL');
    return { graph: root, login: root, scope: graphDefaultScope(root), region: 'Emulator' };
  }
  // every non-emulator region has endpoints in the table
  const ep = info.endpoints as Endpoints;
  return { graph: ep.graph, login: ep.login, scope: graphDefaultScope(ep.graph), region: info.name };
}

/**
 * Validate and normalise a cloud root URL: https only (both @azure/identity and MSAL refuse http),
 * no query, fragment or user info; trailing slashes removed. A path prefix is kept (a proxy may serve
 * Graph under one), without its trailing slash.
 */
export function normaliseRoot(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${what}: '${value}' is not a URL`, { problems: [{ path: what, message: 'must be an absolute https URL' }] });
  }
  const problem =
    url.protocol !== 'https:'
      ? 'must use https'
      : url.username || url.password
        ? 'must not contain user info'
        : url.search || url.hash
          ? 'must not have a query or fragment'
          : undefined;
  if (problem) throw new InputError(`${what}: ${problem} ('${value}')`, { problems: [{ path: what, message: problem }] });
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Join a root and a path with exactly one slash between them — never doubled, never dropped —
 * leaving the query string alone: graphUrl('https://h/', '/v1.0/x?a=b') → 'https://h/v1.0/x?a=b'.
 */
export function graphUrl(root: string, path: string): string {
  const base = root.replace(/\/+$/, '');
  const q = path.indexOf('?');
  const pathPart = q === -1 ? path : path.slice(0, q);
  const query = q === -1 ? '' : path.slice(q);
  const rel = pathPart.replace(/^\/+/, '');
  return rel ? `${base}/${rel}${query}` : `${base}${query}`;
}

/** The v1.0 API URL of a relative Graph path: `{graph}/v1.0/{path}`. */
export function graphApiUrl(root: string, path: string): string {
  return graphUrl(graphUrl(root, 'v1.0'), path);
}

/**
 * The host name of a URL, without the port (what the Graph client's `customHosts` wants).
 * (The SDK's host check cuts at the first ':' — an IPv6 literal root cannot work with it; use 127.0.0.1.)
 */
export function hostName(url: string): string {
  return new URL(url).hostname;
}

/** Graph roots the Graph SDK knows (GSDK `GRAPH_URLS`); other hosts must be given as `customHosts`. */
export const SDK_GRAPH_HOSTS: ReadonlySet<string> = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);
