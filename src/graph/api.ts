/**
 * Typed Microsoft Graph calls the reconciler uses (owner: GRAPH engineer).
 *
 * API overview — every function takes the `GraphSession` (session.ts) first:
 *   getApplicationByAppId(s, appId)                      → Application | undefined   (404 → undefined; key included)
 *   getApplicationByUniqueName(s, uniqueName)            → Application | undefined
 *   upsertApplicationByUniqueName(s, uniqueName, body)   → { created, application }  (PATCH + Prefer: create-if-missing)
 *   patchApplication(s, id, body)                        → void   (object id; collections replaced whole: send full arrays)
 *   getServicePrincipalByAppId(s, appId)                 → ServicePrincipal | undefined
 *   createServicePrincipal(s, { appId, tags })           → ServicePrincipal (waits out NoBackingApplicationObject;
 *                                                           a dropped/duplicate create is re-read, never duplicated)
 *   patchServicePrincipal(s, id, body)                   → void
 *   listAllPrincipalsGrants(s, clientSpId)               → OAuth2PermissionGrant[]  (consentType AllPrincipals only)
 *   createGrant(s, { clientId, resourceId, scope })      → OAuth2PermissionGrant (AllPrincipals; 409/dropped → the existing one, scope PATCHed)
 *   patchGrantScope(s, grantId, scope)                   → void   (replaces the whole scope string)
 *   observeBatch(s, { appId?, uniqueName?, resourceAppIds? }) → Observed   (≤ 2 round trips with an appId)
 *
 * Errors: `GraphCallError` (a `GraphRequestError`: status, graphCode, requestId) for Graph answers,
 * `GraphConnectionError` for transport failures, `TransientError` (75) when 429/503/504 or replication
 * lag outlast the budget. Call `toPortalError(err)` (errors.ts) at the top to turn a 403 into
 * PermissionError (77) naming the right. Objects created through these functions are remembered, so
 * later reads/patches of them wait out replication lag (consistency.ts); other 404s mean "absent".
 */
import { GraphCallError } from './errors.js';
import { graphBatch, type BatchItem, type BatchResult } from './batch.js';
import { isFresh, markFresh, NotYetVisible, waitForConsistency } from './consistency.js';
import { graphCall, graphList, odataString } from './request.js';
import { withRetry } from './retry.js';
import type { GraphSession } from './session.js';

/* ------------------------------------------------------------------------------------------ types */

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** the service principal tag VB365 and the Entra portal put on integrated apps */
export const INTEGRATED_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';

export interface KeyCredential {
  keyId?: string;
  /** 'AsymmetricX509Cert' */
  type: string;
  /** 'Verify' */
  usage: string;
  /** standard base64 of the DER certificate; null unless `keyCredentials` was `$select`ed */
  key?: string | null;
  displayName?: string | null;
  /** base64 text; Graph defaults it to the SHA-1 thumbprint */
  customKeyIdentifier?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role';
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
  isEnabled: boolean;
  adminConsentDisplayName?: string | null;
  adminConsentDescription?: string | null;
  userConsentDisplayName?: string | null;
  userConsentDescription?: string | null;
}

export interface AppRole {
  id: string;
  value: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  displayName?: string | null;
  description?: string | null;
}

export interface ImplicitGrantSettings {
  enableIdTokenIssuance: boolean;
  enableAccessTokenIssuance: boolean;
}

export interface Application {
  /** object id */
  id: string;
  appId: string;
  displayName: string;
  uniqueName?: string | null;
  signInAudience?: string;
  identifierUris?: string[];
  api?: { requestedAccessTokenVersion?: number | null; oauth2PermissionScopes?: PermissionScope[]; [k: string]: unknown };
  spa?: { redirectUris: string[] };
  web?: { redirectUris?: string[]; homePageUrl?: string | null; logoutUrl?: string | null; implicitGrantSettings?: ImplicitGrantSettings };
  publicClient?: { redirectUris: string[] };
  isFallbackPublicClient?: boolean | null;
  requiredResourceAccess?: RequiredResourceAccess[];
  keyCredentials?: KeyCredential[];
  tags?: string[];
  publisherDomain?: string;
}

/** A PATCH body: any writable subset (collections replace the whole array). */
export type ApplicationPatch = Partial<Omit<Application, 'id' | 'appId' | 'publisherDomain'>>;

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  tags?: string[];
  servicePrincipalNames?: string[];
  appRoles?: AppRole[];
  oauth2PermissionScopes?: PermissionScope[];
  accountEnabled?: boolean;
}

