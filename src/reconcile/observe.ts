/**
 * Observe: read everything the aspects judge, in as few round trips as Graph allows (`$batch`):
 *   1. the application (by appId, else by uniqueName; keyCredentials and passwordCredentials
 *      selected), its federated credentials, its service principal (when the appId is known) and
 *      the Microsoft Graph service principal;
 *   2. the service principal's AllPrincipals grants and app-role assignments (and, when only the
 *      uniqueName was known, the service principal first — one more round trip);
 *   3. only when something unmanaged must be named: the resource service principals it refers to.
 * A no-op drift check with an appId takes 2 round trips after the token.
 *
 * Identity: an appId means "this application"; without one, by uniqueName. A display name alone
 * never adopts an application: one with the configured name but without our uniqueName stops the
 * run with how to adopt it (`set-app --app-id`).
 *
 * Settling (read-only runs): Entra replicates grants and new service principals with a delay
 * (https://learn.microsoft.com/graph/api/oauth2permissiongrant-list notes it), so a drift check
 * right after `apply` may not see them yet. With `settleMs`, a missing service principal or
 * admin-consent grant is read again with backoff until it appears or the window ends — real
 * drift is still reported, a few seconds later.
 */
import { InputError, OperationError, TransientError } from '../errors.js';
import { graphBatch, type BatchItem, type BatchResult } from '../graph/batch.js';
import { getApplicationByAppId } from '../graph/api.js';
import { isFresh, NotYetVisible, waitForConsistency } from '../graph/consistency.js';
import { graphList } from '../graph/request.js';
import type { GraphSession } from '../graph/session.js';
import {
  appByAppIdPath,
  appByUniqueNamePath,
  appRoleAssignmentsPath,
  deletedAppsPath,
  deletedSpsPath,
  federatedCredentialsPath,
  grantsPath,
  RESOURCE_SELECT,
  ownersPath,
  ownSpPath,
  spByAppIdPath,
  spByIdPath,
} from '../graph/types.js';
import type { AppRoleAssignment, Application, DirectoryObject, FederatedIdentityCredential, OAuth2PermissionGrant, ServicePrincipal } from '../model/graph.js';
import { CONSENT_TARGETS, MICROSOFT_GRAPH_APP_ID, USER_READ_SCOPE_ID } from '../model/portal.js';
import type { DesiredState, Observed } from './types.js';

/** How long a pinned appId that cannot be found is re-read before it counts as absent (replication lag). */
export const PINNED_APP_WAIT_MS = 15_000;
/** Default window in which a read-only run re-reads a missing service principal or grant. */
export const SETTLE_MS = 10_000;

export interface ObserveOptions {
  /** re-read a missing service principal / consent grant for up to this long (read-only runs) */
  settleMs?: number;
}

export interface ObserveResult {
  observed: Observed;
  /** HTTP round trips used (after the token) */
  roundTrips: number;
}

/** The config must name an application (apply checks this before it signs in: no network for a config that cannot work). */
export function requireApplication(desired: Pick<DesiredState, 'appId' | 'uniqueName'>): void {
  if (!desired.appId && !desired.uniqueName) {
    throw new InputError('the config names no application: set application.uniqueName (to register one) or application.appId (to configure one)', {
      problems: [{ path: 'application', message: 'needs uniqueName or appId' }],
      remedy: 'Run "entra-portal new-app --name <displayName>" or "entra-portal set-app --app-id <guid>".',
    });
  }
}

export async function observe(session: GraphSession, desired: Pick<DesiredState, 'appId' | 'uniqueName' | 'displayName' | 'owners'>, options: ObserveOptions = {}): Promise<ObserveResult> {
  requireApplication(desired);
  let roundTrips = 0;
  let result = await readOnce(session, desired);
  roundTrips += result.roundTrips;

  // deleted (not purged): in deleted items for 30 days — restored, never registered again
  if (!result.observed.application || !result.observed.servicePrincipal) {
    const found = await readDeleted(session, result.observed.application ? { appId: result.observed.application.appId } : desired);
    roundTrips += found.roundTrips;
    if (found.deleted) result.observed.deleted = found.deleted;
    if (found.deleted?.application) return { observed: result.observed, roundTrips };
    // its service principal is in deleted items but the application is not: purged, no lag to wait for
    if (!result.observed.application && desired.appId && found.deleted?.servicePrincipal) throw pinnedNotFound(session, desired.appId);
  }

  if (!result.observed.application && desired.appId) {
    // waiting for replication makes sense only for an application this session created; a pinned
    // appId that Entra does not know is reported at once (a rerun covers one registered moments ago)
    if (!isFresh(session, desired.appId)) throw pinnedNotFound(session, desired.appId);
    result.observed.application = await waitForPinned(session, desired.appId);
    roundTrips += 1;
    const again = await readOnce(session, { appId: result.observed.application.appId, ...owned(desired) });
    result = again;
    roundTrips += again.roundTrips;
  }
  const application = result.observed.application;
  if (application && desired.uniqueName && application.uniqueName && application.uniqueName !== desired.uniqueName) {
    throw new InputError(
      `application ${application.appId} has uniqueName '${application.uniqueName}', but the config says '${desired.uniqueName}' (a uniqueName cannot be changed once set)`,
      { problems: [{ path: 'application.uniqueName', message: `the application's is '${application.uniqueName}'` }], remedy: `Set application.uniqueName to '${application.uniqueName}' or remove it.` },
    );
  }
  if (!application && !desired.appId && desired.displayName) {
    await refuseSilentAdoption(session, desired);
    roundTrips += 1;
  }

  // read-only runs: what a just-finished apply created may not be visible yet
  if (!application) return { observed: result.observed, roundTrips };
  // its service principal is in deleted items: not lag, nothing to wait for
  if (result.observed.deleted?.servicePrincipal) return { observed: result.observed, roundTrips };
  const settled = await settle(session, result, options.settleMs ?? 0, () => readOnce(session, { appId: application.appId, ...owned(desired) }));
  return { observed: settled.observed, roundTrips: roundTrips - result.roundTrips + settled.roundTrips };
}

