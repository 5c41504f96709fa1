/**
 * The admin-consent URL that onboards a customer tenant without any credential changing hands: the
 * tenant's administrator opens it, signs in, reviews the permissions and approves; Entra then creates
 * the application's service principal in that tenant and grants, for all its users, every delegated
 * permission the registration lists (requiredResourceAccess: Graph User.Read and the application's
 * own access_as_user), and sends the browser to `redirect_uri?admin_consent=True&tenant=<id>…`.
 *
 * The v2 endpoint with the static `{graph}/.default` scope "functions like the v1.0 admin consent
 * endpoint and requests consent for all scopes found in the required permissions"
 * (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent,
 * https://learn.microsoft.com/entra/identity-platform/scopes-oidc#the-default-scope); v2 requires a
 * redirect URI registered on the application: the portal URL. docs/service-providers.md compares v1
 * and v2. Pure: no network.
 */
import { multiTenantRemedy } from '../config/customers.js';
import { normalizeRedirectUri } from '../url/portal-url.js';
import { graphDefaultScope } from './regions.js';

export interface AdminConsentTarget {
  /** the cloud's login host, e.g. https://login.microsoftonline.com (no trailing slash) */
  login: string;
  /** the cloud's Graph root, e.g. https://graph.microsoft.com: its `/.default` names the registration's permissions */
  graph: string;
  /** the customer tenant: id or verified domain (never `common`: personal accounts cannot consent for a tenant) */
  tenant: string;
  /** the application (client) id */
  appId: string;
  /** a redirect URI registered on the application (the portal URL): where the administrator lands afterwards */
  redirectUri: string;
  /** echoed back on the redirect */
  state?: string;
}

export function adminConsentUrl(t: AdminConsentTarget): string {
  const query = new URLSearchParams({
    client_id: t.appId,
    scope: graphDefaultScope(t.graph),
    redirect_uri: t.redirectUri,
    ...(t.state !== undefined ? { state: t.state } : {}),
  });
  return `${t.login.replace(/\/+$/, '')}/${encodeURIComponent(t.tenant)}/v2.0/adminconsent?${query.toString()}`;
}

/** Why a config cannot give a consent URL yet (each with what to run), or the URL's parts. */
export type ConsentUrlParts =
  | { ok: true; appId: string; redirectUri: string }
  | { ok: false; why: string; remedy: string; code: 'not-multi-tenant' | 'no-app-id' | 'no-portal-url' };

/** What the consent URL needs from the config: a multi-tenant application with an appId, and the portal URL. */
export function consentUrlParts(config: { application?: { appId?: string; name?: string; multiTenant?: boolean }; portal?: { url?: string } }): ConsentUrlParts {
  if (config.application?.multiTenant !== true) {
    const remedy = multiTenantRemedy(config.application);
    return { ok: false, code: 'not-multi-tenant', why: 'the application is single-tenant (application.multiTenant is not true): other tenants cannot consent to it', remedy: `${remedy.replace(/^r/, 'R')}.` };
  }
  const appId = config.application.appId;
  if (!appId) return { ok: false, code: 'no-app-id', why: 'the application has no appId yet (application.appId)', remedy: 'Run "entra-portal apply" first: it registers the application and records its appId.' };
  const url = config.portal?.url;
  if (!url) {
    return { ok: false, code: 'no-portal-url', why: 'the config has no portal URL: the consent page must send the administrator back to a registered redirect URI', remedy: 'Run "entra-portal set-portal-url https://<host>:<port> --apply" first.' };
  }
  return { ok: true, appId: appId.toLowerCase(), redirectUri: normalizeRedirectUri(url) };
}