export type ServicePrincipalPatch = Partial<Omit<ServicePrincipal, 'id' | 'appId'>>;

export interface OAuth2PermissionGrant {
  id: string;
  /** the client's service principal object id */
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId?: string | null;
  /** the resource's service principal object id */
  resourceId: string;
  /** space-separated scope values (not ids) */
  scope: string;
}

/** What `observeBatch` found. Absent objects are undefined. */
export interface Observed {
  application?: Application;
  /** the application's service principal */
  servicePrincipal?: ServicePrincipal;
  /** resource service principals by appId (always includes Microsoft Graph) */
  resources: Record<string, ServicePrincipal | undefined>;
  /** AllPrincipals grants whose client is the application's service principal */
  grants: OAuth2PermissionGrant[];
  /** HTTP round trips used (after the token) */
  roundTrips: number;
}

/* -------------------------------------------------------------------------------- selects and paths */

/** Properties read for an application; `keyCredentials` must be selected for `key` to come back (graph-behaviour.md §1.2). */
export const APPLICATION_SELECT = [
  'id',
  'appId',
  'displayName',
  'uniqueName',
  'signInAudience',
  'identifierUris',
  'api',
  'spa',
  'web',
  'publicClient',
  'isFallbackPublicClient',
  'requiredResourceAccess',
  'keyCredentials',
  'tags',
  'publisherDomain',
].join(',');

export const SERVICE_PRINCIPAL_SELECT = ['id', 'appId', 'displayName', 'tags', 'servicePrincipalNames', 'appRoles', 'oauth2PermissionScopes', 'accountEnabled'].join(',');