/**
 * A customer tenant (service providers): the service principal of the provider's application
 * `appId` there, its grants and app-role assignments, and Microsoft Graph's service principal — the
 * application itself lives in the provider's tenant and is not read. Two round trips: the service
 * principal (and Graph's), then its grants and assignments — or, when it is missing, the deleted
 * items; settled like `observe`.
 */
export async function observeCustomer(session: GraphSession, appId: string, options: ObserveOptions = {}): Promise<ObserveResult> {
  const read = async () => {
    const r = await readOnce(session, { appId }, false);
    r.observed.providerAppId = appId.toLowerCase();
    return r;
  };
  const first = await read();
  if (!first.observed.servicePrincipal) {
    // deleted by the customer's administrator less than 30 days ago: restored (same id, its grants)
    // rather than made anew — and not replication lag, so nothing to wait for
    const deleted = (await graphList<NonNullable<NonNullable<Observed['deleted']>['servicePrincipal']>>(session, deletedSpsPath(appId)))[0];
    first.roundTrips++;
    if (deleted) {
      first.observed.deleted = { servicePrincipal: deleted };
      return first;
    }
  }
  return settle(session, first, options.settleMs ?? 0, read);
}

/** Re-read with backoff (0.5, 1, 2, 4 s) while a service principal or consent grant is missing, for up to `settleMs`. */
async function settle(session: GraphSession, first: ObserveResult, settleMs: number, read: () => Promise<ObserveResult>): Promise<ObserveResult> {
  let result = first;
  let roundTrips = first.roundTrips;
  if (settleMs <= 0 || !looksUnsettled(result.observed)) return result;
  const deadline = session.ctx.clock.now() + settleMs;
  let delay = 500;
  while (looksUnsettled(result.observed) && session.ctx.clock.now() + delay <= deadline) {
    session.ctx.log.progress(`the service principal or admin consent is not visible yet: reading again in ${(delay / 1000).toFixed(1)} s (Entra replicates them with a delay)`);
    await session.ctx.clock.sleep(delay);
    result = await read();
    roundTrips += result.roundTrips;
    delay = Math.min(delay * 2, 4000);
  }
  session.ctx.log.done();
  return { observed: result.observed, roundTrips };
}

/** A service principal or an admin-consent grant (or scope) is missing: possibly replication lag. */
export function looksUnsettled(o: Observed): boolean {
  const sp = o.servicePrincipal;
  if (!sp) return true;
  const graphSp = o.resources[MICROSOFT_GRAPH_APP_ID];
  return CONSENT_TARGETS.some((t) => {
    const resourceId = t.target === 'Microsoft Graph' ? graphSp?.id : sp.id;
    const g = o.grants.find((x) => x.clientId === sp.id && x.resourceId === resourceId);
    const have = (g?.scope ?? '').toLowerCase().split(/\s+/);
    return !g || !t.scopes.every((s) => have.includes(s.toLowerCase()));
  });
}

/** The owners part of a read's key: asked for only when the config manages them. */
const owned = (desired: Pick<DesiredState, 'owners'>) => (desired.owners !== undefined ? { owners: desired.owners } : {});

