/**
 * POST/PATCH bodies for applications (docs/graph.md, "Applications"): properties not sent
 * keep their values, collections are replaced whole, nested complex objects (web, spa, api, …) are
 * merged property by property, read-only properties are refused, and Graph's validation rules hold
 * (identifierUris unique per tenant, scopes/roles need id and value and must be disabled before
 * removal, passwordCredentials only through addPassword, keyCredentials as key-credentials.ts checks them).
 */
import type { Tenant } from '../directory.js';
import { badRequest, GraphError } from '../http.js';
import { newApplication } from '../shapes.js';
import type { Application, AppRole, PermissionScope } from '../types.js';
import { isGuid } from './call.js';
import { replaceKeyCredentials } from './key-credentials.js';
import { enforceKeyCredential } from '../app-policy.js';

const READ_ONLY = new Set(['id', 'appId', 'createdDateTime', 'publisherDomain', 'deletedDateTime', 'disabledByMicrosoftStatus', 'applicationTemplateId', 'verifiedPublisher']);
const AUDIENCES = new Set(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);
const TEMPLATE = newApplication('example.onmicrosoft.com', 'template');

const invalidValue = (prop: string): GraphError => badRequest(`Invalid value specified for property '${prop}' of resource 'Application'.`);

function isObj(v: unknown): v is Record<string, unknown> {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

function stringArray(v: unknown, prop: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidValue(prop);
  return v as string[];
}

/** Deep-merges a complex value into the stored one; arrays and scalars replace. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>, template: Record<string, unknown> | undefined, path: string): void {
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('@odata.')) continue;
    if (template && !(k in template)) throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.${path}'.`);
    const t = template?.[k];
    if (isObj(t) && isObj(v)) {
      const cur = isObj(target[k]) ? (target[k] as Record<string, unknown>) : structuredClone(t);
      merge(cur, v, t, k);
      target[k] = cur;
    } else if (Array.isArray(t) && v !== null && !Array.isArray(v)) {
      throw invalidValue(`${path}.${k}`);
    } else {
      target[k] = structuredClone(v);
    }
  }
}

/**
 * api.preAuthorizedApplications: {appId, delegatedPermissionIds}, each id one of the application's
 * scopes as stored before this PATCH — a scope added in the same body is not found yet
 * (ISSUE microsoftgraph/microsoft-graph-docs#20177; the message as in microsoftgraph/microsoft-graph-docs#12675).
 */
function checkPreAuthorized(v: unknown, storedScopes: readonly PermissionScope[]): void {
  if (!Array.isArray(v)) throw invalidValue('api.preAuthorizedApplications');
  const known = new Set(storedScopes.map((p) => p.id.toLowerCase()));
  for (const entry of v) {
    if (!isObj(entry) || !isGuid(entry.appId) || !Array.isArray(entry.delegatedPermissionIds)) throw invalidValue('api.preAuthorizedApplications');
    for (const id of entry.delegatedPermissionIds) {
      if (typeof id !== 'string' || !known.has(id.toLowerCase())) {
        throw new GraphError(400, 'InvalidValue', 'Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets.', {
          details: [{ target: 'api.preAuthorizedApplications.delegatedPermissionIds', code: 'InvalidValue' }],
        });
      }
    }
  }
}

function checkRedirectUris(uris: string[], kind: string): void {
  if (uris.length > 256) throw invalidValue(`${kind}.redirectUris`);
  for (const u of uris) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw invalidValue(`${kind}.redirectUris`);
    }
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    if (u.length > 256 || url.hash || (kind !== 'publicClient' && url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))) {
      throw invalidValue(`${kind}.redirectUris`);
    }
  }
}

