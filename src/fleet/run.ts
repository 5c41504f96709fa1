/**
 * Fleets: `apply` or `test-portal` over many configs in one process — concurrently (`--parallel`,
 * default 8), on shared sessions (one HTTP agent and token cache per cloud, tenant and sign-in; one
 * embedded emulator per folder), with one result per config and one summary. A config that does
 * not load, or whose run fails, is one failed result: it never stops the others.
 *
 * Each config's own narration (its plan, its checklist) is captured, not interleaved on stderr: it
 * is in the result (`log`), and `--verbose` prints it after the run.
 */
import { createContext, type Context, type TextSink } from '../context.js';
import { EntraPortalError, ExitCode, exitCodeFor, formatProblem, InputError, InterruptedError, UsageError } from '../errors.js';
import type { ApplyInput, ApplyResult } from '../cmdlets/apply.js';
import type { TestPortalInput, TestPortalResult } from '../cmdlets/test-portal.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { LoadedConfig } from '../config/index.js';
import { certificateHealth } from '../reconcile/aspects/certificates.js';
import { loadDesired } from '../reconcile/desired.js';
import { describeChange } from '../reconcile/describe.js';
import { symbolFor } from '../reconcile/render.js';
import { displayPath } from '../util/paths.js';
import type { SharedApplication } from './claims.js';
import { sessionPool, type SessionPool } from './sessions.js';

export type FleetVerb = 'apply' | 'test-portal';

export type FleetStatus =
  /** apply: Entra matched the config; test-portal: every check passed (warnings allowed) */
  | 'ok'
  /** apply: changes made (and nothing left over) */
  | 'changed'
  /** apply --what-if: changes pending; apply: unmanaged items kept; test-portal: a check failed */
  | 'drift'
  /** the config did not load, or the run failed */
  | 'failed';

export interface FleetCertificate {
  thumbprint: string;
  notAfter: string;
  daysLeft: number;
}

export interface FleetEntry {
  /** absolute path of the config */
  config: string;
  tenant?: string;
  appId?: string;
  status: FleetStatus;
  /** what this config alone would have exited with */
  exitCode: number;
  /** one line per difference (apply) or failing check (test-portal; with --strict, each warning too) */
  findings: string[];
  certificate?: FleetCertificate;
  /** the verb's usual result */
  result?: ApplyResult | TestPortalResult;
  error?: { code: string; message: string; exitCode: number; remedy?: string };
  /** the run's own stderr narration (plan, checklist, warnings), without colour */
  log: string;
  durationMs: number;
}

export interface FleetSummary {
  total: number;
  inSync: number;
  changed: number;
  drift: number;
  failed: number;
}

export interface FleetResult {
  /** always true: tells a fleet document from a single config's */
  fleet: true;
  results: FleetEntry[];
  summary: FleetSummary;
  exitCode: number;
}

export interface FleetInput {
  verb: FleetVerb;
  /** absolute config paths */
  configs: readonly string[];
  /** at most this many configs at once (default 8) */
  parallel?: number;
  auth?: AuthMode;
  propagationTimeout?: number;
  /** apply's options */
  apply?: Pick<ApplyInput, 'whatIf' | 'detailedExitcode' | 'prune' | 'yes'>;
  /** test-portal's options */
  /** test-portal's options; `strict`: a warning makes that config's exit code 2 */
  testPortal?: Pick<TestPortalInput, 'timeout' | 'store' | 'warnDays' | 'ca'> & { strict?: boolean };
  /** configs that a pattern did not match: each is a failed entry */
  unmatched?: readonly string[];
}

export const DEFAULT_PARALLEL = 8;

function bufferSink(): TextSink & { text(): string } {
  let text = '';
  return { write: (s: string) => ((text += s), true), isTTY: false, text: () => text };
}

