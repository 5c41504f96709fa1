/**
 * One config per application: two configs of a fleet that name the same application (the same
 * cloud and tenant, and the same appId or uniqueName — a config copied without its own application)
 * would undo each other's changes on every apply, and with --prune remove each other's redirect URI.
 * Found before anything runs; a config that does not load is left to its own run to report.
 */
import type { LoadedConfig } from '../config/index.js';
import { keyOf } from './sessions.js';

export interface SharedApplication {
  /** the other config naming the same application */
  other: string;
  /** how the two name it, e.g. "uniqueName portal-us" */
  by: string;
}

/** Config path → the first other config that names the same application. */
export async function sharedApplications(paths: readonly string[]): Promise<Map<string, SharedApplication>> {
  const { loadConfig } = await import('../config/index.js');
  const owner = new Map<string, string>();
  const shared = new Map<string, SharedApplication>();
  for (const path of paths) {
    let loaded: LoadedConfig;
    try {
      loaded = await loadConfig(path);
    } catch {
      continue;
    }
    const { key } = await keyOf(loaded);
    const app = loaded.config.application;
    const names = [app?.appId ? `appId ${app.appId.toLowerCase()}` : undefined, app?.uniqueName ? `uniqueName ${app.uniqueName}` : undefined];
    for (const by of names) {
      if (!by) continue;
      const first = owner.get(`${key}|${by}`);
      if (first === undefined) {
        owner.set(`${key}|${by}`, path);
        continue;
      }
      if (!shared.has(path)) shared.set(path, { other: first, by });
      if (!shared.has(first)) shared.set(first, { other: path, by });
    }
  }
  return shared;
}
