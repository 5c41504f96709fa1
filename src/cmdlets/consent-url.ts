/**
 * consent-url: the admin-consent URL a customer tenant's administrator opens to onboard the provider's
 * multi-tenant application (src/cloud/admin-consent.ts; docs/service-providers.md). Reads the config
 * only: no sign-in, no network, no credential changes hands.
 */
import { toContext, type Context } from '../context.js';
import { adminConsentUrl, consentUrlParts } from '../cloud/admin-consent.js';
import { isEmulatorConfig, resolveEndpoints } from '../cloud/endpoints.js';
import { customerTenants, sameTenant } from '../config/customers.js';
import { loadConfig, resolveConfigPath } from '../config/index.js';
import { normalizeTenant } from '../config/values.js';
import { asArgument, InputError } from '../errors.js';

export interface ConsentUrlInput {
  /** config file (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5) */
  config?: string;
  /** the customer's tenant ID (GUID) or verified domain */
  tenant: string;
}

export interface ConsentUrlResult {
  /** absolute path of the config file */
  config: string;
  tenant: string;
  appId: string;
  /** the admin-consent URL (v2 endpoint, `{graph}/.default`) */
  url: string;
  /** where the administrator lands after approving: the portal URL */
  redirectUri: string;
  /** the tenant is listed in `customers` (apply and the drift check cover it) */
  listed: boolean;
  warnings: string[];
}

export async function consentUrl(input: ConsentUrlInput, ctx?: Partial<Context>): Promise<ConsentUrlResult> {
  const c = toContext(ctx);
  const tenant = asArgument(() => normalizeTenant(input.tenant ?? ''));
  const loaded = await loadConfig(resolveConfigPath(c, input.config));
  const config = loaded.config;
  if (isEmulatorConfig(config)) {
    throw new InputError('consent-url: the embedded emulator of region Emulator runs only while a command runs, so a link to it would be dead', {
      code: 'emulator-consent-url',
      remedy:
        'Run a standalone emulator on the same state ("entra-portal emulator --state .entra-portal/emulator-state.json") and point a config at it with the endpoints it prints; consent-url then gives a link curl or a browser can follow.',
    });
  }
  const parts = consentUrlParts(config);
  if (!parts.ok) throw new InputError(`consent-url: ${parts.why}`, { code: parts.code, remedy: parts.remedy });
  if (config.tenant && sameTenant(config.tenant, tenant)) {
    throw new InputError(`${tenant} is the application's own tenant: "entra-portal apply" grants admin consent there itself`, { code: 'own-tenant' });
  }
  const endpoints = resolveEndpoints(config);
  const listed = customerTenants(config).some((t) => sameTenant(t, tenant));
  const warnings = listed ? [] : [`${tenant} is not in customers: add it ("entra-portal add-customer --tenant ${tenant}") so apply and the drift check keep it in shape`];
  for (const w of warnings) c.log.warn(w);
  const url = adminConsentUrl({ login: endpoints.login, graph: endpoints.graph, tenant, appId: parts.appId, redirectUri: parts.redirectUri });
  c.log.info(
    `Send this link to an administrator of ${tenant} (at least Cloud Application Administrator): they review and approve the Restore Portal's ` +
      `delegated permissions for their organisation and land on ${parts.redirectUri}. No credential changes hands.`,
  );
  return { config: loaded.path, tenant, appId: parts.appId, url, redirectUri: parts.redirectUri, listed, warnings };
}
