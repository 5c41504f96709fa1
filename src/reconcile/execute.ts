/**
 * Execute: carry the plan out, step by step, against Graph (DESIGN §4). Each step recomputes its
 * write from the same aspect functions the planner uses, so the plan shown and the writes agree.
 *
 * Order: application (upsert by uniqueName with `Prefer: create-if-missing`, or the observed one by
 * id; the appId recorded in the config right after a create) → one PATCH with every application
 * field that differs (identifierUris + access_as_user scope need the appId, hence a second write
 * after a create; audience/public-client/implicit flags; the whole `spa` object; the whole
 * keyCredentials array merged by thumbprint; requiredResourceAccess as a union) → service principal
 * (ensured with its tag, replication waited out by src/graph) → admin consent (AllPrincipals grant per
 * resource, scope extended to the union; created when missing).
 *
 * Idempotent: a crash or dropped response anywhere, then a rerun, converges with exactly one
 * application — the uniqueName upsert cannot create a second one.
 */
import { randomUUID } from 'node:crypto';
import { OperationError } from '../errors.js';
import {
  createGrant,
  createServicePrincipal,
  patchApplication,
  patchGrantScope,
  patchServicePrincipal,
  upsertApplicationByUniqueName,
  type ApplicationPatch,
} from '../graph/api.js';
import type { GraphSession } from '../graph/session.js';
import { applicationPatch, findAccessAsUser } from './aspects/application.js';
import { certificatePatch } from './aspects/certificates.js';
import { CONSENT_TARGETS, findAllPrincipalsGrant, scopeUnion, type ConsentTarget } from './aspects/consent.js';
import { permissionPatch } from './aspects/permissions.js';
import { redirectUriPatch } from './aspects/redirect-uris.js';
import { servicePrincipalTags } from './aspects/service-principal.js';
import { INTEGRATED_APP_TAG } from './constants.js';
import type { DesiredState, GraphApplication, GraphServicePrincipal, Observed, PlanOptions } from './types.js';

export type StepName =
  | 'application'
  | 'identifierUris'
  | 'accessAsUserScope'
  | 'flags'
  | 'redirectUris'
  | 'keyCredentials'
  | 'requiredResourceAccess'
  | 'servicePrincipal'
  | 'consent.microsoftGraph'
  | 'consent.application'
  | 'config';

export type StepStatus = 'unchanged' | 'created' | 'updated';

/** The steps of every run, in order ('config' appears only when the appId is recorded). */
export const STEPS: readonly StepName[] = [
  'application',
  'identifierUris',
  'accessAsUserScope',
  'flags',
  'redirectUris',
  'keyCredentials',
  'requiredResourceAccess',
  'servicePrincipal',
  'consent.microsoftGraph',
  'consent.application',
];

export interface StepResult {
  step: StepName;
  status: StepStatus;
}

export interface ExecuteInput {
  session: GraphSession;
  desired: DesiredState;
  observed: Observed;
  options: PlanOptions;
  /** records the appId in the config (editConfig); called right after a create, and whenever the config lacks it */
  recordAppId: (appId: string) => Promise<void>;
  /** live per-step report (human output) */
  onStep?: (result: StepResult) => void;
  /** id for a new access_as_user scope (default: a random UUID) */
  newScopeId?: string;
}

export interface ExecuteOutcome {
  appId: string;
  steps: StepResult[];
}

/** Raised when a step fails after earlier steps changed Entra: says what was done (never success). */
export function describeDone(steps: readonly StepResult[]): string {
  const done = steps.filter((s) => s.status !== 'unchanged').map((s) => `${s.step} ${s.status}`);
  return done.length ? done.join(', ') : 'nothing';
}

