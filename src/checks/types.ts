/**
 * test-portal checks: stable ids, one outcome each.
 * The ids and the JSON shape are interface (schemas/test-result.schema.json); never rename them.
 */

export const CHECK_IDS = [
  'config',
  'url.format',
  'url.port',
  'dns',
  'tcp',
  'tls.handshake',
  'tls.expiry',
  'tls.hostname',
  'tls.trust',
  'restapi.settings',
  'entra.app',
  'entra.redirect-uri',
  'entra.certificate',
  'entra.credentials',
  'entra.permissions',
  'entra.consent',
  'entra.sign-in',
  /** one line per customer tenant of a multi-tenant application (each with `tenant`); absent without customers */
  'entra.customer',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One line of the checklist, exactly as `--json` prints it. */
export interface CheckResult {
  id: CheckId;
  /** entra.customer: the customer tenant this line is about */
  tenant?: string;
  status: CheckStatus;
  message: string;
  /** what to do about it; present when the status is not `pass` (except a plain dependency skip) */
  remedy?: string;
  /** machine-readable facts (addresses, certificate fields, registered URIs, …); never secrets */
  details?: Record<string, unknown>;
}

/**
 * What a check's `run` returns: the result without its id, plus data for the checks that depend
 * on it (e.g. the TLS handshake hands the peer certificate to tls.expiry). `data` never reaches
 * the output.
 */
export interface CheckOutcome<D = unknown> {
  status: CheckStatus;
  message: string;
  remedy?: string;
  details?: Record<string, unknown>;
  data?: D;
  /**
   * A `skip` that only means "does not apply here" (DNS for an IPv4 address): checks that depend
   * on it still run. Any other skip, and every fail, blocks the dependents (they are skipped with
   * the reason instead of failing again: no cascades).
   */
  notApplicable?: boolean;
  /**
   * A failure that concerns only this check's own finding, with `data` complete: the checks that
   * depend on it still run (entra.app found the application but its audience differs).
   */
  dependentsMayRun?: boolean;
  /** set by the runner on a dependency skip: the check whose failure (or own skip) started it */
  blockedBy?: CheckId;
}

export interface CheckRunContext {
  /** aborted when the check's time budget is spent or the whole run is cancelled */
  signal: AbortSignal;
  /** the settled outcomes of the declared dependencies */
  dep<D = unknown>(id: CheckId): CheckOutcome<D>;
}

export interface CheckDefinition {
  id: CheckId;
  /** checks that must pass (or warn, or be not-applicable) before this one runs */
  deps: readonly CheckId[];
  /** time budget in ms; when spent the check fails with "timed out" (default: none) */
  timeoutMs?: number;
  /** the failure message when the budget is spent (default "timed out after N s") */
  timeoutMessage?: string;
  /** what the timeout failure should say to do */
  timeoutRemedy?: string;
  run(rc: CheckRunContext): Promise<CheckOutcome>;
}

/** Short constructors so check code reads like the checklist. */
export const pass = (message: string, details?: Record<string, unknown>, data?: unknown): CheckOutcome => ({
  status: 'pass',
  message,
  ...(details ? { details } : {}),
  ...(data !== undefined ? { data } : {}),
});
export const warn = (message: string, remedy?: string, details?: Record<string, unknown>, data?: unknown): CheckOutcome => ({
  status: 'warn',
  message,
  ...(remedy ? { remedy } : {}),
  ...(details ? { details } : {}),
  ...(data !== undefined ? { data } : {}),
});
export const fail = (message: string, remedy?: string, details?: Record<string, unknown>): CheckOutcome => ({
  status: 'fail',
  message,
  ...(remedy ? { remedy } : {}),
  ...(details ? { details } : {}),
});
export const skip = (message: string, options: { remedy?: string; notApplicable?: boolean; details?: Record<string, unknown> } = {}): CheckOutcome => ({
  status: 'skip',
  message,
  ...(options.remedy ? { remedy: options.remedy } : {}),
  ...(options.details ? { details: options.details } : {}),
  ...(options.notApplicable ? { notApplicable: true } : {}),
});