/** One observation; `withApplication: false` in a customer tenant, where only the service principal side exists. */
async function readOnce(session: GraphSession, key: Pick<DesiredState, 'appId' | 'uniqueName' | 'owners'>, withApplication = true): Promise<ObserveResult> {
  const appKey = key.appId ? { appId: key.appId } : { uniqueName: key.uniqueName as string };
  let roundTrips = 0;

  // round 1
  const items: BatchItem[] = [
    ...(withApplication
      ? [
          { method: 'GET' as const, path: key.appId ? appByAppIdPath(key.appId) : appByUniqueNamePath(key.uniqueName as string) },
          { method: 'GET' as const, path: federatedCredentialsPath(appKey) },
        ]
      : []),
    { method: 'GET', path: spByAppIdPath(MICROSOFT_GRAPH_APP_ID) },
  ];
  if (key.appId) items.push({ method: 'GET', path: ownSpPath(key.appId) });
  // the owners only when the config manages them (application.owners)
  const ownersAt = withApplication && key.owners !== undefined ? items.push({ method: 'GET', path: ownersPath(appKey) }) - 1 : -1;
  const r1 = await graphBatch(session, items);
  roundTrips++;
  const graphAt = withApplication ? 2 : 0;
  const application = withApplication ? single<Application>(r1[0], false) : undefined;
  const federatedCredentials = application ? list<FederatedIdentityCredential>(r1[1]) : [];
  let owners = application && ownersAt >= 0 ? list<DirectoryObject>(r1[ownersAt]) : undefined;
  // Graph answers 100 owners a page: an owner on a later page must not go unseen (nor unpruned)
  if (owners && hasNextPage(r1[ownersAt])) {
    owners = await graphList<DirectoryObject>(session, ownersPath(appKey));
    roundTrips++;
  }
  const resources: Observed['resources'] = { [MICROSOFT_GRAPH_APP_ID]: single<ServicePrincipal>(r1[graphAt], true) };
  let servicePrincipal = key.appId ? single<ServicePrincipal>(r1[graphAt + 1], true) : undefined;
  if (application && !key.appId) {
    servicePrincipal = (await graphList<ServicePrincipal>(session, ownSpPath(application.appId)))[0];
    roundTrips++;
  }

  // round 2
  let grants: OAuth2PermissionGrant[] = [];
  let appRoleAssignments: AppRoleAssignment[] = [];
  if (servicePrincipal) {
    const r2 = await graphBatch(session, [
      { method: 'GET', path: grantsPath(servicePrincipal.id) },
      { method: 'GET', path: appRoleAssignmentsPath(servicePrincipal.id) },
    ]);
    roundTrips++;
    grants = list<OAuth2PermissionGrant>(r2[0]).filter((g) => g.consentType === 'AllPrincipals');
    appRoleAssignments = list<AppRoleAssignment>(r2[1]);
  }

  const observed: Observed = {
    ...(application ? { application } : {}),
    federatedCredentials,
    ...(servicePrincipal ? { servicePrincipal } : {}),
    resources,
    grants,
    appRoleAssignments,
    ...(owners ? { owners } : {}),
  };
  roundTrips += await nameResources(session, observed);
  return { observed, roundTrips };
}

/**
 * Round 3, only when something unmanaged refers to a resource: read those resource service
 * principals with their roles and scopes, so the plan names permissions instead of GUIDs.
 */
async function nameResources(session: GraphSession, o: Observed): Promise<number> {
  const app = o.application;
  const byAppId = new Set<string>();
  const byId = new Set<string>();
  for (const r of app?.requiredResourceAccess ?? []) {
    const appId = r.resourceAppId.toLowerCase();
    if (appId === app?.appId.toLowerCase()) continue;
    const onlyUserRead = appId === MICROSOFT_GRAPH_APP_ID && r.resourceAccess.every((a) => a.type === 'Scope' && a.id.toLowerCase() === USER_READ_SCOPE_ID);
    if (!onlyUserRead) byAppId.add(appId);
  }
  const sp = o.servicePrincipal;
  for (const g of o.grants) {
    const known = g.resourceId === sp?.id || g.resourceId === o.resources[MICROSOFT_GRAPH_APP_ID]?.id;
    if (!known) byId.add(g.resourceId);
  }
  for (const a of o.appRoleAssignments) byId.add(a.resourceId);
  if (byAppId.size === 0 && byId.size === 0) return 0;
  const appIds = [...byAppId];
  const ids = [...byId];
  const results = await graphBatch(session, [
    ...appIds.map((a) => ({ method: 'GET' as const, path: spByAppIdPath(a, RESOURCE_SELECT) })),
    ...ids.map((id) => ({ method: 'GET' as const, path: spByIdPath(id) })),
  ]);
  results.forEach((r, i) => {
    const found = i < appIds.length ? single<ServicePrincipal>(r, true) : single<ServicePrincipal>(r, false);
    if (found) o.resources[found.appId.toLowerCase()] = found;
  });
  return Math.ceil(results.length / 20);
}

