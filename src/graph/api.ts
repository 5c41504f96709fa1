/**
 * Typed Microsoft Graph calls the reconciler uses.
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
 *   removePassword(s, appObjectId, keyId) / deleteFederatedCredential(s, appObjectId, id)
 *   deleteGrant(s, grantId) / deleteAppRoleAssignment(s, spId, assignmentId)   → void (404: already gone)
 *
 * Errors: `GraphCallError` (a `GraphRequestError`: status, graphCode, requestId) for Graph answers,
 * `GraphConnectionError` for transport failures, `TransientError` (75) when 429/503/504 or replication
 * lag outlast the budget. Call `toPortalError(err)` (errors.ts) at the top to turn a 403 into
 * PermissionError (77) naming the right. Objects created through these functions are remembered, so
 * later reads/patches of them wait out replication lag (consistency.ts); other 404s mean "absent".
 */
import { GraphCallError } from './errors.js';
import { isFresh, isReplicationLag, markFresh, NotYetVisible, waitForConsistency } from './consistency.js';
import { InputError } from '../errors.js';
import { graphCall, graphList, odataString } from './request.js';
import { withRetry } from './retry.js';
import type { GraphSession } from './session.js';
import {
  appByAppIdPath,
  appByUniqueNamePath,
  grantsPath,
  spByAppIdPath,
  type Application,
  type ApplicationPatch,
  type OAuth2PermissionGrant,
  type ServicePrincipal,
  type ServicePrincipalPatch,
} from './types.js';

