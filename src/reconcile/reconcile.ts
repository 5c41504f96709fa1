/**
 * One reconciliation: observe → plan (pure) → [what-if stops here] → execute the plan's writes.
 * When Entra turns out to have changed since the observation (another run registered the same
 * application, or changed what this plan was about to write), execute stops with `StalePlan` and
 * the cycle runs again on a fresh observation — at most MAX_ATTEMPTS times, then exit 75.
 */
import { randomUUID } from 'node:crypto';
import { TransientError } from '../errors.js';
import type { GraphSession } from '../graph/session.js';
import { execute, StalePlan, type StepResult } from './execute.js';
import { observe } from './observe.js';
import { plan } from './plan.js';
import type { DesiredState, Observed, PlannedRun } from './types.js';

export const MAX_ATTEMPTS = 3;

export interface ReconcileInput {
  session: GraphSession;
  desired: DesiredState;
  prune: boolean;
  whatIf: boolean;
  /** read-only runs: how long to re-read a missing service principal or grant (replication lag) */
  settleMs?: number;
  /** warn when a managed certificate expires within this many days */
  warnDays?: number;
  /** record the appId in the config */
  recordAppId: (appId: string) => Promise<void>;
  /** show a plan (the first, and any made again after a concurrent change) */
  onPlan?: (run: PlannedRun, attempt: number) => void;
  /** asked before executing a plan; false stops the run before any write */
  confirm?: (run: PlannedRun) => Promise<boolean>;
  onStep?: (step: StepResult) => void;
}

export interface ReconcileOutcome {
  /** the first plan: what was pending when the run started */
  first: PlannedRun;
  /** the plan last carried out (differs from `first` after a concurrent change) */
  last: PlannedRun;
  observed: Observed;
  appId?: string;
  steps: StepResult[];
  /** true when a confirmation was declined: nothing was written */
  declined: boolean;
}

export async function reconcile(input: ReconcileInput): Promise<ReconcileOutcome> {
  const { session } = input;
  const desired = { ...input.desired };
  const steps: StepResult[] = [];
  let first: PlannedRun | undefined;
  for (let attempt = 1; ; attempt++) {
    const { observed } = await observe(session, desired, input.whatIf ? { settleMs: input.settleMs ?? 0 } : {});
    const run = plan(desired, observed, {
      prune: input.prune,
      newScopeId: randomUUID(),
      now: session.ctx.clock.now(),
      ...(input.warnDays !== undefined ? { warnDays: input.warnDays } : {}),
    });
    first ??= run;
    input.onPlan?.(run, attempt);
    const appId = observed.application?.appId;
    const done = (declined = false): ReconcileOutcome => ({ first: first!, last: run, observed, ...(appId ? { appId } : {}), steps, declined });
    if (input.whatIf || run.writes.length === 0) return done();
    if (attempt === 1 && input.confirm && !(await input.confirm(run))) return done(true);
    try {
      const outcome = await execute({
        session,
        writes: run.writes,
        observed,
        recordAppId: async (id) => {
          await input.recordAppId(id);
          desired.appId = id;
        },
        ...(input.onStep ? { onStep: input.onStep } : {}),
      });
      mergeSteps(steps, outcome.steps);
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

/** Steps of several attempts: one entry per step, the strongest status wins. */
function mergeSteps(into: StepResult[], more: readonly StepResult[]): void {
  const rank = { unchanged: 0, updated: 1, created: 2 } as const;
  for (const s of more) {
    const existing = into.find((x) => x.step === s.step);
    if (!existing) into.push({ ...s });
    else if (rank[s.status] > rank[existing.status]) existing.status = s.status;
  }
}