/** Run the verb over every config; never throws for one config's failure. */
export async function runFleet(input: FleetInput, parent: Context): Promise<FleetResult> {
  const parallel = input.parallel ?? DEFAULT_PARALLEL;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError(`--parallel must be a whole number from 1 to 64 (got ${String(input.parallel)})`);
  if (input.verb === 'apply' && input.apply?.prune && !input.apply.yes && !input.apply.whatIf && parent.stdin.isTTY && parent.stderr.isTTY) {
    throw new UsageError('apply --prune over several configs cannot ask for each one: add --yes to remove what the configs do not describe');
  }
  // the pool's sessions log retries and waits on the fleet's stderr (quietly: progress only)
  const signal = parent.signal ? { signal: parent.signal } : {};
  const pool = sessionPool(createContext({ cwd: parent.cwd, env: parent.env, stderr: parent.stderr, stdout: bufferSink(), stdin: parent.stdin, clock: parent.clock, verbosity: parent.verbosity === 'verbose' ? 'verbose' : 'quiet', ...signal }), {
    ...(input.auth ? { auth: input.auth } : {}),
    ...(input.propagationTimeout ? { propagationTimeout: input.propagationTimeout } : {}),
  });
  // apply only: test-portal reads, and two configs reading one application harm nothing
  const { sharedApplications } = await import('./claims.js');
  const shared = input.verb === 'apply' ? await sharedApplications(input.configs) : new Map<string, SharedApplication>();
  const results: FleetEntry[] = new Array(input.configs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      // Ctrl-C / SIGTERM: the configs running stop at their next step (their context has the signal); no other starts
      if (parent.signal?.aborted) return;
      const i = next++;
      if (i >= input.configs.length) return;
      const path = input.configs[i]!;
      const same = shared.get(path);
      results[i] = same ? sameApplicationEntry(path, same, parent) : await runOne(input, path, pool, parent);
      done++;
      // on a terminal a live count; in a log, one line at the start is enough
      if (parent.stderr.isTTY) parent.log.progress(`${input.verb}: ${done} of ${input.configs.length} configs done`);
    }
  };
  if (!parent.stderr.isTTY) parent.log.info(`${input.verb}: ${input.configs.length} config${input.configs.length === 1 ? '' : 's'}, ${Math.min(parallel, input.configs.length)} at a time`);
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, input.configs.length) }, worker));
  } finally {
    parent.log.done();
    await pool.close();
  }
  if (parent.signal?.aborted) throw stoppedFleet(input, results, parent);
  for (const pattern of input.unmatched ?? []) {
    results.push({
      config: pattern,
      status: 'failed',
      exitCode: ExitCode.InvalidInput,
      findings: [`no config file matches ${pattern}`],
      error: { code: 'no-match', message: `no config file matches ${pattern}`, exitCode: ExitCode.InvalidInput, remedy: 'Quote the pattern so the shell does not expand it, and check the folder' },
      log: '',
      durationMs: 0,
    });
  }
  const summary = summarizeFleet(results);
  return { fleet: true, results, summary, exitCode: fleetExitCode(results, input) };
}

/** A config that names the same application as another of the fleet: not run (65). */
function sameApplicationEntry(path: string, same: SharedApplication, parent: Context): FleetEntry {
  const message = `the same application as ${displayPath(same.other, parent.cwd)} (${same.by}): two configs for one application undo each other's changes (with --prune, remove each other's redirect URI), so neither was run`;
  return {
    config: path,
    status: 'failed',
    exitCode: ExitCode.InvalidInput,
    findings: [message],
    error: {
      code: 'same-application',
      message,
      exitCode: ExitCode.InvalidInput,
      remedy: 'Keep one config per application: merge the two (another portal address goes in application.extraRedirectUris), or give one its own application.uniqueName and remove its application.appId.',
    },
    log: '',
    durationMs: 0,
  };
}

/** Stopped by a signal: which configs finished, which stopped in the middle (with what they did), which never started. */
function stoppedFleet(input: FleetInput, results: readonly (FleetEntry | undefined)[], parent: Context): InterruptedError {
  const shown = (path: string) => displayPath(path, parent.cwd);
  const finished: string[] = [];
  const stopped: string[] = [];
  const notStarted: string[] = [];
  input.configs.forEach((path, i) => {
    const r = results[i];
    if (!r) notStarted.push(shown(path));
    else if (r.error?.code === 'interrupted') stopped.push(`${shown(path)} (${r.error.message})`);
    else finished.push(shown(path));
  });
  const signal = InterruptedError.from(parent.signal?.reason).signal;
  const parts = [
    `${finished.length} of ${input.configs.length} configs finished${finished.length ? ` (${finished.join(', ')})` : ''}`,
    ...(stopped.length ? [`stopped: ${stopped.join('; ')}`] : []),
    ...(notStarted.length ? [`not started: ${notStarted.join(', ')}`] : []),
  ];
  return InterruptedError.from(parent.signal?.reason, `${input.verb} stopped (${signal}): ${parts.join('; ')}`, {
    remedy: `Run the same command again: every config's ${input.verb} is safe to repeat${input.verb === 'apply' ? ' (apply reads what Entra holds now and finishes the rest)' : ''}.`,
  });
}

export function summarizeFleet(results: readonly FleetEntry[]): FleetSummary {
  const count = (s: FleetStatus) => results.filter((r) => r.status === s).length;
  return { total: results.length, inSync: count('ok'), changed: count('changed'), drift: count('drift'), failed: count('failed') };
}

/** 1 if any config failed; else 2 if any drifted (apply: with --detailed-exitcode) or a check failed; else 0. */
export function fleetExitCode(results: readonly FleetEntry[], input: Pick<FleetInput, 'verb' | 'apply'>): number {
  if (results.some((r) => r.status === 'failed')) return ExitCode.Failed;
  const driftCounts = input.verb === 'test-portal' || input.apply?.detailedExitcode === true;
  if (driftCounts && results.some((r) => r.status === 'drift' || r.status === 'changed')) return ExitCode.Drift;
  return ExitCode.Ok;
}

