/**
 * openSession's implementation (session.ts loads it lazily: it pulls in @azure/identity, the Graph
 * SDK and undici). See session.ts for the contract.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { Context } from '../context.js';
import { hostName, isEmulatorConfig, resolveEndpoints, SDK_GRAPH_HOSTS, type ResolvedEndpoints } from '../cloud/endpoints.js';
import { createCredential, explainerFor, identityOptions, withTypedErrors } from '../cloud/credentials.js';
import { retryPolicy } from './retry.js';
import { credentialForGraphSdk, FetchHandler } from './transport.js';
import type { EmbeddedEmulator, GraphSession, OpenSessionOptions, SessionConfig } from './session.js';

/** The emulator's default tenant when the config names none (DESIGN §6). */
export const EMULATOR_DEFAULT_TENANT = 'contoso.onmicrosoft.com';
/** Where the embedded emulator keeps its state, next to the config. */
export const EMULATOR_STATE_DIR = '.entra-portal';
export const EMULATOR_FAULTS_ENV = 'ENTRA_PORTAL_EMULATOR_FAULTS';

export async function openSessionImpl(loaded: SessionConfig, ctx: Context, options: OpenSessionOptions): Promise<GraphSession> {
  const config = loaded.config;
  const retry = retryPolicy({ budgetMs: (options.propagationTimeout ?? 120) * 1000, ...options.retry });
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    while (cleanups.length) await cleanups.pop()?.().catch(() => undefined);
  };
  try {
    let endpoints: ResolvedEndpoints;
    let credential: TokenCredential;
    let tenant: string;
    let ca: string | undefined;
    let emulator: EmbeddedEmulator | undefined;

    if (isEmulatorConfig(config)) {
      const started = await startEmbeddedEmulator(loaded.dir, ctx);
      emulator = started;
      cleanups.push(() => started.stop());
      tenant = config.tenant ?? EMULATOR_DEFAULT_TENANT;
      const t = await started.ensureTenant(tenant);
      endpoints = resolveEndpoints(config, { emulatorUrl: started.url });
      ca = started.caPem;
      if (options.auth === 'environment') {
        // an explicit --auth environment signs in with AZURE_CLIENT_ID/SECRET against the emulator
        // (e.g. its `unprivileged` client, to see the 403 path); otherwise: the tenant's operator
        credential = await createCredential('environment', {
          tenant,
          authorityHost: endpoints.login,
          env: ctx.env,
          isTTY: false,
          log: ctx.log,
          ca,
          disableInstanceDiscovery: true,
        });
      } else {
        const id = await import('@azure/identity');
        credential = withTypedErrors(
          new id.ClientSecretCredential(tenant, t.operator.clientId, t.operator.clientSecret, identityOptions({ authorityHost: endpoints.login, ca, disableInstanceDiscovery: true })),
          'emulator',
          explainerFor({ authorityHost: endpoints.login, tenant, ca }),
        );
      }
      ctx.log.verbose(`embedded Entra emulator at ${started.url} (tenant ${tenant}, state in ${join(loaded.dir, EMULATOR_STATE_DIR)})`);
    } else {
      endpoints = resolveEndpoints(config);
      const configured = config.tenant ?? ctx.env.AZURE_TENANT_ID;
      tenant = configured ?? 'organizations';
      const isTTY = !!ctx.stdin.isTTY && !!ctx.stderr.isTTY;
      credential = await createCredential(options.auth ?? 'auto', {
        ...(configured ? { tenant: configured } : {}),
        authorityHost: endpoints.login,
        env: ctx.env,
        isTTY,
        log: ctx.log,
        // a custom cloud is not in MSAL's list of known Microsoft authorities
        ...(endpoints.region === 'Custom' ? { disableInstanceDiscovery: true } : {}),
      });
    }

    const graph = await createGraphClient(endpoints, credential, ca, cleanups);
    const disableInstanceDiscovery = endpoints.region === 'Emulator' || endpoints.region === 'Custom';
    return {
      graph,
      endpoints,
      tenant,
      credential,
      ...(ca ? { ca } : {}),
      credentialOptions: () => identityOptions({ authorityHost: endpoints.login, ...(ca ? { ca } : {}), disableInstanceDiscovery }),
      close,
      ctx,
      retry,
      ...(emulator ? { emulator } : {}),
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
    middleware: [new sdk.AuthenticationHandler(authProvider), new sdk.TelemetryHandler(), new FetchHandler()],
    baseUrl: `${endpoints.graph}/`,
    defaultVersion: 'v1.0',
    ...(SDK_GRAPH_HOSTS.has(host) ? {} : { customHosts: new Set([host]) }),
    ...(fetchOptions ? { fetchOptions: fetchOptions as never } : {}),
  });
}

/* --------------------------------------------------------------------------------- embedded emulator */

async function startEmbeddedEmulator(configDir: string, ctx: Context): Promise<EmbeddedEmulator> {
  const stateDir = join(configDir, EMULATOR_STATE_DIR);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const faults = ctx.env[EMULATOR_FAULTS_ENV];
  const { startEmulator } = await import('../emulator/index.js');
  const start = () => startEmulator({ port: 0, statePath: join(stateDir, 'emulator-state.json'), ...(faults ? { faults } : {}) });
  // Another run on the same config holds the state file (`<state>.lock`) for as long as it runs:
  // wait for it, as edits wait for the config lock, instead of failing the second of two runs.
  const waitMs = Number(ctx.env.ENTRA_PORTAL_LOCK_TIMEOUT_MS) || EMULATOR_STATE_WAIT_MS;
  const deadline = Date.now() + waitMs;
  for (let waiting = false; ; ) {
    try {
      const started = await start();
      if (waiting) ctx.log.done();
      return started;
    } catch (err) {
      const held = (err as { code?: unknown }).code === 'emulator-state-locked' && /in use by process/.test(String((err as Error).message));
      if (!held || Date.now() >= deadline) {
        if (waiting) ctx.log.done();
        throw err;
      }
      const pid = /in use by process (\d+)/.exec(String((err as Error).message))?.[1];
      if (!waiting) ctx.log.progress(`waiting for process ${pid} (another run, or an emulator serving this state) to release ${EMULATOR_STATE_DIR}/emulator-state.json…`);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 150)));
    }
  }
}

/** How long a run waits for another one holding the embedded emulator's state (ENTRA_PORTAL_LOCK_TIMEOUT_MS overrides). */
const EMULATOR_STATE_WAIT_MS = 30_000;