const appByAppIdPath = (appId: string) => `/applications(appId='${odataString(appId)}')?$select=${APPLICATION_SELECT}`;
const appByUniqueNamePath = (uniqueName: string) => `/applications(uniqueName='${odataString(uniqueName)}')?$select=${APPLICATION_SELECT}`;
const spByAppIdPath = (appId: string) => `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId.replace(/'/g, "''")}'`)}&$select=${SERVICE_PRINCIPAL_SELECT}`;
const grantsPath = (clientSpId: string) =>
  `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${clientSpId.replace(/'/g, "''")}' and consentType eq 'AllPrincipals'`)}`;

function isNotFound(err: unknown): boolean {
  return err instanceof GraphCallError && err.status === 404;
}

/* -------------------------------------------------------------------------------------- applications */

export async function getApplicationByAppId(session: GraphSession, appId: string): Promise<Application | undefined> {
  const read = async () => (await graphCall<Application>(session, { method: 'GET', path: appByAppIdPath(appId) })).body;
  if (isFresh(session, appId)) return waitForConsistency(session, `reading the new application ${appId}`, read);
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function getApplicationByUniqueName(session: GraphSession, uniqueName: string): Promise<Application | undefined> {
  const read = async () => (await graphCall<Application>(session, { method: 'GET', path: appByUniqueNamePath(uniqueName) })).body;
  if (isFresh(session, `uniqueName:${uniqueName}`)) return waitForConsistency(session, `reading the new application '${uniqueName}'`, read);
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing` (graph-behaviour.md §1.6):
 * 201 + the application when it was created, 204 when it existed and was updated (then re-read).
 * Idempotent by key, so a dropped connection is simply retried — after a drop, a create that did
 * commit comes back as `created: false`: record the appId whenever the config lacks it.
 * `body` must contain `displayName`.
 */
export async function upsertApplicationByUniqueName(
  session: GraphSession,
  uniqueName: string,
  body: ApplicationPatch & { displayName: string },
): Promise<{ created: boolean; application: Application }> {
  const answer = await graphCall<Application>(session, {
    method: 'PATCH',
    path: `/applications(uniqueName='${odataString(uniqueName)}')`,
    headers: { Prefer: 'create-if-missing' },
    body,
    idempotent: true,
  });
  if (answer.status === 201 && answer.body?.appId) {
    markFresh(session, answer.body.id, answer.body.appId, `uniqueName:${uniqueName}`);
    return { created: true, application: answer.body };
  }
  // 204: updated in place (or our earlier create committed before the connection dropped)
  markFresh(session, `uniqueName:${uniqueName}`);
  const application = await waitForConsistency(session, `reading application '${uniqueName}'`, async () => {
    const app = (await graphCall<Application>(session, { method: 'GET', path: appByUniqueNamePath(uniqueName) })).body;
    if (!app) throw new NotYetVisible(`application '${uniqueName}'`);
    return app;
  });
  markFresh(session, application.id, application.appId);
  return { created: false, application };
}

/** `PATCH /applications/{id}` (204). Collections are replaced whole: send the full arrays. */
export async function patchApplication(session: GraphSession, id: string, body: ApplicationPatch): Promise<void> {
  const write = async () => {
    await graphCall(session, { method: 'PATCH', path: `/applications/${encodeURIComponent(id)}`, body });
  };
  if (isFresh(session, id)) await waitForConsistency(session, `updating the new application ${id}`, write);
  else await write();
}

/* -------------------------------------------------------------------------------- service principals */

export async function getServicePrincipalByAppId(session: GraphSession, appId: string): Promise<ServicePrincipal | undefined> {
  const read = async () => (await graphList<ServicePrincipal>(session, spByAppIdPath(appId)))[0];
  if (!isFresh(session, `sp:${appId}`)) return read();
  return waitForConsistency(session, `reading the new service principal of ${appId}`, async () => {
    const sp = await read();
    if (!sp) throw new NotYetVisible(`service principal of ${appId}`);
    return sp;
  });
}

/**
 * `POST /servicePrincipals {appId, tags}` (201). Waits out `NoBackingApplicationObject` (the application
 * was just created). A POST whose connection dropped may have committed, and a retry would then
 * conflict: on a dropped connection or a 409 the service principal is re-read instead.
 */
export async function createServicePrincipal(session: GraphSession, input: { appId: string; tags?: string[] }): Promise<ServicePrincipal> {
  const body = { appId: input.appId, ...(input.tags ? { tags: input.tags } : {}) };
  return withRetry(session.ctx, session.retry, { what: `creating the service principal of ${input.appId}`, idempotent: true }, async (attempt) => {
    if (attempt > 1) {
      const existing = await getServicePrincipalByAppId(session, input.appId);
      if (existing) return existing;
    }
    try {
      const answer = await waitForConsistency(session, `creating the service principal of ${input.appId}`, () =>
        graphCall<ServicePrincipal>(session, { method: 'POST', path: '/servicePrincipals', body, idempotent: false }),
      );
      markFresh(session, answer.body.id, `sp:${input.appId}`);
      return answer.body;
    } catch (err) {
      if (isConflict(err)) {
        markFresh(session, `sp:${input.appId}`);
        const sp = await getServicePrincipalByAppId(session, input.appId);
        if (sp) return sp;
      }
      // a dropped connection (GraphConnectionError, mayHaveCommitted): the outer withRetry waits and
      // the next attempt re-reads before it POSTs again
      throw err;
    }
  });
}

export async function patchServicePrincipal(session: GraphSession, id: string, body: ServicePrincipalPatch): Promise<void> {
  const write = async () => {
    await graphCall(session, { method: 'PATCH', path: `/servicePrincipals/${encodeURIComponent(id)}`, body });
  };
  if (isFresh(session, id)) await waitForConsistency(session, `updating the new service principal ${id}`, write);
  else await write();
}

/* ------------------------------------------------------------------------------------------ grants */

/** AllPrincipals grants of a client service principal (per-user `Principal` grants are never returned). */
export async function listAllPrincipalsGrants(session: GraphSession, clientSpId: string): Promise<OAuth2PermissionGrant[]> {
  const grants = await graphList<OAuth2PermissionGrant>(session, grantsPath(clientSpId));
  return grants.filter((g) => g.consentType === 'AllPrincipals');
}

/**
 * `POST /oauth2PermissionGrants` (AllPrincipals). A duplicate answers 409 "Permission entry already
 * exists" (graph-behaviour.md §4.2) — also what a retried create sees after a dropped connection —
 * so then the existing grant is found and its scope PATCHed to `scope`.
 */
export async function createGrant(session: GraphSession, input: { clientId: string; resourceId: string; scope: string }): Promise<OAuth2PermissionGrant> {
  const body = { clientId: input.clientId, consentType: 'AllPrincipals', resourceId: input.resourceId, scope: input.scope };
  const findExisting = async () => (await listAllPrincipalsGrants(session, input.clientId)).find((g) => g.resourceId === input.resourceId);
  const adopt = async (g: OAuth2PermissionGrant) => {
    if (g.scope !== input.scope) await patchGrantScope(session, g.id, input.scope);
    return { ...g, scope: input.scope };
  };
  return withRetry(session.ctx, session.retry, { what: `granting admin consent (${input.scope})`, idempotent: true }, async (attempt) => {
    if (attempt > 1) {
      const existing = await findExisting();
      if (existing) return adopt(existing);
    }
    try {
      const post = () => graphCall<OAuth2PermissionGrant>(session, { method: 'POST', path: '/oauth2PermissionGrants', body, idempotent: false });
      // always waited out: the service principal may have been created moments ago by this run or by
      // the run before (a rerun after a crash), and a grant naming it is then refused for a while
      const answer = await waitForConsistency(session, 'granting admin consent (the service principal is replicating)', post);
      return answer.body;
    } catch (err) {
      if (isConflict(err)) {
        const existing = await waitForConsistency(session, 'reading the existing grant', async () => {
          const g = await findExisting();
          if (!g) throw new NotYetVisible('the existing AllPrincipals grant');
          return g;
        });
        return adopt(existing);
      }
      throw err;
    }
  });
}

/** `PATCH /oauth2PermissionGrants/{id} {scope}` (204): replaces the whole scope string. */
export async function patchGrantScope(session: GraphSession, grantId: string, scope: string): Promise<void> {
  await graphCall(session, { method: 'PATCH', path: `/oauth2PermissionGrants/${encodeURIComponent(grantId)}`, body: { scope } });
}

/** The object already exists (409 / Request_MultipleObjectsWithSameKeyValue). */
function isConflict(err: unknown): boolean {
  return err instanceof GraphCallError && (err.status === 409 || /MultipleObjectsWithSameKeyValue|already exists/i.test(`${err.graphCode} ${err.graphMessage}`));
}

/* ------------------------------------------------------------------------------------------ observe */

/**
 * Read everything the planner needs in as few round trips as Graph allows:
 *  1. one `$batch`: the application (by appId, else by uniqueName; keyCredentials selected), its
 *     service principal (when the appId is known) and the resource service principals;
 *  2. the AllPrincipals grants of the application's service principal (and, when only the
 *     uniqueName was known, that service principal first).
 * With an appId a no-op run takes 2 round trips; with only a uniqueName of an existing app, 3.
 */
export async function observeBatch(
  session: GraphSession,
  input: { appId?: string; uniqueName?: string; resourceAppIds?: readonly string[] },
): Promise<Observed> {
  const resourceAppIds = [...new Set([MICROSOFT_GRAPH_APP_ID, ...(input.resourceAppIds ?? [])].map((a) => a.toLowerCase()))];
  const items: BatchItem[] = [];
  const appIndex = input.appId || input.uniqueName ? items.push({ method: 'GET', path: input.appId ? appByAppIdPath(input.appId) : appByUniqueNamePath(input.uniqueName as string) }) - 1 : -1;
  const spIndex = input.appId ? items.push({ method: 'GET', path: spByAppIdPath(input.appId) }) - 1 : -1;
  const resourceIndex = resourceAppIds.map((appId) => items.push({ method: 'GET', path: spByAppIdPath(appId) }) - 1);

  let roundTrips = 0;
  const results = await graphBatch(session, items);
  roundTrips += Math.ceil(items.length / 20);

  let application = appIndex >= 0 ? single<Application>(results[appIndex], false) : undefined;
  if (!application && appIndex >= 0 && isFresh(session, input.appId ?? `uniqueName:${input.uniqueName}`)) {
    application = input.appId ? await getApplicationByAppId(session, input.appId) : await getApplicationByUniqueName(session, input.uniqueName as string);
    roundTrips++;
  }
  let servicePrincipal = spIndex >= 0 ? single<ServicePrincipal>(results[spIndex], true) : undefined;
  if (!servicePrincipal && application && (spIndex < 0 || isFresh(session, `sp:${application.appId}`))) {
    servicePrincipal = await getServicePrincipalByAppId(session, application.appId);
    roundTrips++;
  }
  const resources: Record<string, ServicePrincipal | undefined> = {};
  resourceAppIds.forEach((appId, i) => (resources[appId] = single<ServicePrincipal>(results[resourceIndex[i] as number], true)));
  let grants: OAuth2PermissionGrant[] = [];
  if (servicePrincipal) {
    grants = await listAllPrincipalsGrants(session, servicePrincipal.id);
    roundTrips++;
  }
  return {
    ...(application ? { application } : {}),
    ...(servicePrincipal ? { servicePrincipal } : {}),
    resources,
    grants,
    roundTrips,
  };
}

/** One object from a batch result: a GET by key (404 → undefined) or a `$filter` list (first item). */
function single<T>(result: BatchResult | undefined, list: boolean): T | undefined {
  if (!result) return undefined;
  if (!result.ok) {
    if (result.status === 404) return undefined;
    throw result.error;
  }
  if (list) return ((result.body as { value?: T[] } | undefined)?.value ?? [])[0];
  return result.body as T;
}
