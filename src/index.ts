/**
 * The public module API: the cmdlets as async functions that return the same result objects
 * that `--json` prints (DESIGN §3).
 */
export { main } from './cli.js';
export { createContext, type Context } from './context.js';
export * from './errors.js';
export { resolveRegion, REGIONS, type RegionInfo, type RegionName, type Endpoints } from './cloud/regions.js';
export type { PortalConfig } from './config/types.js';
export { loadConfig, editConfig, resolveConfigPath, type LoadedConfig, type ConfigDocument, type ConfigChange, type ConfigEditResult } from './config/index.js';
export { validatePortalUrl, normalizeRedirectUri, type PortalUrl } from './url/portal-url.js';
