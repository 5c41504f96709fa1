/**
 * Execute: perform the plan's writes, in order, exactly as planned. The only thing execute adds is
 * binding the references (`{{app.id}}`, `{{app.appId}}`, `{{sp.id}}`) to the objects earlier writes
 * of the same run created.
 *
 * A plan is made from one observation. When a write shows that Entra changed in between — the
 * upsert found the application already there (another run created it, or lag hid it from the
 * read), or Entra refuses a write because of another run's write (409, CannotDeleteOrUpdate…) —
 * execute stops with `StalePlan`, and `reconcile` observes and plans again (bounded).
 *
 * Idempotent: a crash or dropped response anywhere, then a rerun, converges with exactly one
 * application — the uniqueName upsert cannot create a second one.
 */
import { InputError, OperationError } from '../errors.js';
import { certificateLimit, POLICY_REFUSED } from '../graph/app-policy.js';
import {
  createGrant,
  createServicePrincipal,
  deleteAppRoleAssignment,
  deleteFederatedCredential,
  deleteGrant,
  patchApplication,
  patchGrantScope,
  patchServicePrincipal,
  removePassword,
  removeServicePrincipalPassword,
  restoreDeletedItem,
  addApplicationOwner,
  removeApplicationOwner,
  upsertApplicationByUniqueName,
} from '../graph/api.js';
import { GraphCallError } from '../graph/errors.js';
import type { GraphSession } from '../graph/session.js';
import { ASPECTS, REF, type AspectId, type Observed, type Write } from './types.js';

export type StepName = AspectId | 'config';
export type StepStatus = 'unchanged' | 'created' | 'updated';

export interface StepResult {
  step: StepName;
  status: StepStatus;
}

/** Entra changed since the observation the plan was made from: observe and plan again. */
export class StalePlan extends Error {
  /** the steps done before the plan went stale (set by execute) */
  steps: StepResult[] = [];
  constructor(
    readonly why: string,
    options?: { cause?: unknown },
  ) {
    super(`the plan is out of date: ${why}`, options);
    this.name = 'StalePlan';
  }
}

export interface ExecuteInput {
  session: GraphSession;
  writes: readonly Write[];
  observed: Observed;
  /** the steps to report (default: every aspect; a customer tenant has two) */
  aspects?: readonly AspectId[];
  /** records the appId in the config; called right after a create, and whenever the config lacks it */
  recordAppId?: (appId: string) => Promise<void>;
  /** live per-step report (human output) */
  onStep?: (result: StepResult) => void;
}

export interface ExecuteOutcome {
  appId: string;
  steps: StepResult[];
}

/** Says what was done (for a step that fails after earlier ones changed Entra). */
export function describeDone(steps: readonly StepResult[]): string {
  const done = steps.filter((s) => s.status !== 'unchanged').map((s) => `${s.step} ${s.status}`);
  return done.length ? done.join(', ') : 'nothing';
}

interface Bindings {
  appObjectId?: string;
  appId?: string;
  spId?: string;
}

/** Replace the references in a planned value by what this run created. */
export function bind<T>(value: T, b: Bindings): T {
  const text = JSON.stringify(value);
  if (!text.includes('{{')) return value;
  const replaced = text.replace(/\{\{(app\.id|app\.appId|sp\.id)\}\}/g, (ref) => {
    const v = ref === REF.appObjectId ? b.appObjectId : ref === REF.appId ? b.appId : b.spId;
    if (!v) throw new OperationError(`internal: ${ref} is used before it exists`);
    return v;
  });
  return JSON.parse(replaced) as T;
}

const STEP_ORDER: readonly StepName[] = ['application', 'config', ...ASPECTS.slice(1)];

const aspectsOf = (w: Write): StepName[] => (w.aspects?.length ? w.aspects : [w.aspect]);

export async function execute(input: ExecuteInput): Promise<ExecuteOutcome> {
  const { session, writes } = input;
  const known = input.observed.application?.appId ?? input.observed.providerAppId;
  const b: Bindings = {
    ...(input.observed.application ? { appObjectId: input.observed.application.id } : {}),
    ...(known ? { appId: known } : {}),
    ...(input.observed.servicePrincipal ? { spId: input.observed.servicePrincipal.id } : {}),
  };
  const status = new Map<StepName, StepStatus>();
  const last = new Map<StepName, number>();
  writes.forEach((w, i) => aspectsOf(w).forEach((a) => last.set(a, i)));
  const steps: StepResult[] = [];
  const report = (step: StepName) => {
    const r = { step, status: status.get(step) ?? 'unchanged' };
    steps.push(r);
    input.onStep?.(r);
  };
  const mark = (w: Write, s: StepStatus) => {
    for (const a of aspectsOf(w)) if (status.get(a) !== 'created') status.set(a, s);
  };

  try {
    for (const [i, w] of writes.entries()) {
      mark(w, await perform(input, w, b));
      for (const a of aspectsOf(w)) if (last.get(a) === i) report(a);
    }
    for (const a of input.aspects ?? ASPECTS) if (!last.has(a)) report(a);
    if (!b.appId) throw new OperationError('internal: the plan registered no application');
    // reported live in the order done; returned in the order of the aspects
    return { appId: b.appId, steps: steps.sort((x, y) => STEP_ORDER.indexOf(x.step) - STEP_ORDER.indexOf(y.step)) };
  } catch (err) {
    if (err instanceof StalePlan) err.steps = steps;
    else if (steps.some((s) => s.status !== 'unchanged')) {
      // invalid input (an owner that does not exist) stops every rerun at the same place until it is fixed
      const then = err instanceof InputError ? 'Once the error below is fixed, run "entra-portal apply" again to finish' : 'Run "entra-portal apply" again to finish';
      session.ctx.log.warn(`apply stopped part-way; already done: ${describeDone(steps)}. ${then} (it resumes safely).`);
    }
    throw err;
  }
}

