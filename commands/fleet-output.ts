/** How apply and test-portal show a fleet run: the summary table on stdout, narrations with --verbose. */
import { createColors } from '../src/color.js';
import type { Context } from '../src/context.js';
import { colorLevel } from '../src/context.js';
import type { AuthMode } from '../src/cloud/auth-modes.js';
import type { FleetResult, FleetRunInput } from '../src/cmdlets/fleet.js';
import { UsageError } from '../src/errors.js';
import { renderFleet } from '../src/fleet/render.js';
import type { FleetVerb } from '../src/fleet/run.js';

/** What every fleet run takes from the command line (-c, --parallel, --report, --auth, --trust-endpoint). */
export interface FleetArgs {
  config?: string[];
  parallel: number;
  report?: string;
  auth: AuthMode;
  trustEndpoint?: string[];
}

export function fleetRunInput(args: FleetArgs): FleetRunInput {
  return {
    configs: args.config ?? [],
    parallel: args.parallel,
    ...(args.report ? { report: args.report } : {}),
    auth: args.auth,
    ...(args.trustEndpoint ? { trustEndpoint: args.trustEndpoint } : {}),
  };
}

/**
 * One config is the single-config run, which writes no report: `--report` there would be silently
 * skipped (a cron job would never notice), so it is refused.
 */
export function refuseReportForOneConfig(verb: FleetVerb, args: Pick<FleetArgs, 'report'>): void {
  if (args.report === undefined) return;
  throw new UsageError(`${verb}: --report is written by a fleet run, and this run has one config`, {
    remedy: "Give -c more than once or as a quoted pattern (-c 'servers/*.json5'; a pattern that matches one file is a fleet of one), or leave out --report and use --json.",
  });
}

export function isFleetResult(r: object): r is FleetResult {
  return (r as { fleet?: unknown }).fleet === true;
}

export function renderFleetFor(verb: FleetVerb, result: FleetResult, ctx: Context, args?: { color?: boolean }): string {
  if (ctx.verbosity === 'verbose') {
    for (const r of result.results) if (r.log) ctx.stderr.write(`\n── ${r.config}\n${r.log}`);
  }
  const color = createColors(colorLevel(ctx.stdout, ctx.env, args?.color === false ? false : undefined));
  const columns = ctx.stdout.isTTY ? (ctx.stdout as { columns?: number }).columns : undefined;
  return renderFleet(verb, result, { color, cwd: ctx.cwd, ...(columns ? { columns } : {}) });
}
