/**
 * The composition root: a loaded config → the cloud's endpoints, the operator's credential and, for
 * `region: 'Emulator'`, a started embedded emulator — wired into one Graph session. `src/graph/` is a
 * client only and knows neither the emulator nor how credentials are chosen; this module does.
 *
 * - Regions/custom endpoints: `createCredential(auth)` (cloud/credentials.ts) with the region's
 *   authority host; the Graph client on the region's Graph root.
 * - `region: 'Emulator'`: the emulator starts in-process (state in `<configDir>/.entra-portal/`,
 *   faults from $ENTRA_PORTAL_EMULATOR_FAULTS), the tenant is ensured, the operator's client secret is
 *   used, and the emulator's CA is trusted *in this process only* — an undici Agent for the Graph
 *   client's fetch and `tlsOptions.ca` for @azure/identity. NODE_EXTRA_CA_CERTS is read only at
 *   process start, so it cannot be used here.
 *
 * Everything heavy (@azure/identity ~0.2 s, the Graph SDK, undici, the emulator) loads inside `openSession`.
 */
import nodePath, { dirname, join, type PlatformPath } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { CustomerConfig, PortalConfig } from './config/types.js';
import { systemClock, type Context } from './context.js';
import type { AuthMode } from './cloud/auth-modes.js';
import type { ResolvedEndpoints } from './cloud/endpoints.js';
import type { GraphSession } from './graph/session.js';
import type { RetryPolicy } from './graph/retry.js';
import type { EmulatorHandle } from './emulator/index.js';
import { makeDirectory } from './util/fs.js';
import { asArgument, InterruptedError, LockedError } from './errors.js';

export { AUTH_MODES, type AuthMode } from './cloud/auth-modes.js';
export type { GraphSession } from './graph/session.js';

/** The emulator's default tenant when the config names none. */
export const EMULATOR_DEFAULT_TENANT = 'contoso.onmicrosoft.com';
/** Where the embedded emulator keeps its state, next to the config. */
export const EMULATOR_STATE_DIR = '.entra-portal';
export const EMULATOR_FAULTS_ENV = 'ENTRA_PORTAL_EMULATOR_FAULTS';
/** a JSON file in the emulator's EmulatorPki shape, used when the embedded emulator makes a new state */
export const EMULATOR_PKI_ENV = 'ENTRA_PORTAL_EMULATOR_PKI';

/** A Graph session, plus the embedded emulator it started (Emulator mode): the demo and tests read its request log. */
export interface Session extends GraphSession {
  emulator?: EmulatorHandle;
}

/** What the session needs of a loaded config (src/config's LoadedConfig satisfies it). */
export interface SessionConfig {
  /** the folder of the config file (the emulator keeps its state in `<dir>/.entra-portal/`) */
  dir: string;
  config: PortalConfig;
}

export interface OpenSessionOptions {
  /** default 'auto'. Emulator mode: the tenant's operator, except an explicit 'environment' (AZURE_CLIENT_ID/SECRET) */
  auth?: AuthMode;
  /** seconds; the retry/consistency budget per operation (default 120) */
  propagationTimeout?: number;
  /** test hook: retry policy overrides (e.g. a deterministic `random`) */
  retry?: Partial<RetryPolicy>;
  /**
   * Emulator mode: an embedded emulator already serving this config's folder (a fleet shares one per
   * folder); the session uses it and leaves it running when it closes.
   */
  emulator?: EmulatorHandle;
}

export async function openSession(loaded: SessionConfig, ctx: Context, options: OpenSessionOptions = {}): Promise<Session> {
  const config = loaded.config;
  const [{ isEmulatorConfig, resolveEndpoints }, { createCredential, explainerFor, identityOptions, withTypedErrors }, { createGraphSession }] = await Promise.all([
    import('./cloud/endpoints.js'),
    import('./cloud/credentials.js'),
    import('./graph/session.js'),
  ]);
  const cleanups: (() => Promise<void>)[] = [];
  // every request of the run — metadata, token, Graph — is bounded by its budget
  const timeoutMs = (options.propagationTimeout ?? 120) * 1000;
  try {
    let endpoints: ResolvedEndpoints;
    let credential: TokenCredential;
    let tenant: string;
    let ca: string | undefined;
    let emulator: EmulatorHandle | undefined;

    if (isEmulatorConfig(config)) {
      const started = options.emulator ?? (await startEmbeddedEmulator(loaded.dir, ctx));
      emulator = started;
      if (!options.emulator) cleanups.push(() => started.stop());
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
          timeoutMs,
        });
      } else {
        const id = await import('@azure/identity');
        credential = withTypedErrors(
          new id.ClientSecretCredential(tenant, t.operator.clientId, t.operator.clientSecret, identityOptions({ authorityHost: endpoints.login, ca, disableInstanceDiscovery: true, timeoutMs })),
          'emulator',
          explainerFor({ authorityHost: endpoints.login, tenant, ca }),
        );
      }
      ctx.log.verbose(`embedded Entra emulator at ${started.url} (tenant ${tenant}, state in ${join(loaded.dir, EMULATOR_STATE_DIR)})`);
    } else {
      endpoints = resolveEndpoints(config);
      // custom endpoints get credentials only when the run trusts them (cloud/trust.ts)
      (await import('./cloud/trust.js')).assertEndpointsTrusted(config, ctx.env);
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
        timeoutMs,
      });
    }

    const disableInstanceDiscovery = endpoints.region === 'Emulator' || endpoints.region === 'Custom';
    const login = endpoints.login;
    const session = await createGraphSession(
      {
        endpoints,
        tenant,
        credential,
        ...(ca ? { ca } : {}),
        credentialOptions: () => identityOptions({ authorityHost: login, ...(ca ? { ca } : {}), disableInstanceDiscovery, timeoutMs }),
        ...(options.propagationTimeout !== undefined ? { propagationTimeout: options.propagationTimeout } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
        cleanups,
      },
      ctx,
    );
    return emulator ? { ...session, emulator } : session;
  } catch (err) {
    while (cleanups.length) await cleanups.pop()?.().catch(() => undefined);
    throw err;
  }
}

