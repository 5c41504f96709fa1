/**
 * `entra-portal emulator`: run the emulator in the foreground until SIGINT/SIGTERM (or an abort
 * signal), then flush the state and resolve. The start-up document (URL, CA file, tenants and their
 * throwaway operator credentials) is printed by `runEmulator` itself as soon as the emulator
 * listens — with --json as ONE line on stdout, so a parent process can read the first line.
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
  json?: boolean;
  /** config file for the REST stand-in's settings (-c/--config) */
  config?: string;
  /** stops the emulator (tests); SIGINT/SIGTERM always do */
  signal?: AbortSignal;
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

const NOTE = 'the operator client secrets are throwaway credentials of this local emulator, printed on purpose; they are not secrets of any real tenant';

export function startDocument(h: EmulatorHandle): EmulatorStartDocument {
  return {
    url: h.url,
    caFile: h.caFile,
    ...(h.restoreApiUrl ? { restoreApiUrl: h.restoreApiUrl } : {}),
    tenants: h.tenants.map((t) => ({ id: t.id, domain: t.domain, operator: { ...t.operator }, unprivileged: { ...t.unprivileged } })),
    note: NOTE,
  };
}

export function renderStart(doc: EmulatorStartDocument): string {
  const lines = [
    `Entra emulator listening at ${doc.url}`,
    `  Graph root and login authority: ${doc.url}   (token scope ${doc.url}/.default)`,
    `  CA certificate: ${doc.caFile}   (NODE_EXTRA_CA_CERTS=${doc.caFile}, curl --cacert ${doc.caFile})`,
  ];
  if (doc.restoreApiUrl) lines.push(`  VB365 REST stand-in: ${doc.restoreApiUrl}/v8/RestorePortalSettings`);
  for (const t of doc.tenants) {
    lines.push(
      `  tenant ${t.domain}  id ${t.id}`,
      `    operator      client id ${t.operator.clientId}  secret ${t.operator.clientSecret}`,
      `    unprivileged  client id ${t.unprivileged.clientId}  secret ${t.unprivileged.clientSecret}  (no roles: 403s)`,
    );
  }
  lines.push(`Note: ${NOTE}.`, 'Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
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

export async function runEmulator(input: RunEmulatorInput, ctx: Context): Promise<RunEmulatorResult> {
  let url = '';
  const handle = await startEmulator({
    port: input.port ?? 0,
    ...(input.state ? { statePath: input.state } : {}),
    ...(input.faults ? { faults: input.faults } : {}),
    ...(input.restoreApi !== undefined
      ? { restoreApi: { port: input.restoreApi, settings: () => restoreSettings(ctx, input.config, () => url, input.restoreApi!) } }
      : {}),
  });
  url = handle.url;
  const doc = startDocument(handle);

  // The handlers go in before the start-up line is written: a parent that reads the line and
  // signals at once must meet them (until a handler is installed, SIGTERM's default action kills
  // the process outright, and it would not flush its state or exit 0).
  const stopped = new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      input.signal?.removeEventListener('abort', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    if (input.signal?.aborted) done();
    else input.signal?.addEventListener('abort', done, { once: true });
  });
  ctx.stdout.write(input.json ? `${JSON.stringify(doc)}\n` : renderStart(doc));
  await stopped;
  ctx.log.info('stopping the emulator (state flushed)');
  await handle.stop();
  return { ...doc, stopped: true, requests: handle.requests.length };
}
