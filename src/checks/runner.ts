/**
 * A small check-graph runner. Each check declares what it depends on; every check starts as soon
 * as its dependencies have settled, so independent chains (network, Entra) run concurrently.
 * A check whose dependency failed or was skipped is itself skipped, naming the root cause — a
 * broken DNS name yields one failure, not six.
 *
 * Time: a check with `timeoutMs` is aborted through its AbortSignal when the budget is spent and
 * reported as failed; checks must release their sockets on abort, so nothing keeps the process alive.
 *
 * A UsageError thrown by a check (a bad environment variable that stands in for an option) is not
 * a failing check: once every check has settled, runChecks throws it, and the run exits 64, not 2.
 */
import { EntraPortalError, UsageError } from '../errors.js';
import type { CheckDefinition, CheckId, CheckOutcome, CheckResult } from './types.js';

export interface RunChecksOptions {
  /** cancels every check still running (e.g. Ctrl-C) */
  signal?: AbortSignal;
}

export interface RunChecksResult {
  results: CheckResult[];
  /** the outcomes with their data, for callers that need more than the checklist */
  outcomes: Map<CheckId, CheckOutcome>;
}

/** Is this outcome good enough for a dependent check to run? */
export function satisfies(o: CheckOutcome): boolean {
  return o.status === 'pass' || o.status === 'warn' || o.dependentsMayRun === true || (o.status === 'skip' && o.notApplicable === true);
}

export async function runChecks(defs: readonly CheckDefinition[], options: RunChecksOptions = {}): Promise<RunChecksResult> {
  const byId = new Map(defs.map((d) => [d.id, d] as const));
  for (const d of defs) {
    for (const dep of d.deps) if (!byId.has(dep)) throw new Error(`check ${d.id} depends on unknown check ${dep}`);
  }
  const promises = new Map<CheckId, Promise<CheckOutcome>>();
  const usage: UsageError[] = [];
  const start = (def: CheckDefinition, path: CheckId[]): Promise<CheckOutcome> => {
    const existing = promises.get(def.id);
    if (existing) return existing;
    if (path.includes(def.id)) throw new Error(`check dependency cycle: ${[...path, def.id].join(' → ')}`);
    const depPromises = def.deps.map((dep) => start(byId.get(dep)!, [...path, def.id]));
    const p = (async () => {
      const settled = await Promise.all(depPromises);
      const blocker = def.deps.find((_, i) => !satisfies(settled[i]!));
      if (blocker !== undefined) {
        // name the root cause, not the last link: "skipped: tcp failed", not "tls.handshake was skipped"
        const o = settled[def.deps.indexOf(blocker)]!;
        const root = o.blockedBy ?? blocker;
        const rootOutcome = o.blockedBy ? (await promises.get(o.blockedBy))! : o;
        return {
          status: 'skip',
          message: `skipped: ${root} ${rootOutcome.status === 'fail' ? 'failed' : 'was skipped'}`,
          blockedBy: root,
        } satisfies CheckOutcome;
      }
      const outcomes = new Map(def.deps.map((dep, i) => [dep, settled[i]!] as const));
      return runOne(def, outcomes, options.signal, usage);
    })();
    promises.set(def.id, p);
    return p;
  };
  for (const def of defs) start(def, []);
  const outcomes = new Map<CheckId, CheckOutcome>();
  const results: CheckResult[] = [];
  for (const def of defs) {
    const o = await promises.get(def.id)!;
    outcomes.set(def.id, o);
    results.push(toResult(def.id, o));
  }
  if (usage[0]) throw usage[0];
  return { results, outcomes };
}

function toResult(id: CheckId, o: CheckOutcome): CheckResult {
  return {
    id,
    status: o.status,
    message: o.message,
    ...(o.remedy ? { remedy: o.remedy } : {}),
    ...(o.details && Object.keys(o.details).length ? { details: o.details } : {}),
  };
}

async function runOne(def: CheckDefinition, deps: Map<CheckId, CheckOutcome>, outer: AbortSignal | undefined, usage: UsageError[]): Promise<CheckOutcome> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) return { status: 'skip', message: 'skipped: the run was cancelled' };
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const rc = {
    signal: controller.signal,
    dep: <D>(id: CheckId) => {
      const o = deps.get(id);
      if (!o) throw new Error(`check ${def.id} read ${id}, which it does not declare as a dependency`);
      return o as CheckOutcome<D>;
    },
  };
  const work = def.run(rc).catch((err: unknown) => {
    if (err instanceof UsageError) usage.push(err);
    return failureFromError(err, controller.signal);
  });
  const racers: Promise<CheckOutcome>[] = [work];
  if (def.timeoutMs !== undefined) {
    racers.push(
      new Promise<CheckOutcome>((resolve) => {
        timer = setTimeout(() => {
          controller.abort(new Error('timeout'));
          resolve({
            status: 'fail',
            message: def.timeoutMessage ?? `timed out after ${formatSeconds(def.timeoutMs!)}`,
            ...(def.timeoutRemedy ? { remedy: def.timeoutRemedy } : {}),
          });
        }, def.timeoutMs);
      }),
    );
  }
  try {
    return await Promise.race(racers);
  } finally {
    if (timer) clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    // a check that is still working after the race (it lost to the timeout) is told to stop
    if (!controller.signal.aborted) controller.abort(new Error('done'));
  }
}

function failureFromError(err: unknown, signal: AbortSignal): CheckOutcome {
  if (signal.aborted && (signal.reason as Error | undefined)?.message === 'timeout') {
    return { status: 'fail', message: 'timed out' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: 'fail',
    message,
    ...(err instanceof EntraPortalError && err.remedy ? { remedy: err.remedy } : {}),
  };
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