/** One object from a batch result: a GET by key (404 → undefined) or a `$filter` list (first item). */
function single<T>(result: BatchResult | undefined, isList: boolean): T | undefined {
  if (!result) return undefined;
  if (!result.ok) {
    if (result.status === 404) return undefined;
    throw result.error;
  }
  if (isList) return ((result.body as { value?: T[] } | undefined)?.value ?? [])[0];
  return result.body as T;
}

const hasNextPage = (result: BatchResult | undefined): boolean => result?.ok === true && typeof (result.body as { '@odata.nextLink'?: unknown } | undefined)?.['@odata.nextLink'] === 'string';

function list<T>(result: BatchResult | undefined): T[] {
  if (!result) return [];
  if (!result.ok) {
    if (result.status === 404) return [];
    throw result.error;
  }
  return (result.body as { value?: T[] } | undefined)?.value ?? [];
}

/**
 * The application (when it is not live) and its service principal, in deleted items: one round trip
 * when the appId is known (the config's, or the live application's), two by uniqueName.
 */
async function readDeleted(session: GraphSession, key: Pick<DesiredState, 'appId' | 'uniqueName'>): Promise<{ deleted?: NonNullable<Observed['deleted']>; roundTrips: number }> {
  type Deleted = NonNullable<Observed['deleted']>;
  const appKey = key.appId ? { appId: key.appId } : key.uniqueName ? { uniqueName: key.uniqueName } : undefined;
  if (!appKey) return { roundTrips: 0 };
  const r1 = await graphBatch(session, [{ method: 'GET', path: deletedAppsPath(appKey) }, ...(key.appId ? [{ method: 'GET' as const, path: deletedSpsPath(key.appId) }] : [])]);
  let roundTrips = 1;
  const application = single<Deleted['application']>(r1[0], true);
  let servicePrincipal = key.appId ? single<Deleted['servicePrincipal']>(r1[1], true) : undefined;
  if (application && !key.appId) {
    servicePrincipal = (await graphList<NonNullable<Deleted['servicePrincipal']>>(session, deletedSpsPath(application.appId)))[0];
    roundTrips++;
  }
  if (!application && !servicePrincipal) return { roundTrips };
  return { deleted: { ...(application ? { application } : {}), ...(servicePrincipal ? { servicePrincipal } : {}) }, roundTrips };
}

/** A pinned appId that is not visible: wait briefly (lag of a just-created app), then fail clearly. */
async function waitForPinned(session: GraphSession, appId: string): Promise<Application> {
  try {
    return await waitForConsistency(
      { ctx: session.ctx, retry: { ...session.retry, budgetMs: Math.min(session.retry.budgetMs, PINNED_APP_WAIT_MS) } },
      `finding application ${appId}`,
      async () => {
        const app = await getApplicationByAppId(session, appId);
        if (!app) throw new NotYetVisible(`application ${appId}`);
        return app;
      },
    );
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    throw pinnedNotFound(session, appId, err);
  }
}

function pinnedNotFound(session: GraphSession, appId: string, cause?: unknown): OperationError {
  // not live and not in deleted items (observe looked there first): deleted more than 30 days ago,
  // or purged — its uniqueName is free again, so registering anew works
  return new OperationError(
    `application ${appId} (application.appId) was not found in tenant ${session.tenant}, nor among its deleted items (deleted more than 30 days ago, or purged: it cannot be restored)`,
    {
      code: 'application-not-found',
      ...(cause ? { cause } : {}),
      remedy:
        'Check the tenant and region of the config; if the application is gone for good, remove application.appId to register a new one by its uniqueName. If it was registered moments ago, Entra may not show it everywhere yet: run again in a minute.',
    },
  );
}

interface AppSummary {
  id: string;
  appId: string;
  displayName?: string | null;
  uniqueName?: string | null;
}

/** An application with our display name but without our uniqueName is never adopted silently. */
async function refuseSilentAdoption(session: GraphSession, desired: Pick<DesiredState, 'uniqueName' | 'displayName'>): Promise<void> {
  const filter = encodeURIComponent(`displayName eq '${(desired.displayName as string).replace(/'/g, "''")}'`);
  const same = await graphList<AppSummary>(session, `/applications?$filter=${filter}&$select=id,appId,displayName,uniqueName`);
  const foreign = same.filter((a) => a.uniqueName !== desired.uniqueName);
  if (foreign.length === 0) return;
  const first = foreign[0] as AppSummary;
  throw new InputError(
    `an application named '${desired.displayName}' already exists (appId ${first.appId}${foreign.length > 1 ? ` and ${foreign.length - 1} more` : ''}) without uniqueName '${desired.uniqueName}': entra-portal does not adopt an application by its display name`,
    {
      code: 'adopt-refused',
      remedy: `To configure that application, run "entra-portal set-app --app-id ${first.appId}"; to register a separate one, choose another application.name.`,
    },
  );
}