export async function execute(input: ExecuteInput): Promise<ExecuteOutcome> {
  const { session, desired, options } = input;
  const steps: StepResult[] = [];
  const report = (step: StepName, status: StepStatus) => {
    const r = { step, status };
    steps.push(r);
    input.onStep?.(r);
  };
  const newScopeId = input.newScopeId ?? randomUUID();

  try {
    // 1. the application itself
    let app = input.observed.application;
    let created = false;
    if (!app) {
      if (!desired.uniqueName) throw new OperationError('cannot register an application without application.uniqueName');
      // Only scalars go into the upsert: if the application exists after all (a dropped response, or
      // lag hid it from observe) the upsert is an update, and must not replace any collection.
      const body: ApplicationPatch & { displayName: string } = {
        displayName: desired.displayName ?? desired.uniqueName,
        isFallbackPublicClient: true,
        ...(desired.signInAudience ? { signInAudience: desired.signInAudience } : {}),
      };
      const upserted = await upsertApplicationByUniqueName(session, desired.uniqueName, body);
      app = upserted.application as GraphApplication;
      created = upserted.created;
      report('application', created ? 'created' : 'updated');
    }
    if (!desired.appId || desired.appId.toLowerCase() !== app.appId.toLowerCase()) {
      await recordAppId(input, app);
      report('config', 'updated');
    }

    // 2. every application field that differs, in one PATCH
    const scope = findAccessAsUser(app);
    const appFields = applicationPatch(desired, app, { appId: app.appId, newScopeId });
    const patch: Partial<GraphApplication> = {
      ...appFields,
      ...redirectUriPatch(desired, app, options),
      ...certificatePatch(desired, app, options),
      ...permissionPatch(app, { appId: app.appId, scopeId: scope?.id ?? newScopeId }, options),
    };
    if (Object.keys(patch).length > 0) await patchApplication(session, app.id, patch as ApplicationPatch);
    const status = (...fields: (keyof GraphApplication)[]): StepStatus => (fields.some((f) => f in patch) ? 'updated' : 'unchanged');
    if (!steps.some((s) => s.step === 'application')) report('application', status('displayName', 'uniqueName'));
    report('identifierUris', status('identifierUris'));
    report('accessAsUserScope', status('api'));
    report('flags', status('signInAudience', 'isFallbackPublicClient', 'web'));
    report('redirectUris', status('spa'));
    report('keyCredentials', status('keyCredentials'));
    report('requiredResourceAccess', status('requiredResourceAccess'));

    // 3. the service principal, with its tag
    let sp = created ? undefined : input.observed.servicePrincipal;
    if (!sp) {
      sp = (await createServicePrincipal(session, { appId: app.appId, tags: [INTEGRATED_APP_TAG] })) as GraphServicePrincipal;
      const tags = servicePrincipalTags(sp);
      if (tags) await patchServicePrincipal(session, sp.id, { tags });
      report('servicePrincipal', 'created');
    } else {
      const tags = servicePrincipalTags(sp);
      if (tags) await patchServicePrincipal(session, sp.id, { tags });
      report('servicePrincipal', tags ? 'updated' : 'unchanged');
    }

    // 4. admin consent, per resource
    const graphSp = input.observed.graphServicePrincipal;
    if (!graphSp) {
      throw new OperationError(`the Microsoft Graph service principal was not found in tenant ${session.tenant}: admin consent for User.Read cannot be granted`, {
        code: 'graph-principal-missing',
      });
    }
    const grants = sp.id === input.observed.servicePrincipal?.id ? input.observed.grants : [];
    for (const target of CONSENT_TARGETS) {
      const resourceId = target.target === 'Microsoft Graph' ? graphSp.id : sp.id;
      report(stepFor(target), await ensureGrant(session, grants, sp.id, resourceId, target));
    }
    return { appId: app.appId, steps };
  } catch (err) {
    if (steps.some((s) => s.status !== 'unchanged')) {
      session.ctx.log.warn(`apply stopped part-way; already done: ${describeDone(steps)}. Run "entra-portal apply" again to finish (it resumes safely).`);
    }
    throw err;
  }
}

const stepFor = (t: ConsentTarget): StepName => (t.target === 'Microsoft Graph' ? 'consent.microsoftGraph' : 'consent.application');

async function ensureGrant(
  session: GraphSession,
  grants: Observed['grants'],
  clientId: string,
  resourceId: string,
  target: ConsentTarget,
): Promise<StepStatus> {
  const existing = findAllPrincipalsGrant(grants, clientId, resourceId);
  if (!existing) {
    await createGrant(session, { clientId, resourceId, scope: target.scopes.join(' ') });
    return 'created';
  }
  const scope = scopeUnion(existing.scope, target.scopes);
  if (scope === undefined) return 'unchanged';
  await patchGrantScope(session, existing.id, scope);
  return 'updated';
}

async function recordAppId(input: ExecuteInput, app: GraphApplication): Promise<void> {
  try {
    await input.recordAppId(app.appId);
  } catch (err) {
    throw new OperationError(
      `the application '${app.displayName ?? ''}' exists in Entra (appId ${app.appId}) but its appId could not be recorded in the config: ${(err as Error).message}`,
      {
        code: 'config-write-failed',
        cause: err,
        remedy: `Record it with "entra-portal set-app --app-id ${app.appId}", then run "entra-portal apply" again (a rerun also finds it by uniqueName).`,
      },
    );
  }
}
