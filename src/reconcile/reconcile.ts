/**
 * One reconciliation: observe → plan (pure) → [what-if stops here] → execute the plan's writes.
 * When Entra turns out to have changed since the observation (another run registered the same
 * application, or changed what this plan was about to write), execute stops with `StalePlan` and
 * the cycle runs again on a fresh observation — at most MAX_ATTEMPTS times, then exit 75.
 *
 * The same loop serves the provider's application (`reconcile`) and each customer tenant of a
 * multi-tenant one (`reconcileCustomer`: its service principal and consent; docs/service-providers.md).
 */
import { randomUUID } from 'node:crypto';
import { TransientError } from '../errors.js';
import type { GraphSession } from '../graph/session.js';
import { CUSTOMER_ASPECTS, planCustomer, type CustomerPlannedRun } from './customer.js';
import { execute, StalePlan, type StepResult } from './execute.js';
import { observe, observeCustomer } from './observe.js';
import { plan } from './plan.js';
import type { AspectId, DesiredState, Observed, Plan, PlannedRun, PlanOptions, Write } from './types.js';

export const MAX_ATTEMPTS = 3;

/** What every reconciliation is given, whatever it reconciles. */
interface RunInput<R> {
  session: GraphSession;
  prune: boolean;
  whatIf: boolean;
  /** read-only runs: how long to re-read a missing service principal or grant (replication lag) */
  settleMs?: number;
  /** warn when a managed certificate expires within this many days */
  warnDays?: number;
  /** certificates (SHA-1) to remove although unmanaged items are otherwise kept (PlanOptions.retire) */
  retire?: readonly string[];
  /** show a plan (the first, and any made again after a concurrent change) */
  onPlan?: (run: R, attempt: number) => void;
  /** asked before executing a plan; false stops the run before any write */
  confirm?: (run: R) => Promise<boolean>;
  onStep?: (step: StepResult) => void;
}

export interface ReconcileInput extends RunInput<PlannedRun> {
  desired: DesiredState;
  /** record the appId in the config */
  recordAppId: (appId: string) => Promise<void>;
}

export interface ReconcileOutcome<R = PlannedRun> {
  /** the first plan: what was pending when the run started */
  first: R;
  /** the plan last carried out (differs from `first` after a concurrent change) */
  last: R;
  observed: Observed;
  appId?: string;
  steps: StepResult[];
  /** true when a confirmation was declined: nothing was written */
  declined: boolean;
}

/** What one kind of target contributes to the loop: how to read it, how to plan it, which steps it has. */
interface Target<R> {
  observe(): Promise<Observed>;
  plan(observed: Observed, options: PlanOptions): R;
  aspects?: readonly AspectId[];
  recordAppId?: (appId: string) => Promise<void>;
}

async function converge<R extends { plan: Plan; writes: Write[] }>(input: RunInput<R>, target: Target<R>): Promise<ReconcileOutcome<R>> {
  const { session } = input;
  const steps: StepResult[] = [];
  let first: R | undefined;
  for (let attempt = 1; ; attempt++) {
    const observed = await target.observe();
    const run = target.plan(observed, {
      prune: input.prune,
      newScopeId: randomUUID(),
      now: session.ctx.clock.now(),
      ...(input.warnDays !== undefined ? { warnDays: input.warnDays } : {}),
      ...(input.retire?.length ? { retire: input.retire } : {}),
    });
    first ??= run;
    input.onPlan?.(run, attempt);
    const appId = observed.application?.appId ?? observed.providerAppId;
    const done = (declined = false): ReconcileOutcome<R> => ({ first: first!, last: run, observed, ...(appId ? { appId } : {}), steps, declined });
    if (input.whatIf || run.writes.length === 0) return done();
    if (attempt === 1 && input.confirm && !(await input.confirm(run))) return done(true);
    try {
      const outcome = await execute({
        session,
        writes: run.writes,
        observed,
        ...(target.aspects ? { aspects: target.aspects } : {}),
        ...(target.recordAppId ? { recordAppId: target.recordAppId } : {}),
        ...(input.onStep ? { onStep: input.onStep } : {}),
      });
      mergeSteps(steps, outcome.steps);
      // restored from deleted items: observe it and plan the rest against what came back
      if (run.writes.some((w) => w.op === 'restoreDeleted') && attempt < MAX_ATTEMPTS) {
        session.ctx.log.info('restored from deleted items: reading it again to plan the rest');
        continue;
      }
      return { ...done(), appId: outcome.appId };
    } catch (err) {
      if (!(err instanceof StalePlan)) throw err;
      mergeSteps(steps, err.steps);
      if (attempt >= MAX_ATTEMPTS) {
        throw new TransientError(`the application kept changing while apply ran (${err.why}); tried ${attempt} times`, {
          cause: err,
          remedy: 'Another run or administrator is changing the same application: run entra-portal apply again when it has finished.',
        });
      }
      session.ctx.log.info(`Entra changed while applying (${err.why}): reading it again and re-planning.`);
    }
  }
}

/** The provider's application, in the config's tenant: every aspect. */
export async function reconcile(input: ReconcileInput): Promise<ReconcileOutcome> {
  const desired = { ...input.desired };
  return converge(input, {
    observe: async () => (await observe(input.session, desired, input.whatIf ? { settleMs: input.settleMs ?? 0 } : {})).observed,
    plan: (observed, options) => plan(desired, observed, options),
    recordAppId: async (id) => {
      await input.recordAppId(id);
      desired.appId = id;
    },
  });
}

export interface CustomerReconcileInput extends RunInput<CustomerPlannedRun> {
  /** the provider's application (client) id */
  appId: string;
  /** the customer tenant as the config names it (changes carry it) */
  tenant: string;
}

/** One customer tenant: the service principal of the provider's application there, and its consent. */
export async function reconcileCustomer(input: CustomerReconcileInput): Promise<ReconcileOutcome<CustomerPlannedRun>> {
  return converge(input, {
    observe: async () => (await observeCustomer(input.session, input.appId, input.whatIf ? { settleMs: input.settleMs ?? 0 } : {})).observed,
    plan: (observed, options) => planCustomer(observed, { ...options, tenant: input.tenant }),
    aspects: CUSTOMER_ASPECTS,
  });
}

/** Steps of several attempts: one entry per step, the strongest status wins. */
function mergeSteps(into: StepResult[], more: readonly StepResult[]): void {
  const rank = { unchanged: 0, updated: 1, created: 2 } as const;
  for (const s of more) {
    const existing = into.find((x) => x.step === s.step);
    if (!existing) into.push({ ...s });
    else if (rank[s.status] > rank[existing.status]) existing.status = s.status;
  }
}