function checkEntitlements<T extends { id: string; value: string | null; isEnabled: boolean }>(kind: 'oauth2PermissionScopes' | 'appRoles', before: T[], after: unknown): T[] {
  if (!Array.isArray(after)) throw invalidValue(kind);
  const ids = new Set<string>();
  const values = new Set<string>();
  const out = after.map((raw) => {
    if (!isObj(raw)) throw invalidValue(kind);
    if (!isGuid(raw.id)) throw badRequest(`Property 'id' is required and must be a GUID on every entry of '${kind}'.`);
    if (kind === 'oauth2PermissionScopes' && (typeof raw.value !== 'string' || !raw.value)) throw badRequest(`Property 'value' is required on every entry of '${kind}'.`);
    if (typeof raw.value === 'string' && (/\s/.test(raw.value) || raw.value.startsWith('.'))) throw invalidValue(`${kind}.value`);
    if (kind === 'oauth2PermissionScopes' && raw.type !== undefined && raw.type !== 'User' && raw.type !== 'Admin') throw invalidValue(`${kind}.type`);
    if (raw.isEnabled !== undefined && typeof raw.isEnabled !== 'boolean') throw invalidValue(`${kind}.isEnabled`);
    const id = raw.id.toLowerCase();
    if (ids.has(id)) throw badRequest(`Duplicate id '${id}' in '${kind}'.`);
    ids.add(id);
    if (typeof raw.value === 'string') {
      if (values.has(raw.value.toLowerCase())) throw badRequest(`Duplicate value '${raw.value}' in '${kind}'.`);
      values.add(raw.value.toLowerCase());
    }
    const base =
      kind === 'oauth2PermissionScopes'
        ? { adminConsentDescription: null, adminConsentDisplayName: null, isEnabled: true, type: 'User', userConsentDescription: null, userConsentDisplayName: null, value: null }
        : { allowedMemberTypes: [], description: null, displayName: null, isEnabled: true, origin: 'Application', value: null };
    return { ...base, ...structuredClone(raw), id } as unknown as T;
  });
  // An enabled permission cannot be removed or changed: disable it first.
  for (const old of before) {
    if (!old.isEnabled) continue;
    const now = out.find((x) => x.id === old.id);
    if (!now || now.value !== old.value) {
      throw badRequest('Permission (scope or role) cannot be deleted or updated unless disabled first.', 'CannotDeleteOrUpdateEnabledEntitlement');
    }
  }
  return out;
}

function checkRequiredResourceAccess(v: unknown): void {
  if (!Array.isArray(v)) throw invalidValue('requiredResourceAccess');
  if (v.length > 50) throw badRequest('requiredResourceAccess allows at most 50 resource APIs.');
  let total = 0;
  for (const r of v) {
    if (!isObj(r) || !isGuid(r.resourceAppId) || !Array.isArray(r.resourceAccess)) throw invalidValue('requiredResourceAccess');
    for (const a of r.resourceAccess) {
      if (!isObj(a) || !isGuid(a.id) || (a.type !== 'Scope' && a.type !== 'Role')) throw invalidValue('requiredResourceAccess.resourceAccess');
      total++;
    }
  }
  if (total > 400) throw badRequest('requiredResourceAccess allows at most 400 permissions in total.');
}

function checkIdentifierUris(tenant: Tenant, app: Application, uris: string[]): void {
  const seen = new Set<string>();
  for (const u of uris) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw invalidValue('identifierUris');
    }
    if (seen.has(u.toLowerCase())) throw invalidValue('identifierUris');
    seen.add(u.toLowerCase());
    if (url.protocol === 'https:' || url.protocol === 'http:') {
      const host = url.hostname.toLowerCase();
      if (host !== tenant.domain && !host.endsWith(`.${tenant.domain}`)) {
        throw new GraphError(400, 'HostNameNotOnVerifiedDomain', `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${u}'`);
      }
    } else if (url.protocol !== 'api:' && url.protocol !== 'urn:') {
      throw invalidValue('identifierUris');
    }
    for (const other of tenant.allApps()) {
      if (other.id !== app.id && other.identifierUris.some((x) => x.toLowerCase() === u.toLowerCase())) {
        throw badRequest('Another object with the same value for property identifierUris already exists.');
      }
    }
  }
}

