/**
 * Output of the desired-state verbs (new-app, set-app, set-portal-url): the edit, then — after
 * `--apply` — apply's own rendering, and apply's exit code.
 */
import type { Context } from '../src/context.js';
import type { EditVerbResult } from '../src/cmdlets/edit-verb.js';
import { applyExitCode, renderEditVerbWithApply } from '../src/cli/render.js';
import { applyCommand } from './apply.js';

export const editVerbOutput = {
  render: (result: EditVerbResult, ctx: Context, args: unknown): string =>
    renderEditVerbWithApply(result, ctx, (a) => applyCommand.render?.(a, ctx, args as never)),
  exitCode: (result: EditVerbResult): number => applyExitCode(result),
};
