/**
 * The test-portal result (schemas/test-result.schema.json) and its exit code. Light on purpose:
 * commands/test-portal.ts imports it at load time.
 */
import { ExitCode } from '../errors.js';
import type { CheckResult } from './types.js';

export interface ChecklistSummary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
}

export interface TestPortalResult {
  /** true when no check failed (warnings allowed) */
  passed: boolean;
  /** the config file tested (absolute) */
  config?: string;
  /** the portal URL, normalised, when the config has a valid one */
  url?: string;
  summary: ChecklistSummary;
  checks: CheckResult[];
}

export function summarize(checks: readonly CheckResult[]): ChecklistSummary {
  const s: ChecklistSummary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

/**
 * 0 when nothing failed (warnings allowed), 2 when a check failed — or, with `strict`, warned (a
 * scheduler that must hear about an expiring certificate) — and 65 when the config file itself is
 * invalid or missing (an InputError from loading it: a typo in the file is not "the portal is
 * broken", and a monitor must be able to tell the two apart).
 */
export function testPortalExitCode(result: TestPortalResult, options: { strict?: boolean } = {}): number {
  const config = result.checks.find((c) => c.id === 'config');
  if (config?.status === 'fail' && config.details?.inputError === true) return ExitCode.InvalidInput;
  if (!result.passed) return ExitCode.Drift;
  return options.strict && result.summary.warn > 0 ? ExitCode.Drift : ExitCode.Ok;
}