async function perform(input: ExecuteInput, planned: Write, b: Bindings): Promise<StepStatus> {
  const s = input.session;
  const w = bind(planned, b);
  try {
    switch (w.op) {
      case 'upsertApplication': {
        const { created, application } = await upsertApplicationByUniqueName(s, w.uniqueName, w.body);
        b.appObjectId = application.id;
        b.appId = application.appId;
        if (!created) {
          // it was there after all: record it (crash safety), then plan against what Entra holds
          await recordAppId(input, application.appId, application.displayName);
          throw new StalePlan(`application '${w.uniqueName}' already exists (created by another run, or not yet visible when read)`);
        }
        return 'created';
      }
      case 'recordAppId':
        await recordAppId(input, b.appId!, undefined);
        return 'updated';
      case 'patchApplication':
        await patchApplication(s, b.appObjectId!, w.body);
        return 'updated';
      case 'removePassword':
        await removePassword(s, b.appObjectId!, w.keyId);
        return 'updated';
      case 'removeServicePrincipalPassword':
        await removeServicePrincipalPassword(s, b.spId!, w.keyId);
        return 'updated';
      case 'deleteFederatedCredential':
        await deleteFederatedCredential(s, b.appObjectId!, w.id);
        return 'updated';
      case 'createServicePrincipal': {
        const sp = await createServicePrincipal(s, w.body);
        b.spId = sp.id;
        return 'created';
      }
      case 'patchServicePrincipal':
        await patchServicePrincipal(s, b.spId!, w.body);
        return 'updated';
      case 'createGrant':
        await createGrant(s, w.body);
        return 'created';
      case 'patchGrant':
        await patchGrantScope(s, w.grantId, w.scope);
        return 'updated';
      case 'deleteGrant':
        await deleteGrant(s, w.grantId);
        return 'updated';
      case 'deleteAppRoleAssignment':
        await deleteAppRoleAssignment(s, w.servicePrincipalId, w.assignmentId);
        return 'updated';
      case 'addOwner':
        await addApplicationOwner(s, b.appObjectId!, w.ownerId, b.appId);
        return 'updated';
      case 'removeOwner':
        await removeApplicationOwner(s, b.appObjectId!, w.ownerId);
        return 'updated';
      case 'restoreDeleted': {
        const restored = await restoreDeletedItem(s, w.id, w.kind);
        if (w.kind === 'servicePrincipal') b.spId = restored.id;
        else {
          b.appObjectId = restored.id;
          b.appId = String(restored.appId);
        }
        return 'updated';
      }
    }
  } catch (err) {
    if (err instanceof GraphCallError && err.graphCode === POLICY_REFUSED) throw await policyRefusal(s, b.appObjectId, err);
    if (isConcurrentChange(err)) throw new StalePlan(`Entra refused a write another run's change made out of date (${(err as GraphCallError).graphCode})`, { cause: err });
    throw err;
  }
}

/**
 * The tenant's app management policy refused a certificate as too long-lived: the input is at fault
 * (exit 65), with the limit when the policy can be read and the way to a certificate that fits.
 */
async function policyRefusal(s: GraphSession, appObjectId: string | undefined, err: GraphCallError): Promise<InputError> {
  const limit = await certificateLimit(s, appObjectId ? { id: appObjectId } : undefined).catch(() => null);
  const policy = /policy '([^']+)'/.exec(err.graphMessage)?.[1];
  const days = limit ? `${limit.maxDays} days` : 'a shorter lifetime (its limit could not be read: Policy.Read.All)';
  return new InputError(
    `Microsoft Entra refused the certificate: the tenant's app management policy${policy ? ` '${policy}'` : ''} allows certificates of at most ${days}, and this one is valid longer (${err.graphCode})`,
    {
      code: 'certificate-lifetime-policy',
      cause: err,
      remedy: `Make a certificate that fits: entra-portal install-cert --generate --validity-days ${limit?.maxDays ?? '<days>'} --apply${limit ? '' : ' (ask the tenant administrator for the limit)'}`,
    },
  );
}

/** Refusals caused by another writer changing the object since it was read. */
function isConcurrentChange(err: unknown): boolean {
  if (!(err instanceof GraphCallError)) return false;
  if (err.status === 409 || err.status === 412) return true;
  return err.status === 400 && /CannotDeleteOrUpdateEnabledEntitlement/i.test(`${err.graphCode} ${err.graphMessage}`);
}

async function recordAppId(input: ExecuteInput, appId: string, displayName: string | undefined): Promise<void> {
  if (!input.recordAppId) throw new OperationError('internal: the plan records an appId, but this run cannot');
  try {
    await input.recordAppId(appId);
  } catch (err) {
    throw new OperationError(
      `the application${displayName ? ` '${displayName}'` : ''} exists in Entra (appId ${appId}) but its appId could not be recorded in the config: ${(err as Error).message}`,
      {
        code: 'config-write-failed',
        cause: err,
        remedy: `Record it with "entra-portal set-app --app-id ${appId}", then run "entra-portal apply" again (a rerun also finds it by uniqueName).`,
      },
    );
  }
}
