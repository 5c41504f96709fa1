/**
 * `entra-portal emulator`: run the emulator in the foreground until the signal aborts (bin/ aborts
 * it on SIGINT/SIGTERM), then flush the state and resolve. The start-up document (URL, CA file,
 * tenants and their throwaway operator credentials) goes to `ready` as soon as the emulator
 * listens; the CLI prints it (commands/emulator.ts).
 */
import { existsSync } from 'node:fs';
import type { Context } from '../context.js';
import { startEmulator } from './index.js';
import type { EmulatorHandle, RestorePortalSettings } from './types.js';

export interface RunEmulatorInput {
  port?: number;
  state?: string;
  faults?: string;
  restoreApi?: number;
  /** key material for a new state: the path of a JSON file in the EmulatorPki shape (ENTRA_PORTAL_EMULATOR_PKI) */
  pki?: string;
  /** seed this many tenants (tenant-1.onmicrosoft.com …) besides the default ones, each with its operators */
  tenants?: number;
  /** config file for the REST stand-in's settings (-c/--config) */
  config?: string;
  /** stops the emulator: bin/ aborts it on SIGINT/SIGTERM (tests and library callers abort it themselves) */
  signal?: AbortSignal;
  /** called once the emulator listens, before the run waits for the signal */
  ready?(doc: EmulatorStartDocument): void;
}

export interface EmulatorStartDocument {
  url: string;
  caFile: string;
  restoreApiUrl?: string;
  tenants: {
    id: string;
    domain: string;
    operator: { clientId: string; clientSecret: string };
    /** an operator without roles: every Graph call it makes gets 403 (to try the exit-77 path) */
    unprivileged: { clientId: string; clientSecret: string };
  }[];
  note: string;
}

export interface RunEmulatorResult extends EmulatorStartDocument {
  stopped: true;
  requests: number;
}

export const NOTE = 'the operator client secrets are throwaway credentials of this local emulator, printed on purpose; they are not secrets of any real tenant';

export function startDocument(h: EmulatorHandle): EmulatorStartDocument {
  return {
    url: h.url,
    caFile: h.caFile,
    ...(h.restoreApiUrl ? { restoreApiUrl: h.restoreApiUrl } : {}),
    tenants: h.tenants.map((t) => ({ id: t.id, domain: t.domain, operator: { ...t.operator }, unprivileged: { ...t.unprivileged } })),
    note: NOTE,
  };
}

async function restoreSettings(ctx: Context, configArg: string | undefined, emulatorUrl: () => string, port: number): Promise<RestorePortalSettings> {
  const { resolveConfigPath, loadConfig } = await import('../config/index.js');
  const path = resolveConfigPath(ctx, configArg);
  const fallback: RestorePortalSettings = {
    applicationId: '00000000-0000-0000-0000-000000000000',
    msalAuthorityUri: `${emulatorUrl()}/organizations`,
    restorePortalUri: `https://127.0.0.1:${port}`,
    isEnabled: false,
  };
  if (!existsSync(path)) return fallback;
  const { config } = await loadConfig(path);
  const { resolveRegion } = await import('../cloud/regions.js');
  let login = emulatorUrl();
  if (config.endpoints) login = config.endpoints.login;
  else {
    const region = resolveRegion(config.region ?? 'Worldwide');
    if (region.endpoints) login = region.endpoints.login;
  }
  return {
    applicationId: config.application?.appId ?? fallback.applicationId,
    msalAuthorityUri: `${login.replace(/\/+$/, '')}/${config.tenant ?? 'organizations'}`,
    restorePortalUri: config.portal?.url ?? fallback.restorePortalUri,
    isEnabled: Boolean(config.application?.appId && config.portal?.url),
  };
}

/** `--tenants <n>`: tenant-1.onmicrosoft.com … tenant-n.onmicrosoft.com (a fleet to try offline). */
export function seededTenantNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `tenant-${i + 1}.onmicrosoft.com`);
}

export async function runEmulator(input: RunEmulatorInput, ctx: Context): Promise<RunEmulatorResult> {
  let url = '';
  const handle = await startEmulator({
    port: input.port ?? 0,
    ...(input.state ? { statePath: input.state, lockPurpose: 'emulator' } : {}),
    ...(input.faults ? { faults: input.faults } : {}),
    ...(input.pki ? { pki: input.pki } : {}),
    ...(input.tenants ? { tenants: seededTenantNames(input.tenants) } : {}),
    ...(input.restoreApi !== undefined
      ? { restoreApi: { port: input.restoreApi, settings: () => restoreSettings(ctx, input.config, () => url, input.restoreApi!) } }
      : {}),
  });
  url = handle.url;
  const doc = startDocument(handle);

  // Runs until the signal aborts (bin/ installs its SIGINT/SIGTERM handlers before anything runs,
  // so a parent that reads the start-up line and signals at once finds them in place).
  const stopped = new Promise<void>((resolve) => {
    if (!input.signal) return; // no way to stop it: it serves until the process ends
    if (input.signal.aborted) return resolve();
    input.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  input.ready?.(doc);
  await stopped;
  ctx.log.info('stopping the emulator (state flushed)');
  await handle.stop();
  return { ...doc, stopped: true, requests: handle.requests.length };
}