/* --------------------------------------------------------------------------------- embedded emulator */

/** The state is held by a standalone emulator: this run cannot start its own on it. */
function servedByEmulator(err: LockedError, pid: number): LockedError {
  return new LockedError(`${err.message}: region Emulator starts its own emulator on that state, which is served by process ${pid} until it is stopped`, {
    code: err.code,
    lockPath: err.lockPath,
    ...(err.holder ? { holder: err.holder } : {}),
    cause: err,
    remedy:
      'Stop that emulator (Ctrl-C where it runs), or use it: put the endpoints it printed in the config instead of region, and run with --auth environment and the variables it printed.',
  });
}

/** How long a run waits for another one holding the embedded emulator's state (ENTRA_PORTAL_LOCK_TIMEOUT_MS overrides). */
const EMULATOR_STATE_WAIT_MS = 30_000;

/** The embedded emulator's state file beside a config: `<configDir>/.entra-portal/emulator-state.json`. */
export function emulatorStatePath(configDir: string, p: PlatformPath = nodePath): string {
  return p.join(configDir, EMULATOR_STATE_DIR, 'emulator-state.json');
}

export async function startEmbeddedEmulator(configDir: string, ctx: Context): Promise<EmulatorHandle> {
  const faults = ctx.env[EMULATOR_FAULTS_ENV];
  const { startEmulator, parseFaults } = await import('./emulator/index.js');
  // the variable stands in for `emulator --faults`: a bad spec is the command line's (64), named as such
  if (faults) asArgument(() => parseFaults(faults), `$${EMULATOR_FAULTS_ENV}`);
  const statePath = emulatorStatePath(configDir);
  const stateDir = dirname(statePath);
  await makeDirectory(stateDir, 0o700);
  // a pre-generated PKI for new states (tests: no RSA key generation per fresh state)
  const pki = ctx.env[EMULATOR_PKI_ENV];
  // the run's clock is the emulator's directory time: with a test's virtual clock, replication lag
  // passes as the run's retry sleeps advance it
  const start = () =>
    startEmulator({ port: 0, statePath, clock: ctx.clock, ...(faults ? { faults } : {}), ...(pki ? { pki } : {}) });
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
      const holder = err instanceof LockedError && err.code === 'emulator-state-locked' ? err.holder : undefined;
      // a standalone `entra-portal emulator` serves this state until it is stopped: waiting is pointless
      if (holder?.purpose === 'emulator') throw servedByEmulator(err as LockedError, holder.pid);
      if (!holder || holder.pid === process.pid || Date.now() >= deadline) {
        if (waiting) ctx.log.done();
        throw err;
      }
      if (!waiting) ctx.log.progress(`waiting for process ${holder.pid} (another run on this config) to release ${EMULATOR_STATE_DIR}/emulator-state.json…`);
      waiting = true;
      // real time, like the deadline: the other process runs on the wall clock, whatever clock this run has
      await systemClock.sleep(100 + Math.floor(Math.random() * 150), ctx.signal).catch(() => {
        throw InterruptedError.from(ctx.signal?.reason);
      });
    }
  }
}

/* --------------------------------------------------------------------------------- customer tenants */

/**
 * A session to a customer tenant of the provider's multi-tenant application (service providers):
 * the provider session's cloud, CA and (Emulator region) emulator, with the customer's credential
 * (src/cloud/tenant-credentials.ts) — non-interactive, the tenant as the authority. Its own HTTP
 * agent; close it when done (the provider session stays open).
 */
export async function openCustomerSession(provider: Session, customer: CustomerConfig, ctx: Context, options: Pick<OpenSessionOptions, 'auth'> = {}): Promise<Session & { credentialSource: string }> {
  const [{ customerCredential }, { createGraphSession }] = await Promise.all([import('./cloud/tenant-credentials.js'), import('./graph/session.js')]);
  const region = provider.endpoints.region;
  const emulator = provider.emulator;
  const { credential, source } = await customerCredential(customer, {
    ...(options.auth ? { auth: options.auth } : {}),
    authorityHost: provider.endpoints.login,
    env: ctx.env,
    log: ctx.log,
    ...(provider.ca ? { ca: provider.ca } : {}),
    disableInstanceDiscovery: region === 'Emulator' || region === 'Custom',
    timeoutMs: provider.retry.budgetMs,
    // the emulator's tenants as they were at start (and made since by this process): never a new one
    ...(emulator ? { emulatorOperator: (t: string) => emulator.tenants.find((x) => x.id === t.toLowerCase() || x.domain === t.toLowerCase())?.operator } : {}),
  });
  const session = await createGraphSession(
    {
      endpoints: provider.endpoints,
      tenant: customer.tenant,
      credential,
      ...(provider.ca ? { ca: provider.ca } : {}),
      credentialOptions: provider.credentialOptions,
      propagationTimeout: provider.retry.budgetMs / 1000,
      retry: provider.retry,
    },
    ctx,
  );
  return { ...session, credentialSource: source };
}
