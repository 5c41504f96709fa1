/**
 * What the desired-state verbs (new-app, set-app, set-portal-url, install-cert) share on the command
 * line: `--apply` with apply's own options, and the output: the edit, then — after `--apply` —
 * apply's own rendering, and apply's exit code.
 */
import type { Context } from '../src/context.js';
import type { ChainedApplyOptions, EditVerbResult } from '../src/cmdlets/edit-verb.js';
import type { AuthMode } from '../src/cloud/auth-modes.js';
import { applyExitCode, renderEditVerbWithApply } from '../src/cli/render.js';
import { applyCommand } from './apply.js';

export { APPLY_OPTIONS } from '../src/cli/options.js';

/** The parsed `--apply` and apply options of an edit verb. */
export interface ApplyArgs {
  apply: boolean;
  detailedExitcode: boolean;
  prune: boolean;
  yes: boolean;
  propagationTimeout: number;
  auth: AuthMode;
  trustEndpoint?: string[];
}

/** What the cmdlet's `apply` input gets: false, or apply's options. */
export function chainedApply(args: ApplyArgs): false | ChainedApplyOptions {
  if (!args.apply) return false;
  return {
    detailedExitcode: args.detailedExitcode,
    prune: args.prune,
    yes: args.yes,
    propagationTimeout: args.propagationTimeout,
    auth: args.auth,
    ...(args.trustEndpoint ? { trustEndpoint: args.trustEndpoint } : {}),
  };
}

export const editVerbOutput = {
  render: (result: EditVerbResult, ctx: Context, args: unknown): string =>
    renderEditVerbWithApply(result, ctx, (a) => applyCommand.render?.(a, ctx, args as never)),
  exitCode: (result: EditVerbResult): number => applyExitCode(result),
};
