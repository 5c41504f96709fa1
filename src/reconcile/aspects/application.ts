/**
 * The application object's scalar and single-entry aspects (DESIGN §1): display name, uniqueName,
 * signInAudience, `api://<appId>` in identifierUris, the `access_as_user` scope (its GUID kept),
 * implicit-grant flags off, public client flows on.
 */
import { ACCESS_AS_USER, ACCESS_AS_USER_TEXTS, ASSIGNED_ON_CREATE, identifierUriFor } from '../constants.js';
import type { ApplicationChange, DesiredState, GraphApplication, PermissionScope } from '../types.js';

/** Context execute supplies: the appId once known, and the id a new scope gets. */
export interface ApplicationPatchContext {
  appId?: string;
  /** GUID for a new `access_as_user` scope (execute draws it once, randomly) */
  newScopeId: string;
}

export function findAccessAsUser(app: GraphApplication | undefined): PermissionScope | undefined {
  return app?.api?.oauth2PermissionScopes?.find((s) => s.value === ACCESS_AS_USER);
}

function scopeInShape(scope: PermissionScope | undefined): boolean {
  return (
    scope !== undefined &&
    scope.isEnabled === true &&
    scope.type === 'Admin' &&
    !!scope.adminConsentDisplayName &&
    !!scope.adminConsentDescription
  );
}

/** The `access_as_user` scope as it should be: an existing one keeps its id and any custom texts. */
export function desiredScope(existing: PermissionScope | undefined, newScopeId: string): PermissionScope {
  const texts = Object.fromEntries(
    Object.entries(ACCESS_AS_USER_TEXTS).map(([k, v]) => [k, (existing?.[k] as string | null | undefined) || v]),
  );
  return { ...(existing ?? {}), ...texts, id: existing?.id ?? newScopeId, value: ACCESS_AS_USER, type: 'Admin', isEnabled: true };
}

const implicitOn = (app: GraphApplication | undefined): boolean =>
  app?.web?.implicitGrantSettings?.enableIdTokenIssuance === true ||
  app?.web?.implicitGrantSettings?.enableAccessTokenIssuance === true;

const scopeView = (s: PermissionScope | undefined) =>
  s === undefined ? undefined : { value: s.value, type: s.type, isEnabled: s.isEnabled };

/** Plan entries for the application object itself. */
export function applicationChanges(desired: DesiredState, app: GraphApplication | undefined): ApplicationChange[] {
  const out: ApplicationChange[] = [];
  if (!app) {
    out.push({
      resource: 'application',
      action: 'create',
      after: {
        displayName: desired.displayName ?? desired.uniqueName,
        ...(desired.uniqueName !== undefined ? { uniqueName: desired.uniqueName } : {}),
      },
    });
  }
  const update = (field: string, before: unknown, after: unknown) => {
    out.push(before !== undefined ? { resource: 'application', action: 'update', field, before, after } : { resource: 'application', action: 'update', field, after });
  };
  if (app && desired.displayName !== undefined && app.displayName !== desired.displayName) {
    update('displayName', app.displayName ?? undefined, desired.displayName);
  }
  if (app && desired.uniqueName !== undefined && !app.uniqueName) update('uniqueName', undefined, desired.uniqueName);
  if (desired.signInAudience !== undefined && (app ? app.signInAudience !== desired.signInAudience : desired.signInAudience !== 'AzureADMyOrg')) {
    update('signInAudience', app?.signInAudience ?? undefined, desired.signInAudience);
  }
  const id = identifierUriFor(app?.appId ?? ASSIGNED_ON_CREATE);
  const uris = app?.identifierUris ?? [];
  if (!uris.some((u) => u.toLowerCase() === id.toLowerCase())) update('identifierUris', app ? uris : undefined, [...uris, id]);
  const scope = findAccessAsUser(app);
  if (!scopeInShape(scope)) {
    update('api.oauth2PermissionScopes', scopeView(scope), { value: ACCESS_AS_USER, type: 'Admin', isEnabled: true });
  }
  if (implicitOn(app)) {
    update(
      'web.implicitGrantSettings',
      app?.web?.implicitGrantSettings ?? undefined,
      { enableIdTokenIssuance: false, enableAccessTokenIssuance: false },
    );
  }
  if (app?.isFallbackPublicClient !== true) update('isFallbackPublicClient', app?.isFallbackPublicClient ?? undefined, true);
  return out;
}

/**
 * The PATCH body fields the application aspect needs (empty when in shape). Collection and complex
 * properties are sent whole (Graph replaces them; graph-behaviour.md §1.4). `identifierUris` waits
 * for the appId (after a create, a second PATCH).
 */
export function applicationPatch(desired: DesiredState, app: GraphApplication | undefined, ctx: ApplicationPatchContext): Partial<GraphApplication> {
  const body: Partial<GraphApplication> = {};
  if (desired.displayName !== undefined && app?.displayName !== desired.displayName) body.displayName = desired.displayName;
  if (app && desired.uniqueName !== undefined && !app.uniqueName) body.uniqueName = desired.uniqueName;
  if (desired.signInAudience !== undefined && (app?.signInAudience ?? 'AzureADMyOrg') !== desired.signInAudience) {
    body.signInAudience = desired.signInAudience;
  }
  const appId = app?.appId ?? ctx.appId;
  if (appId) {
    const id = identifierUriFor(appId);
    const uris = app?.identifierUris ?? [];
    if (!uris.some((u) => u.toLowerCase() === id.toLowerCase())) body.identifierUris = [...uris, id];
  }
  const scope = findAccessAsUser(app);
  if (!scopeInShape(scope)) {
    const others = (app?.api?.oauth2PermissionScopes ?? []).filter((s) => s !== scope);
    body.api = { ...(app?.api ?? {}), oauth2PermissionScopes: [...others, desiredScope(scope, ctx.newScopeId)] };
  }
  if (implicitOn(app) || !app) {
    body.web = { ...(app?.web ?? {}), implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false } };
  }
  if (app?.isFallbackPublicClient !== true) body.isFallbackPublicClient = true;
  return body;
}
