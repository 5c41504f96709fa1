/**
 * The Entra checks' verdicts as pure functions of what Graph returned (observeBatch) and the
 * config — no network, so each rule is unit-testable. What "right" means is DESIGN §1 (the shape
 * VB365 itself registers; shared/reference/restore-portal.md §1).
 */
import type { PortalConfig } from '../config/types.js';
import { createHash } from 'node:crypto';
import type { Application, KeyCredential, Observed } from '../graph/api.js';
import { ACCESS_AS_USER, MICROSOFT_GRAPH_APP_ID, USER_READ, USER_READ_SCOPE_ID } from '../reconcile/constants.js';
import { normalizeRedirectUri } from '../url/portal-url.js';
import { fail, pass, warn, type CheckOutcome } from './types.js';

/**
 * SHA-1 thumbprint (uppercase hex) of a key credential: over its `key` bytes (returned only with
 * `$select=keyCredentials`, graph-behaviour.md §1.2), else from customKeyIdentifier (the hex string
 * the Graph how-to sends, or base64 of the 20 bytes — Graph's default).
 */
export function keyCredentialThumbprint(kc: KeyCredential): string | undefined {
  if (kc.key) {
    const der = Buffer.from(kc.key, 'base64');
    if (der.length) return createHash('sha1').update(der).digest('hex').toUpperCase();
  }
  const cki = kc.customKeyIdentifier;
  if (!cki) return undefined;
  if (/^[0-9a-f]{40}$/i.test(cki)) return cki.toUpperCase();
  const bytes = Buffer.from(cki, 'base64');
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : undefined;
}

const APPLY = 'Run entra-portal apply (it converges the application to the config)';
const DAY = 86_400_000;

export function judgeApplication(config: PortalConfig, observed: Observed, tenant: string): CheckOutcome {
  const appId = config.application?.appId;
  const app = observed.application;
  if (!app) {
    if (appId) {
      return fail(
        `application ${appId} does not exist in tenant ${tenant}`,
        `Check application.appId and tenant in the config. If the application was deleted, restore it (Entra admin center → App registrations → Deleted applications, within 30 days), or remove application.appId and run entra-portal apply to register a new one — then update VB365 (Set-VBORestorePortalSettings -ApplicationId …)`,
        { appId, tenant },
      );
    }
    return fail(
      `no application with uniqueName '${config.application?.uniqueName}' exists in tenant ${tenant}`,
      'Run entra-portal apply to register it',
      { uniqueName: config.application?.uniqueName, tenant },
    );
  }
  const details = { appId: app.appId, objectId: app.id, displayName: app.displayName, signInAudience: app.signInAudience };
  const multi = config.application?.multiTenant;
  const want = multi === undefined ? undefined : multi ? 'AzureADMultipleOrgs' : 'AzureADMyOrg';
  if (want && app.signInAudience !== want) {
    return fail(
      `application ${app.appId} ('${app.displayName}') has audience ${app.signInAudience}, the config wants ${want}${multi ? ' (multi-tenant: other tenants must be able to sign in)' : ''}`,
      APPLY,
      details,
    );
  }
  const what = `application ${app.appId} ('${app.displayName}'), audience ${app.signInAudience ?? 'unknown'}`;
  if (!appId) {
    return warn(`${what} found by its uniqueName, but the config does not record its appId`, 'Run entra-portal apply: it records application.appId in the config', details, app);
  }
  return pass(what, details, app);
}

export function judgeRedirectUri(app: Application, portalUrl: string): CheckOutcome {
  const expected = normalizeRedirectUri(portalUrl);
  const spa = app.spa?.redirectUris ?? [];
  const details = { expected, registered: spa };
  if (spa.some((u) => normalizeRedirectUri(u) === expected)) return pass(`${expected} is an SPA redirect URI`, details);
  const registered = spa.length ? `registered: ${spa.join(', ')}` : 'no SPA redirect URIs are registered';
  const asWeb = (app.web?.redirectUris ?? []).some((u) => normalizeRedirectUri(u) === expected);
  return fail(
    `${expected} is not an SPA redirect URI of the application (${registered})${asWeb ? '; it is registered as a Web redirect URI, which the portal\'s SPA sign-in cannot use' : ''}: users would see AADSTS50011 (redirect URI mismatch) at sign-in`,
    `${APPLY}, or add ${expected} under Authentication → Single-page application in the Entra admin center`,
    details,
  );
}

