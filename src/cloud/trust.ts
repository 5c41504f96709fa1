/**
 * Which endpoints may receive the operator's credentials. A config's custom `endpoints` would make
 * every run — even `apply --what-if` in a drift job — send the pipeline's client secret or a signed
 * client assertion to the hosts the file names; whoever can change the file in git could collect
 * them. So a custom endpoint is used only when the person running the tool trusts its host
 * explicitly, outside the file: `--trust-endpoint <host>` (apply, test-portal, the edit verbs'
 * `--apply`) or $ENTRA_PORTAL_TRUSTED_ENDPOINTS. The Microsoft clouds of the region table and the
 * embedded emulator need no trust.
 *
 * An entry is a host name (any port) or `host:port`; `https://host[:port]` is accepted too. Entries
 * are separated by commas or white space. Matching is exact (no wildcards), case-insensitive.
 */
import type { Context } from '../context.js';
import type { PortalConfig } from '../config/types.js';
import { InputError, UsageError } from '../errors.js';
import { normaliseRoot } from './endpoints.js';
import { REGIONS } from './regions.js';

export const TRUSTED_ENDPOINTS_ENV = 'ENTRA_PORTAL_TRUSTED_ENDPOINTS';

interface TrustEntry {
  host: string;
  /** undefined: any port */
  port?: string;
}

/** Hosts of the Microsoft clouds in the region table (https, default port). */
const MICROSOFT_HOSTS: ReadonlySet<string> = new Set(
  Object.values(REGIONS).flatMap((r) => (r.endpoints ? [new URL(r.endpoints.graph).host, new URL(r.endpoints.login).host] : [])),
);

function parseEntry(raw: string, source: string): TrustEntry {
  const text = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || !url.hostname) {
    throw new UsageError(`${source}: '${raw}' is not a host name (e.g. graph.contoso-proxy.example or graph.contoso-proxy.example:8443)`);
  }
  const hasPort = /:\d+$/.test(text.replace(/\/+$/, ''));
  return { host: url.hostname.toLowerCase(), ...(hasPort ? { port: url.port || '443' } : {}) };
}

/** The entries of a list (option values or the variable's text). UsageError naming the source for a bad one. */
export function parseTrustedEndpoints(values: readonly string[], source: string): TrustEntry[] {
  return values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean).map((v) => parseEntry(v, source));
}

/**
 * A context whose $ENTRA_PORTAL_TRUSTED_ENDPOINTS also holds `hosts` (the `--trust-endpoint` values):
 * the one channel the session reads, so every request of the run sees the same trust.
 */
export function withTrustedEndpoints<C extends Pick<Context, 'env'>>(ctx: C, hosts: readonly string[] | undefined): C {
  if (!hosts?.length) return ctx;
  parseTrustedEndpoints(hosts, '--trust-endpoint'); // a bad value is a usage error now, named as the option
  const joined = [ctx.env[TRUSTED_ENDPOINTS_ENV], ...hosts].filter(Boolean).join(',');
  return { ...ctx, env: { ...ctx.env, [TRUSTED_ENDPOINTS_ENV]: joined } };
}

function trusted(url: URL, entries: readonly TrustEntry[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || '443';
  return entries.some((e) => e.host === host && (e.port === undefined || e.port === port));
}

/**
 * Throws InputError (exit 65) when the config has custom `endpoints` whose hosts are neither a
 * Microsoft cloud's nor trusted by $ENTRA_PORTAL_TRUSTED_ENDPOINTS (which `--trust-endpoint` extends).
 * Call it before any request of a run that signs in.
 */
export function assertEndpointsTrusted(config: PortalConfig, env: NodeJS.ProcessEnv): void {
  if (!config.endpoints) return;
  const entries = parseTrustedEndpoints([env[TRUSTED_ENDPOINTS_ENV] ?? ''], `$${TRUSTED_ENDPOINTS_ENV}`);
  const untrusted: { path: string; host: string }[] = [];
  for (const key of ['login', 'graph'] as const) {
    const url = new URL(normaliseRoot(config.endpoints[key], `endpoints.${key}`));
    if (MICROSOFT_HOSTS.has(url.host) || trusted(url, entries)) continue;
    if (!untrusted.some((u) => u.host === url.host)) untrusted.push({ path: `endpoints.${key}`, host: url.host });
  }
  if (!untrusted.length) return;
  const hosts = untrusted.map((u) => u.host);
  throw new InputError(
    `the config sends the operator's credentials to custom endpoints that are not trusted: ${hosts.join(', ')}`,
    {
      code: 'untrusted-endpoint',
      problems: untrusted.map((u) => ({ path: u.path, message: `${u.host} is not a Microsoft cloud and is not trusted by this run` })),
      remedy:
        `If you trust ${hosts.length === 1 ? 'this host' : 'these hosts'}, say so outside the file: ${hosts.map((h) => `--trust-endpoint ${h}`).join(' ')}, ` +
        `or ${TRUSTED_ENDPOINTS_ENV}=${hosts.join(',')}. A config cannot trust its own endpoints: whoever can change it would receive the credentials.`,
    },
  );
}
