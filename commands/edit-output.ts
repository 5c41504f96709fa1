/**
 * What the desired-state verbs (new-app, set-app, set-portal-url, install-cert) share on the command
 * line: `--apply` with apply's own options, and the output: the edit, then — after `--apply` —
 * apply's own rendering, and apply's exit code.
 */
import type { Context } from '../src/context.js';
import type { ChainedApplyOptions, EditVerbResult } from '../src/cmdlets/edit-verb.js';
import { applyExitCode, renderEditVerbWithApply } from '../src/cli/render.js';
import { applyCommand, applyRunInput, type ApplyArgs as ApplyRunArgs } from './apply.js';

export { APPLY_OPTIONS } from '../src/cli/options.js';

/** The parsed `--apply` and apply options of an edit verb. */
export interface ApplyArgs extends ApplyRunArgs {
  apply: boolean;
}

/** What the cmdlet's `apply` input gets: false, or apply's options. */
export function chainedApply(args: ApplyArgs): false | ChainedApplyOptions {
  if (!args.apply) return false;
  return applyRunInput(args);
}

export const editVerbOutput = {
  render: (result: EditVerbResult, ctx: Context, args: unknown): string =>
    renderEditVerbWithApply(result, ctx, (a) => applyCommand.render?.(a, ctx, args as never)),
  exitCode: (result: EditVerbResult): number => applyExitCode(result),
};
