/**
 * Redirect URIs on all three platforms. The Restore Portal signs users in as a single-page app:
 * `spa.redirectUris` is exactly the portal URL plus `application.extraRedirectUris`, compared as
 * canonical sets (scheme/host case, trailing slash and order never count). Anything else — another
 * SPA URI, any `web` or `publicClient` URI — is unmanaged: a foreign redirect URI is where an
 * attacker would receive tokens.
 */
import type { Application, ApplicationPatch } from '../../model/graph.js';
import type { Change, DesiredState, Observed, PlanOptions, RedirectPlatformField, Write } from '../types.js';
import { redirectUriKey } from '../uri.js';
import { assessment, unmanagedAction, unmanagedReason } from './judge.js';

const OTHER_PLATFORMS = [
  { key: 'web', field: 'web.redirectUris' },
  { key: 'publicClient', field: 'publicClient.redirectUris' },
] as const satisfies readonly { key: keyof Application; field: RedirectPlatformField }[];

export function assessRedirectUris(desired: DesiredState, observed: Observed, options: PlanOptions) {
  const app = observed.application;
  const prune = options.prune === true;
  const changes: Change[] = [];
  const body: ApplicationPatch = {};

  const spa = app?.spa?.redirectUris ?? [];
  const have = new Set(spa.map(redirectUriKey));
  const want = new Set(desired.redirectUris.map(redirectUriKey));
  const missing = desired.redirectUris.filter((u) => !have.has(redirectUriKey(u)));
  const foreign = spa.filter((u) => !want.has(redirectUriKey(u)));
  for (const u of missing) changes.push({ resource: 'redirectUri', action: 'add', field: 'spa.redirectUris', after: u });
  for (const u of foreign) {
    changes.push({ resource: 'redirectUri', action: unmanagedAction(prune), field: 'spa.redirectUris', before: u, unmanaged: true, reason: unmanagedReason(prune) });
  }
  if (missing.length > 0 || (prune && foreign.length > 0)) {
    // existing spellings are kept; only the missing ones are added
    body.spa = { redirectUris: [...spa.filter((u) => !prune || want.has(redirectUriKey(u))), ...missing] };
  }

  for (const { key, field } of OTHER_PLATFORMS) {
    const uris = (app?.[key] as { redirectUris?: string[] } | null | undefined)?.redirectUris ?? [];
    for (const u of uris) {
      changes.push({
        resource: 'redirectUri',
        action: unmanagedAction(prune),
        field,
        before: u,
        unmanaged: true,
        reason: unmanagedReason(prune, `a ${key} redirect URI (the portal signs in as a single-page app)`),
      });
    }
    if (prune && uris.length > 0) body[key] = { redirectUris: [] };
  }

  const writes: Write[] = Object.keys(body).length > 0 ? [{ aspect: 'redirectUris', op: 'patchApplication', body }] : [];
  const portal = desired.redirectUris[0];
  const portalMissing = portal !== undefined && missing.some((u) => redirectUriKey(u) === redirectUriKey(portal));
  return assessment('redirectUris', 'redirect URIs', changes, writes, {
    ...(portalMissing ? { consequence: `sign-in to ${portal} fails with AADSTS50011 (redirect URI mismatch)` } : {}),
    message: portal
      ? `${portal} is the application's SPA redirect URI${desired.redirectUris.length > 1 ? ` (with ${desired.redirectUris.length - 1} extra)` : ''}; no other redirect URI is registered`
      : 'no redirect URI is configured or registered (the config has no portal.url)',
    details: { expected: desired.redirectUris, registered: { spa, web: app?.web?.redirectUris ?? [], publicClient: app?.publicClient?.redirectUris ?? [] } },
  });
}
