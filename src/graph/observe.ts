/**
 * observeBatch: everything the planner needs, in as few round trips as Graph allows (DESIGN §4).
 */
import { graphBatch, type BatchItem, type BatchResult } from './batch.js';
import { isFresh } from './consistency.js';
import { getApplicationByAppId, getApplicationByUniqueName, getServicePrincipalByAppId, listAllPrincipalsGrants } from './api.js';
import {
  appByAppIdPath,
  appByUniqueNamePath,
  MICROSOFT_GRAPH_APP_ID,
  spByAppIdPath,
  type Application,
  type OAuth2PermissionGrant,
  type Observed,
  type ServicePrincipal,
} from './types.js';
import type { GraphSession } from './session.js';

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