export * from './types.js';

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
 * `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing` (docs/graph.md, "upsert by
 * uniqueName"): 201 + the application when it was created, 204 when it existed and was updated (then re-read).
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
 * exists" (docs/graph.md, "Admin consent") — also what a retried create sees after a dropped connection —
 * so then the existing grant is found and its scope PATCHed to `scope`.
 */
export async function createGrant(session: GraphSession, input: { clientId: string; resourceId: string; scope: string }): Promise<OAuth2PermissionGrant> {
  const body = { clientId: input.clientId, consentType: 'AllPrincipals', resourceId: input.resourceId, scope: input.scope };
  const findExisting = async () => (await listAllPrincipalsGrants(session, input.clientId)).find((g) => g.resourceId === input.resourceId);
  // An existing grant (found after a 409 or a dropped POST) is extended, never narrowed: its scope
  // becomes the union, so scopes another administrator consented to survive (docs/managed-surface.md).
  const adopt = async (g: OAuth2PermissionGrant) => {
    const have = (g.scope ?? '').split(' ').filter(Boolean);
    const union = [...have, ...input.scope.split(' ').filter((s) => s && !have.includes(s))].join(' ');
    if (union !== (g.scope ?? '')) await patchGrantScope(session, g.id, union);
    return { ...g, scope: union };
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

/* ------------------------------------------------------------------------------------------ removals */

/** `POST /applications/{id}/removePassword {keyId}` (204): client secrets cannot be removed by PATCH. */
export async function removePassword(session: GraphSession, appObjectId: string, keyId: string): Promise<void> {
  await ignoreGone(graphCall(session, { method: 'POST', path: `/applications/${encodeURIComponent(appObjectId)}/removePassword`, body: { keyId }, idempotent: true }));
}

/** `POST /servicePrincipals/{id}/removePassword {keyId}` (204): a secret on the service principal itself. */
export async function removeServicePrincipalPassword(session: GraphSession, spId: string, keyId: string): Promise<void> {
  await ignoreGone(graphCall(session, { method: 'POST', path: `/servicePrincipals/${encodeURIComponent(spId)}/removePassword`, body: { keyId }, idempotent: true }));
}

/** `DELETE /applications/{id}/federatedIdentityCredentials/{id}` (204). */
export async function deleteFederatedCredential(session: GraphSession, appObjectId: string, id: string): Promise<void> {
  await ignoreGone(graphCall(session, { method: 'DELETE', path: `/applications/${encodeURIComponent(appObjectId)}/federatedIdentityCredentials/${encodeURIComponent(id)}` }));
}

/** `DELETE /oauth2PermissionGrants/{id}` (204). */
export async function deleteGrant(session: GraphSession, grantId: string): Promise<void> {
  await ignoreGone(graphCall(session, { method: 'DELETE', path: `/oauth2PermissionGrants/${encodeURIComponent(grantId)}` }));
}

/* ------------------------------------------------------------------------------------------- owners */

/**
 * `POST /applications/{id}/owners/$ref` with the owner as a directoryObjects URL of this cloud's
 * Graph (https://learn.microsoft.com/graph/api/application-post-owners). One that is an owner already
 * (a retry after a dropped answer; another run) answers 400 "…references already exist": done.
 */
export async function addApplicationOwner(session: GraphSession, appObjectId: string, ownerId: string, appId?: string): Promise<void> {
  const ref = `${session.endpoints.graph.replace(/\/+$/, '')}/v1.0/directoryObjects/${encodeURIComponent(ownerId)}`;
  const write = async () => {
    try {
      await graphCall(session, { method: 'POST', path: `/applications/${encodeURIComponent(appObjectId)}/owners/$ref`, body: { '@odata.id': ref } });
    } catch (err) {
      if (err instanceof GraphCallError && err.status === 400 && /references already exist/i.test(err.graphMessage)) return;
      if (ownerIsMissing(err, ownerId)) {
        throw new InputError(`application.owners: ${ownerId} is not a user or service principal in the tenant (Microsoft Entra: ${err.graphMessage})`, {
          cause: err,
          code: 'owner-not-found',
          remedy: `Check the owner's Object ID in the Entra admin center (a user's, or an enterprise application's — not its Application (client) ID), or take it out of the config: set-app --app-id ${appId ?? '<appId>'} --remove-owner ${ownerId}.`,
        });
      }
      throw err;
    }
  };
  // an application this run created may not be visible yet (a 404 that is lag, not a missing owner)
  if (isFresh(session, appObjectId)) await waitForConsistency(session, `adding an owner to the new application ${appObjectId}`, write, (err) => isReplicationLag(err) && !ownerIsMissing(err, ownerId));
  else await write();
}

/** Graph's 404 names the object it did not find: the owner ("Resource '<owner id>' does not exist …"), not the application. */
function ownerIsMissing(err: unknown, ownerId: string): err is GraphCallError {
  return err instanceof GraphCallError && err.status === 404 && err.graphMessage.toLowerCase().includes(ownerId.toLowerCase());
}

/** `DELETE /applications/{id}/owners/{ownerId}/$ref`; one already gone (404) is done. */
export async function removeApplicationOwner(session: GraphSession, appObjectId: string, ownerId: string): Promise<void> {
  await ignoreGone(graphCall(session, { method: 'DELETE', path: `/applications/${encodeURIComponent(appObjectId)}/owners/${encodeURIComponent(ownerId)}/$ref` }));
}

/**
 * `POST /directory/deletedItems/{id}/restore` (200 with the object, same ids). Restoring an
 * application does not restore its service principal: that is restored on its own
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-restore). A retry after a dropped
 * answer finds the item gone from deleted items (404): it was restored, and is read where it lives.
 */
export async function restoreDeletedItem(session: GraphSession, id: string, kind: 'application' | 'servicePrincipal'): Promise<{ id: string; appId: string }> {
  try {
    return (await graphCall<{ id: string; appId: string }>(session, { method: 'POST', path: `/directory/deletedItems/${encodeURIComponent(id)}/restore`, idempotent: true })).body;
  } catch (err) {
    if (!(err instanceof GraphCallError) || err.status !== 404) throw err;
    const live = kind === 'application' ? `/applications/${encodeURIComponent(id)}?$select=id,appId` : `/servicePrincipals/${encodeURIComponent(id)}?$select=id,appId`;
    return (await graphCall<{ id: string; appId: string }>(session, { method: 'GET', path: live })).body;
  }
}

/** `DELETE /servicePrincipals/{id}/appRoleAssignments/{id}` (204). */
export async function deleteAppRoleAssignment(session: GraphSession, spId: string, assignmentId: string): Promise<void> {
  await ignoreGone(graphCall(session, { method: 'DELETE', path: `/servicePrincipals/${encodeURIComponent(spId)}/appRoleAssignments/${encodeURIComponent(assignmentId)}` }));
}

/** A removal whose object is already gone (a retried request, or another run) has done its job. */
async function ignoreGone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
}

/** The object already exists (409 / Request_MultipleObjectsWithSameKeyValue). */
function isConflict(err: unknown): boolean {
  return err instanceof GraphCallError && (err.status === 409 || /MultipleObjectsWithSameKeyValue|already exists/i.test(`${err.graphCode} ${err.graphMessage}`));
}