async function runOne(input: FleetInput, path: string, pool: SessionPool, parent: Context): Promise<FleetEntry> {
  const started = parent.clock.now();
  const stderr = bufferSink();
  const ctx = createContext({ cwd: parent.cwd, env: parent.env, stderr, stdout: bufferSink(), stdin: parent.stdin, clock: parent.clock, verbosity: parent.verbosity, colorEnabled: false, ...(parent.signal ? { signal: parent.signal } : {}) });
  const entry: FleetEntry = { config: path, status: 'failed', exitCode: ExitCode.Failed, findings: [], log: '', durationMs: 0 };
  try {
    const { loadConfig } = await import('../config/index.js');
    const loaded = await loadConfig(path);
    if (loaded.config.tenant) entry.tenant = loaded.config.tenant;
    if (loaded.config.application?.appId) entry.appId = loaded.config.application.appId;
    const certificate = await certificateOf(loaded, ctx.clock.now());
    if (certificate) entry.certificate = certificate;
    if (input.verb === 'apply') {
      const { apply } = await import('../cmdlets/apply.js');
      const session = await pool.get(loaded, ctx);
      const r = await apply({ ...input.apply, config: path, session, ...(input.propagationTimeout ? { propagationTimeout: input.propagationTimeout } : {}) }, ctx);
      Object.assign(entry, fromApply(r));
      entry.tenant = r.tenant;
    } else {
      const { testPortal, testPortalExitCode } = await import('../cmdlets/test-portal.js');
      const { strict, ...options } = input.testPortal ?? {};
      const r = await testPortal({ ...options, config: path, ...(input.auth ? { auth: input.auth } : {}), openSession: (l, c) => pool.get(l, c) }, ctx);
      entry.result = r;
      entry.exitCode = testPortalExitCode(r, { strict: strict === true });
      entry.status = entry.exitCode === ExitCode.Ok ? 'ok' : entry.exitCode === ExitCode.InvalidInput ? 'failed' : 'drift';
      // with --strict a warning fails the config as a failed check does: it is a finding too
      entry.findings = r.checks.filter((c) => c.status === 'fail' || (strict === true && c.status === 'warn')).map((c) => `${c.id}: ${c.message}${c.remedy ? ` → ${c.remedy}` : ''}`);
    }
  } catch (err) {
    entry.status = 'failed';
    entry.exitCode = exitCodeFor(err);
    const problems = err instanceof InputError ? err.problems.map(formatProblem) : [];
    // a config's problems already name the file (file:line:col)
    const message = problems.length ? problems.join('; ') : err instanceof Error ? err.message : String(err);
    entry.error = {
      code: err instanceof EntraPortalError ? err.code : 'internal',
      message,
      exitCode: entry.exitCode,
      ...(err instanceof EntraPortalError && err.remedy ? { remedy: err.remedy } : {}),
    };
    entry.findings = [message];
  }
  entry.log = stderr.text();
  entry.durationMs = parent.clock.now() - started;
  return entry;
}

function fromApply(r: ApplyResult): Partial<FleetEntry> {
  const pending = r.plan.changes.filter((c) => c.action !== 'keep');
  // a customer tenant that needs consent or failed (docs/service-providers.md) makes the config's run incomplete
  const stuck = (r.customers ?? []).filter((c) => c.status === 'needs-consent' || c.status === 'failed');
  const status: FleetStatus = stuck.length ? 'failed' : r.inSync ? 'ok' : r.whatIf || r.kept.length > 0 ? 'drift' : 'changed';
  const made = pending.length ? [`${pending.length} change${pending.length === 1 ? '' : 's'} made`] : [];
  // after a real run what still differs is what was kept; with --what-if, every pending change
  const differs = r.whatIf ? r.plan.changes : r.kept;
  const findings = [
    ...stuck.map((c) => `${c.message}${c.consentUrl ? ` → consent URL ${c.consentUrl}` : c.remedy ? ` → ${c.remedy}` : ''}`),
    ...differs.map((c) => `${symbolFor(c)} ${c.tenant ? `${c.tenant}: ` : ''}${describeChange(c, { verbs: false })}`),
    ...(r.whatIf ? [] : made),
  ];
  return {
    result: r,
    status,
    exitCode: r.exitCode,
    findings: status === 'changed' ? made : findings,
    ...(r.appId ? { appId: r.appId } : {}),
  };
}

/** The configured certificate's expiry, read from certificate.file (no network). */
async function certificateOf(loaded: LoadedConfig, now: number): Promise<FleetCertificate | undefined> {
  if (!loaded.config.certificate?.file) return undefined;
  try {
    const desired = await loadDesired(loaded.config, loaded.dir);
    const current = certificateHealth(desired.certificates, now).find((h) => h.role === 'current');
    return current ? { thumbprint: current.thumbprint, notAfter: current.notAfter, daysLeft: current.daysLeft } : undefined;
  } catch {
    // the run itself reports an unreadable certificate
    return undefined;
  }
}
