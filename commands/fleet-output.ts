/** How apply and test-portal show a fleet run: the summary table on stdout, narrations with --verbose. */
import { createColors } from '../src/color.js';
import type { Context } from '../src/context.js';
import { colorLevel } from '../src/context.js';
import type { FleetResult } from '../src/cmdlets/fleet.js';
import { renderFleet } from '../src/fleet/render.js';
import type { FleetVerb } from '../src/fleet/run.js';

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
