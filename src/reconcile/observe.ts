/**
 * Observe: read what the planner needs in as few round trips as Graph allows (DESIGN §4) — the
 * GRAPH engineer's `observeBatch` (one `$batch` for the application, its service principal and the
 * Microsoft Graph service principal, then the AllPrincipals grants): 2 round trips with an appId.
 *
 * Identity rules (STYLE #4, DESIGN §4 "Identity"):
 * - an appId means "this application"; one that cannot be found is an error (after a short wait:
 *   a run right after the one that created it may meet replication lag);
 * - otherwise by uniqueName; a display name alone never adopts an application: when one with the
 *   configured name exists without our uniqueName, stop and say how to adopt it (`set-app --app-id`).
 */
import { InputError, OperationError, TransientError } from '../errors.js';
import { MICROSOFT_GRAPH_APP_ID } from './constants.js';
import type { DesiredState, GraphApplication, Observed } from './types.js';
import type { GraphSession } from '../graph/session.js';
import { getApplicationByAppId, observeBatch } from '../graph/api.js';
import { NotYetVisible, waitForConsistency } from '../graph/consistency.js';
import { graphList } from '../graph/request.js';

/** How long a pinned appId that cannot be found is re-read before it counts as absent (replication lag). */
export const PINNED_APP_WAIT_MS = 15_000;

export interface ObserveResult {
  observed: Observed;
  /** HTTP round trips used (after the token) */
  roundTrips: number;
}

export async function observe(session: GraphSession, desired: DesiredState): Promise<ObserveResult> {
  if (!desired.appId && !desired.uniqueName) {
    throw new InputError('the config names no application: set application.uniqueName (to register one) or application.appId (to configure one)', {
      problems: [{ path: 'application', message: 'needs uniqueName or appId' }],
      remedy: 'Run "entra-portal new-app --name <displayName>" or "entra-portal set-app --app-id <guid>".',
    });
  }
  const found = await observeBatch(session, {
    ...(desired.appId ? { appId: desired.appId } : { uniqueName: desired.uniqueName as string }),
  });
  let roundTrips = found.roundTrips;
  let application = found.application as GraphApplication | undefined;

  if (!application && desired.appId) {
    application = await waitForPinned(session, desired.appId);
    roundTrips += 1;
  }
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

  const observed: Observed = { grants: found.grants };
  if (application) observed.application = application;
  if (found.servicePrincipal) observed.servicePrincipal = found.servicePrincipal;
  const graphSp = found.resources[MICROSOFT_GRAPH_APP_ID];
  if (graphSp) observed.graphServicePrincipal = graphSp;
  return { observed, roundTrips };
}

/** A pinned appId that is not visible: wait briefly (lag of a just-created app), then fail clearly. */
async function waitForPinned(session: GraphSession, appId: string): Promise<GraphApplication> {
  try {
    return (await waitForConsistency(
      { ctx: session.ctx, retry: { ...session.retry, budgetMs: Math.min(session.retry.budgetMs, PINNED_APP_WAIT_MS) } },
      `finding application ${appId}`,
      async () => {
        const app = await getApplicationByAppId(session, appId);
        if (!app) throw new NotYetVisible(`application ${appId}`);
        return app;
      },
    )) as GraphApplication;
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    throw new OperationError(`application ${appId} (application.appId) was not found in tenant ${session.tenant}`, {
      code: 'application-not-found',
      cause: err,
      remedy: 'Check the tenant and region of the config, or remove application.appId to register a new application by its uniqueName.',
    });
  }
}

interface AppSummary {
  id: string;
  appId: string;
  displayName?: string | null;
  uniqueName?: string | null;
}

/** STYLE #4: an application with our display name but without our uniqueName is never adopted silently. */
async function refuseSilentAdoption(session: GraphSession, desired: DesiredState): Promise<void> {
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