/** Applies a POST/PATCH body to `app` (a draft: the caller commits it only when this returns). */
export function applyApplicationBody(tenant: Tenant, app: Application, body: Record<string, unknown>, creating: boolean): void {
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.')) continue;
    if (READ_ONLY.has(k)) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    if (!(k in TEMPLATE)) throw badRequest(`Property '${k}' does not exist on type 'microsoft.graph.application'.`);
    switch (k) {
      case 'displayName':
        if (typeof v !== 'string' || v.trim() === '' || v.length > 256) throw invalidValue('displayName');
        app.displayName = v;
        break;
      case 'signInAudience':
        if (typeof v !== 'string' || !AUDIENCES.has(v)) throw invalidValue('signInAudience');
        app.signInAudience = v;
        break;
      case 'uniqueName':
        if (v === null && app.uniqueName === null) break;
        if (typeof v !== 'string' || !v || v.length > 120) throw invalidValue('uniqueName');
        if (app.uniqueName !== null && app.uniqueName !== v) throw badRequest("Property 'uniqueName' is immutable once set.");
        if (app.uniqueName === null) {
          // Entra answers 400 (not 409), also while a deleted application still holds the name
          const other = tenant.holderOfUniqueName(v);
          if (other && other.id !== app.id) throw badRequest('Another object with the same value for property uniqueName already exists.');
          app.uniqueName = v;
        }
        break;
      case 'identifierUris':
        app.identifierUris = [...stringArray(v, k)];
        break;
      case 'tags':
        app.tags = [...stringArray(v, k)];
        break;
      case 'keyCredentials': {
        const before = new Set(app.keyCredentials.map((k) => k.keyId));
        app.keyCredentials = replaceKeyCredentials(app.keyCredentials, v);
        // the tenant's app management policy judges the credentials this write adds
        for (const k of app.keyCredentials) if (!before.has(k.keyId)) enforceKeyCredential(tenant, app, k);
        break;
      }
      case 'passwordCredentials': {
        const list = Array.isArray(v) ? v : undefined;
        if (!list) throw invalidValue(k);
        const known = new Map(app.passwordCredentials.map((p) => [p.keyId, p]));
        const kept = list.map((p) => (isObj(p) && typeof p.keyId === 'string' ? known.get(p.keyId.toLowerCase()) : undefined));
        if (creating ? list.length > 0 : kept.some((p) => !p)) throw badRequest('New password credentials must be generated using service actions.');
        app.passwordCredentials = kept as Application['passwordCredentials'];
        break;
      }
      case 'appRoles':
        app.appRoles = checkEntitlements<AppRole>('appRoles', app.appRoles, v);
        break;
      case 'requiredResourceAccess':
        checkRequiredResourceAccess(v);
        app.requiredResourceAccess = structuredClone(v);
        break;
      case 'isFallbackPublicClient':
        if (v !== null && typeof v !== 'boolean') throw invalidValue(k);
        app.isFallbackPublicClient = v;
        break;
      default: {
        const t = (TEMPLATE as Record<string, unknown>)[k];
        if (isObj(t)) {
          if (v === null) throw invalidValue(k);
          if (!isObj(v)) throw invalidValue(k);
          const cur = isObj(app[k]) ? (app[k] as Record<string, unknown>) : structuredClone(t);
          const scopes = k === 'api' ? v.oauth2PermissionScopes : undefined;
          const { oauth2PermissionScopes: _ignored, ...rest } = v;
          merge(cur, k === 'api' ? rest : v, t, k);
          if (k === 'api' && v.preAuthorizedApplications !== undefined) checkPreAuthorized(v.preAuthorizedApplications, app.api.oauth2PermissionScopes);
          if (k === 'api' && scopes !== undefined) {
            cur.oauth2PermissionScopes = checkEntitlements<PermissionScope>('oauth2PermissionScopes', app.api.oauth2PermissionScopes, scopes);
          }
          app[k] = cur;
        } else if (Array.isArray(t)) {
          if (!Array.isArray(v)) throw invalidValue(k);
          app[k] = structuredClone(v);
        } else {
          if (v !== null && typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') throw invalidValue(k);
          app[k] = v;
        }
      }
    }
  }
  for (const kind of ['web', 'spa', 'publicClient'] as const) {
    const o = app[kind] as { redirectUris?: unknown } | undefined;
    if (o?.redirectUris !== undefined) checkRedirectUris(stringArray(o.redirectUris, `${kind}.redirectUris`), kind);
  }
  if (!app.displayName) throw badRequest("Property 'displayName' is required.");
  if ('identifierUris' in body) checkIdentifierUris(tenant, app, app.identifierUris);
}