export function judgeCertificate(config: PortalConfig, app: Application, now: number): CheckOutcome {
  const wanted = config.certificate?.thumbprint?.toUpperCase();
  if (!wanted) {
    return fail('the config names no certificate', 'Create or import one: entra-portal install-cert --generate (or --pfx <file>), then entra-portal apply');
  }
  const creds = app.keyCredentials ?? [];
  const registered = creds.map((k) => keyCredentialThumbprint(k)).filter((t): t is string => !!t);
  const kc = creds.find((k) => keyCredentialThumbprint(k) === wanted);
  if (!kc) {
    return fail(
      `certificate ${wanted} is not registered on the application (${registered.length ? `registered: ${registered.join(', ')}` : 'it has no certificates'})`,
      `${APPLY}: it uploads the certificate's public part`,
      { thumbprint: wanted, registered },
    );
  }
  const end = kc.endDateTime ? Date.parse(kc.endDateTime) : NaN;
  const start = kc.startDateTime ? Date.parse(kc.startDateTime) : NaN;
  const details = { thumbprint: wanted, keyId: kc.keyId, startDateTime: kc.startDateTime, endDateTime: kc.endDateTime };
  const renew = 'Renew it: entra-portal install-cert --generate (or --pfx <new file>), then entra-portal apply; then give VB365 the new certificate (Set-VBORestorePortalSettings -CertificateFilePath …)';
  if (!Number.isNaN(start) && now < start) return fail(`certificate ${wanted} is registered but not valid before ${kc.startDateTime}`, 'Check this machine\'s clock, or register a certificate that is valid now', details);
  if (!Number.isNaN(end) && now > end) return fail(`certificate ${wanted} expired on ${kc.endDateTime}: sign-in fails (AADSTS700027)`, renew, details);
  if (!Number.isNaN(end) && end - now < 30 * DAY) {
    const days = Math.floor((end - now) / DAY);
    return warn(`certificate ${wanted} expires in ${days} day${days === 1 ? '' : 's'}, on ${kc.endDateTime}`, renew, { ...details, daysLeft: days });
  }
  return pass(`certificate ${wanted} is registered, valid until ${kc.endDateTime ? kc.endDateTime.slice(0, 10) : 'an unknown date'}`, details, kc);
}

export function judgePermissions(app: Application): CheckOutcome {
  const missing: string[] = [];
  const rra = app.requiredResourceAccess ?? [];
  const has = (resourceAppId: string, id: string | undefined) =>
    !!id && rra.some((r) => r.resourceAppId.toLowerCase() === resourceAppId.toLowerCase() && r.resourceAccess.some((a) => a.type === 'Scope' && a.id.toLowerCase() === id.toLowerCase()));
  if (!has(MICROSOFT_GRAPH_APP_ID, USER_READ_SCOPE_ID)) missing.push(`Microsoft Graph ${USER_READ} (delegated)`);
  const scope = app.api?.oauth2PermissionScopes?.find((s) => s.value === ACCESS_AS_USER);
  if (!scope) missing.push(`the exposed scope ${ACCESS_AS_USER} (Expose an API)`);
  else if (!scope.isEnabled) missing.push(`the exposed scope ${ACCESS_AS_USER} is disabled`);
  if (!has(app.appId, scope?.id)) missing.push(`its own ${ACCESS_AS_USER} (delegated)`);
  if (!(app.identifierUris ?? []).some((u) => u.toLowerCase() === `api://${app.appId}`.toLowerCase())) missing.push(`the identifier URI api://${app.appId}`);
  if (missing.length) {
    return fail(`the application lacks ${missing.join('; ')}`, APPLY, { missing });
  }
  return pass(`declares Microsoft Graph ${USER_READ} and its own ${ACCESS_AS_USER}`);
}

export function judgeConsent(observed: Observed): CheckOutcome {
  const sp = observed.servicePrincipal;
  if (!sp) {
    return fail(
      'the application has no service principal (enterprise application) in this tenant: nobody can sign in',
      `${APPLY}; in a customer tenant of a service provider, create it with New-MgServicePrincipal -AppId <appId> and grant admin consent`,
    );
  }
  const graphSp = observed.resources[MICROSOFT_GRAPH_APP_ID];
  const covers = (resourceId: string | undefined, scope: string) =>
    !!resourceId &&
    observed.grants.some(
      (g) => g.consentType === 'AllPrincipals' && g.clientId === sp.id && g.resourceId === resourceId && g.scope.split(/\s+/).some((s) => s.toLowerCase() === scope.toLowerCase()),
    );
  const missing: string[] = [];
  if (!covers(graphSp?.id, USER_READ)) missing.push(`Microsoft Graph ${USER_READ}`);
  if (!covers(sp.id, ACCESS_AS_USER)) missing.push(ACCESS_AS_USER);
  const details = { servicePrincipalId: sp.id, grants: observed.grants.map((g) => ({ resourceId: g.resourceId, scope: g.scope })) };
  if (missing.length) {
    return fail(
      `admin consent does not cover ${missing.join(' and ')}: users would be asked for consent they cannot give ("Need admin approval")`,
      `${APPLY} (it grants tenant-wide admin consent), or use Grant admin consent in the Entra admin center`,
      { ...details, missing },
    );
  }
  return pass(`service principal ${sp.id} present; admin consent covers ${USER_READ} and ${ACCESS_AS_USER}`, details);
}
