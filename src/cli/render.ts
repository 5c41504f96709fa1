/**
 * Human output shared by several verbs: the desired-state verbs' edit (new-app, set-app,
 * set-portal-url, install-cert) and, after `--apply`, apply's own rendering. Light at import time.
 */
import type { Context } from '../context.js';
import type { ApplyResult } from '../cmdlets/apply.js';
import type { EditVerbResult } from '../cmdlets/edit-verb.js';
import { displayPath } from '../util/paths.js';
import { escapeControl, escapeControlLines } from '../util/text.js';

/** The exit code of an edit verb: 0, or apply's when `--apply` ran. */
export function applyExitCode(result: EditVerbResult): number {
  const code = (result.apply as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 0;
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? `'${escapeControl(value)}'` : escapeControl(JSON.stringify(value));
}

/** Human output (stdout): the diff under --what-if, otherwise what changed in which file. */
export function renderEditVerb(result: EditVerbResult, ctx: Context): string {
  const file = escapeControl(displayPath(result.config, ctx.cwd));
  const lines: string[] = [];
  if (result.whatIf) {
    // the file's own lines (comments too) may hold anything: escaped (--json keeps them exact)
    if (result.diff) lines.push(escapeControlLines(result.diff.trimEnd()));
    ctx.log.info(
      result.changed
        ? `what-if: ${result.created ? 'would create' : 'would update'} ${file}; nothing was written`
        : `what-if: ${file} already says this; nothing to change`,
    );
  } else if (!result.changed) {
    lines.push(`${file}: already up to date (no change)`);
  } else {
    lines.push(`${result.created ? 'Created' : 'Updated'} ${file}`);
    for (const c of result.changes) {
      lines.push(c.before === undefined ? `  + ${c.path}: ${show(c.after)}` : c.after === undefined ? `  - ${c.path} (was ${show(c.before)})` : `  ~ ${c.path}: ${show(c.before)} → ${show(c.after)}`);
    }
  }
  return lines.join('\n');
}

/** Human output plus, after `--apply`, apply's own rendering (the apply command's renderer). */
export function renderEditVerbWithApply(
  result: EditVerbResult,
  ctx: Context,
  renderApply?: (apply: ApplyResult) => string | undefined,
): string {
  const text = renderEditVerb(result, ctx);
  if (!result.apply) return text;
  const applied = renderApply?.(result.apply) ?? `apply: ${result.apply.inSync ? 'in sync' : 'changes pending'}`;
  return [text, applied].filter(Boolean).join('\n');
}
