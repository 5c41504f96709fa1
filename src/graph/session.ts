/**
 * The Graph session: one Graph client plus the operator's credential for one cloud. `src/graph/`
 * is a client only: it does not choose the cloud, build the credential or start an emulator —
 * src/session.ts (the composition root) does, and hands the pieces to `createGraphSession`.
 *
 * Heavy libraries (the Graph SDK, undici) are imported inside `createGraphSession`.
 */
import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Context } from '../context.js';
import { hostName, SDK_GRAPH_HOSTS, type ResolvedEndpoints } from '../cloud/endpoints.js';
import { retryPolicy, type RetryPolicy } from './retry.js';
import { credentialForGraphSdk, FetchHandler } from './transport.js';

export interface GraphSession {
  graph: Client;
  /** resolved graph + login roots (the emulator URL in Emulator mode), scope and region */
  endpoints: ResolvedEndpoints;
  /** as configured (id or domain); the emulator's default tenant when the config has none */
  tenant: string;
  /** the operator's */
  credential: TokenCredential;
  /** extra CA PEM to trust (the emulator's), for other clients made in-process (e.g. a ClientCertificateCredential) */
  ca?: string;
  /** options to give any @azure/identity credential so it talks to this cloud */
  credentialOptions(): { authorityHost: string; disableInstanceDiscovery?: boolean; [k: string]: unknown };
  /** releases what the session holds (its HTTP agent; an embedded emulator); idempotent */
  close(): Promise<void>;
  /** the context the session logs and sleeps through */
  ctx: Context;
  /** the retry/consistency policy (budget = --propagation-timeout) */
  retry: RetryPolicy;
}

/** What `createGraphSession` is given: everything is decided by the caller. */
export interface GraphSessionParts {
  endpoints: ResolvedEndpoints;
  tenant: string;
  credential: TokenCredential;
  /** extra CA PEM, trusted for this session's requests only */
  ca?: string;
  /** options for any @azure/identity credential made for this cloud (e.g. the application's own, in test-portal) */
  credentialOptions(): { authorityHost: string; disableInstanceDiscovery?: boolean; [k: string]: unknown };
  /** seconds; the retry/consistency budget per operation (default 120) */
  propagationTimeout?: number;
  /** test hook: retry policy overrides (e.g. a deterministic `random`) */
  retry?: Partial<RetryPolicy>;
  /** run when the session closes, last first (e.g. stop an embedded emulator) */
  cleanups?: (() => Promise<void>)[];
}

export async function createGraphSession(parts: GraphSessionParts, ctx: Context): Promise<GraphSession> {
  const retry = retryPolicy({ budgetMs: (parts.propagationTimeout ?? 120) * 1000, ...parts.retry });
  const cleanups = [...(parts.cleanups ?? [])];
  const close = async () => {
    while (cleanups.length) await cleanups.pop()?.().catch(() => undefined);
  };
  try {
    const graph = await createGraphClient(parts.endpoints, parts.credential, parts.ca, cleanups, retry.budgetMs, ctx.signal);
    return {
      graph,
      endpoints: parts.endpoints,
      tenant: parts.tenant,
      credential: parts.credential,
      ...(parts.ca ? { ca: parts.ca } : {}),
      credentialOptions: parts.credentialOptions,
      close,
      ctx,
      retry,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The Graph client: our middleware chain (auth → telemetry → fetch; no SDK RetryHandler, see
 * retry.ts), the cloud's Graph root, `customHosts` for a host the SDK does not know (without it the
 * SDK silently drops the Authorization header), and an undici Agent trusting `ca` when given.
 */
async function createGraphClient(
  endpoints: ResolvedEndpoints,
  credential: TokenCredential,
  ca: string | undefined,
  cleanups: (() => Promise<void>)[],
  requestTimeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<GraphSession['graph']> {
  const sdk = await import('@microsoft/microsoft-graph-client');
  const { TokenCredentialAuthenticationProvider } = await import('@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js');
  const authProvider = new TokenCredentialAuthenticationProvider(credentialForGraphSdk(credential, sdk.GraphClientError), { scopes: [endpoints.scope] });
  const host = hostName(endpoints.graph);
  let fetchOptions: Record<string, unknown> | undefined;
  if (ca) {
    const { Agent } = await import('undici');
    const agent = new Agent({ connect: { ca } });
    cleanups.push(() => agent.close());
    // Node's fetch takes undici's `dispatcher`: the CA is trusted for these requests only
    fetchOptions = { dispatcher: agent };
  }
  return sdk.Client.initWithMiddleware({
    middleware: [new sdk.AuthenticationHandler(authProvider), new sdk.TelemetryHandler(), new FetchHandler(requestTimeoutMs, signal)],
    baseUrl: `${endpoints.graph}/`,
    defaultVersion: 'v1.0',
    ...(SDK_GRAPH_HOSTS.has(host) ? {} : { customHosts: new Set([host]) }),
    ...(fetchOptions ? { fetchOptions: fetchOptions as never } : {}),
  });
}
