/**
 * The Graph session: one Graph client + the operator's credential for the config's cloud
 * (notes/interfaces.md "Graph session"; DESIGN §2, §6).
 *
 * - Regions/custom endpoints: `createCredential(auth)` (cloud/credentials.ts) with the region's
 *   authority host; the Graph client on the region's Graph root.
 * - `region: 'Emulator'`: the emulator starts in-process (state in `<configDir>/.entra-portal/`,
 *   faults from $ENTRA_PORTAL_EMULATOR_FAULTS), the tenant is ensured, the operator's client secret is
 *   used, and the emulator's CA is trusted *in this process only* — an undici Agent for the Graph
 *   client's fetch and `tlsOptions.ca` for @azure/identity (core-rest-pipeline's tlsPolicy → https.Agent).
 *   NODE_EXTRA_CA_CERTS is read only at process start, so it cannot be used here.
 *
 * Heavy libraries (@azure/identity ~0.2 s, the Graph SDK, undici) are imported inside `openSession`.
 */
import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { PortalConfig } from '../config/types.js';
import type { Context } from '../context.js';
import type { ResolvedEndpoints } from '../cloud/endpoints.js';
import type { RetryPolicy } from './retry.js';
import type { EmulatorHandle } from '../emulator/index.js';

export type AuthMode = 'auto' | 'device-code' | 'browser' | 'azure-cli' | 'environment' | 'managed-identity';
export const AUTH_MODES: readonly AuthMode[] = ['auto', 'device-code', 'browser', 'azure-cli', 'environment', 'managed-identity'];

/** The embedded emulator a session started (Emulator mode): the demo and tests read its request log. */
export type EmbeddedEmulator = EmulatorHandle;

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
  /** stops an embedded emulator; idempotent */
  close(): Promise<void>;
  /** the context the session logs and sleeps through */
  ctx: Context;
  /** the retry/consistency policy (budget = --propagation-timeout) */
  retry: RetryPolicy;
  /** the embedded emulator, in Emulator mode (the demo and tests read its request log) */
  emulator?: EmbeddedEmulator;
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
}

export async function openSession(loaded: SessionConfig, ctx: Context, options: OpenSessionOptions = {}): Promise<GraphSession> {
  const { openSessionImpl } = await import('./session-impl.js');
  return openSessionImpl(loaded, ctx, options);
}
