/**
 * Microsoft Entra regions (national clouds) → endpoints (docs/graph.md, "National clouds", has the
 * sources). Pure data; no network.
 */
import { InputError } from '../errors.js';

export type RegionName = 'Worldwide' | 'USGovernment' | 'USDefence' | 'China' | 'Emulator';

export interface Endpoints {
  /** Microsoft Graph root, no trailing slash, e.g. https://graph.microsoft.com */
  graph: string;
  /** login authority host, no trailing slash, e.g. https://login.microsoftonline.com */
  login: string;
}

export interface RegionInfo {
  name: RegionName;
  /** undefined for the Emulator (its endpoints are known only once it runs) */
  endpoints?: Endpoints;
  /** the value VB365 uses for this region (VBOOffice365Region) */
  vb365: string;
}

export const REGIONS: Readonly<Record<RegionName, RegionInfo>> = {
  Worldwide: {
    name: 'Worldwide',
    vb365: 'Worldwide',
    endpoints: { graph: 'https://graph.microsoft.com', login: 'https://login.microsoftonline.com' },
  },
  USGovernment: {
    name: 'USGovernment',
    vb365: 'USGovernment',
    endpoints: { graph: 'https://graph.microsoft.us', login: 'https://login.microsoftonline.us' },
  },
  USDefence: {
    name: 'USDefence',
    vb365: 'USDefence',
    endpoints: { graph: 'https://dod-graph.microsoft.us', login: 'https://login.microsoftonline.us' },
  },
  China: {
    name: 'China',
    vb365: 'China',
    endpoints: { graph: 'https://microsoftgraph.chinacloudapi.cn', login: 'https://login.chinacloudapi.cn' },
  },
  Emulator: { name: 'Emulator', vb365: 'Worldwide' },
};

const ALIASES: Readonly<Record<string, RegionName>> = {
  worldwide: 'Worldwide',
  global: 'Worldwide',
  public: 'Worldwide',
  default: 'Worldwide',
  usgovernment: 'USGovernment',
  usgov: 'USGovernment',
  gcchigh: 'USGovernment',
  usdefence: 'USDefence',
  usdefense: 'USDefence',
  dod: 'USDefence',
  china: 'China',
  '21vianet': 'China',
  emulator: 'Emulator',
};

export const REGION_CHOICES = 'Worldwide (global, public), USGovernment (usgov, gcchigh), USDefence (usdefense, dod), China (21vianet), Emulator';

/**
 * Resolve a region name or alias, case-insensitively.
 * Germany is refused with the reason: Microsoft Cloud Deutschland closed on 2021-10-29.
 */
export function resolveRegion(input: string): RegionInfo {
  const key = input.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (key === 'germany' || key === 'azuregermany' || key === 'de') {
    throw new InputError(
      `region '${input}': Microsoft Cloud Deutschland (Germany) closed on 2021-10-29 and can no longer be configured`,
      { remedy: 'Tenants that were there moved to the Worldwide region: use Worldwide instead.', code: 'region-closed' },
    );
  }
  const name = ALIASES[key];
  if (!name) {
    throw new InputError(`unknown region '${input}'`, { remedy: `Use one of: ${REGION_CHOICES}.`, code: 'unknown-region' });
  }
  return REGIONS[name];
}

/** The client-credentials scope for a Graph root: `{graph}/.default`. */
export function graphDefaultScope(graph: string): string {
  return `${graph.replace(/\/+$/, '')}/.default`;
}
