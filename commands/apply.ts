import { defineCommand } from '../src/cli/command.js';
import { APPLY_RUN_OPTIONS, FLEET_OPTIONS } from '../src/cli/options.js';
import { escapeControl } from '../src/util/text.js';
import type { ApplyResult } from '../src/cmdlets/apply.js';
import type { ChainedApplyOptions } from '../src/cmdlets/edit-verb.js';
import type { FleetResult } from '../src/cmdlets/fleet.js';
import type { AuthMode } from '../src/cloud/auth-modes.js';
import { fleetRunInput, isFleetResult, refuseReportForOneConfig, renderFleetFor } from './fleet-output.js';
import type { Context } from '../src/context.js';
import { configOption } from '../src/util/paths.js';

export interface ApplyArgs {
  /** `-c`, repeatable here: several configs (or a pattern) make a fleet run */
  config?: string[];
  parallel: number;
  report?: string;
  detailedExitcode: boolean;
  prune: boolean;
  yes: boolean;
  propagationTimeout: number;
  auth: AuthMode;
  trustEndpoint?: string[];
}

/** apply's own options as the cmdlet takes them (also after an edit verb's `--apply`). */
export function applyRunInput(args: ApplyArgs): ChainedApplyOptions {
  return {
    detailedExitcode: args.detailedExitcode,
    prune: args.prune,
    yes: args.yes,
    propagationTimeout: args.propagationTimeout,
    auth: args.auth,
    ...(args.trustEndpoint ? { trustEndpoint: args.trustEndpoint } : {}),
  };
}

export const applyCommand = defineCommand<ApplyArgs, ApplyResult | FleetResult>({
  name: 'apply',
  describe: 'Reconcile Entra with the config: application, certificate, redirect URI, permissions, consent',
  options: [...APPLY_RUN_OPTIONS, ...FLEET_OPTIONS],
  examples: [
    ['entra-portal apply', 'register or update the application so it matches entra-portal.json5'],
    ['entra-portal apply --what-if --detailed-exitcode', 'drift check: exit 2 when Entra differs from the config, change nothing'],
    ['entra-portal apply --prune', 'also remove what the config does not describe: foreign redirect URIs, client secrets, other certificates, extra permissions'],
    ['entra-portal apply --what-if --json', 'the plan as JSON (schemas/plan.schema.json)'],
    ["entra-portal apply --what-if --detailed-exitcode -c 'tenants/*.json5' --report drift.html", 'a fleet: every config in one process, one summary table, the worst exit code, an HTML report'],
  ],
  async run(args, ctx) {
    const { isFleet, fleet } = await import('../src/cmdlets/fleet.js');
    if (isFleet(args.config)) {
      return fleet(
        'apply',
        {
          ...fleetRunInput(args),
          propagationTimeout: args.propagationTimeout,
          apply: { whatIf: args.whatIf === true, detailedExitcode: args.detailedExitcode, prune: args.prune, yes: args.yes },
        },
        ctx,
      );
    }
    refuseReportForOneConfig('apply', args);
    const { apply } = await import('../src/cmdlets/apply.js');
    return apply(
      {
        config: args.config?.[0],
        whatIf: args.whatIf,
        ...applyRunInput(args),
      },
      ctx,
    );
  },
  render(result, ctx) {
    if (isFleetResult(result)) return renderFleetFor('apply', result, ctx);
    // the application's own line (changes without a tenant), then one line per customer tenant;
    // the appId is Entra's answer: escaped for the terminal
    const own = result.plan.changes.filter((c) => !c.tenant);
    const app = result.appId ? ` (appId ${escapeControl(result.appId)})` : '';
    const kept = result.kept.filter((c) => !c.tenant).length;
    const n = own.filter((c) => c.action !== 'keep').length;
    const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
    const unmanaged = kept ? `${n ? '; ' : ''}${plural(kept, 'unmanaged item')} ${result.whatIf ? 'in Entra' : 'kept'} (apply --prune removes ${kept === 1 ? 'it' : 'them'})` : '';
    const line =
      own.length === 0
        ? `In sync${app}.`
        : result.whatIf
          ? `Drift${app}: ${n ? `${plural(n, 'change')} pending` : ''}${unmanaged}; nothing was changed (--what-if).`
          : `Applied ${plural(n, 'change')}${app}${kept && !n ? '; ' : ''}${unmanaged}.`;
    const customers = (result.customers ?? []).map((c) => `  ${c.status.padEnd(13)} ${escapeControl(c.message)}${c.consentUrl ? `\n${' '.repeat(16)}consent URL: ${escapeControl(c.consentUrl)}` : ''}`);
    // the one next step, last: VB365 must be given what changed
    const next = result.whatIf ? undefined : vb365NextStep(result, ctx);
    return [line, ...(customers.length ? [`Customer tenants (${customers.length}):`, ...customers] : []), ...(next ? [next] : [])].join('\n');
  },
  exitCode: (result) => result.exitCode,
});

/**
 * What VB365 holds of the application — its appId, its certificate, the portal address — changed in
 * Entra: the one next step is giving VB365 the new values (export-vb365, then its script on the
 * server). Only additions count: removing an old key (rotate-cert --finish) or a foreign redirect URI
 * (--prune), or a run that changed only consent or permissions, needs nothing of VB365.
 */
function vb365NextStep(result: ApplyResult, ctx: Context): string | undefined {
  const own = result.plan.changes.filter((c) => !c.tenant);
  const created = own.some((c) => c.resource === 'application' && c.action === 'create');
  const keyAdded = own.some((c) => c.resource === 'keyCredential' && c.action === 'add');
  if (!created && !keyAdded && !own.some((c) => c.resource === 'redirectUri' && c.action === 'add')) return undefined;
  const c = configOption(result.config, ctx.cwd);
  const exportStep = `entra-portal export-vb365${c} --out vb365 --password-env <VAR>, then run Enable-RestorePortal.ps1 from that folder on the VB365 server.`;
  // registered without a certificate (the config names none): export-vb365 would refuse until one is chosen
  if (created && !keyAdded) return `Next, give the application a certificate: entra-portal install-cert${c} --generate --apply (or --pfx <file>, or --thumbprint <sha1>), then ${exportStep}`;
  return `Next, give VB365 the application and its certificate: ${exportStep}`;
}
