/**
 * What the desired-state verbs (new-app, set-app, set-portal-url; install-cert too) return, and the
 * `--apply` that may follow their edit. Light at import time: apply and the config editor load lazily.
 */
import type { Context } from '../context.js';
import type { ConfigChange, ConfigEditResult } from '../config/edit.js';
import type { ApplyInput, ApplyResult } from './apply.js';
import { displayPath } from '../util/paths.js';

export interface EditVerbResult {
  verb: string;
  /** absolute path of the config file */
  config: string;
  created: boolean;
  changed: boolean;
  whatIf: boolean;
  changes: ConfigChange[];
  /** unified diff of the file; present when something changed (or would, under --what-if) */
  diff?: string;
  warnings: string[];
  /** the result of the `--apply` that followed the edit */
  apply?: ApplyResult;
}

/** apply's own options, for the `--apply` that follows an edit. */
export type ChainedApplyOptions = Pick<ApplyInput, 'detailedExitcode' | 'prune' | 'yes' | 'propagationTimeout' | 'auth' | 'trustEndpoint'>;

/** Options every desired-state verb takes. */
export interface EditVerbInput {
  /** config file (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5, against ctx.cwd) */
  config?: string;
  whatIf?: boolean;
  /** reconcile Entra right after the edit (single-command scripting), with these apply options */
  apply?: boolean | ChainedApplyOptions;
}

export function toVerbResult(verb: string, edit: ConfigEditResult, warnings: string[]): EditVerbResult {
  return {
    verb,
    config: edit.path,
    created: edit.created && edit.changed,
    changed: edit.changed,
    whatIf: edit.whatIf,
    changes: edit.changes,
    ...(edit.diff ? { diff: edit.diff } : {}),
    warnings,
  };
}

/**
 * `--apply`: run apply on the edited file. Under --what-if the edit was not written, so apply
 * (itself in what-if mode) is given the would-be content, and `files` that would exist (e.g. a new
 * certs/<T>.cer), in memory: a what-if run writes nothing, not even a temporary copy.
 */
export async function chainApply(
  result: EditVerbResult,
  edit: ConfigEditResult,
  ctx: Context,
  options: boolean | ChainedApplyOptions = true,
  files?: ReadonlyMap<string, Buffer>,
): Promise<void> {
  const { apply } = await import('./apply.js');
  let preview: { text: string; files?: ReadonlyMap<string, Buffer> } | undefined;
  if (result.whatIf) {
    const { editedText } = await import('../config/edit.js');
    const text = editedText(edit);
    if (text !== undefined && (result.changed || files?.size)) preview = { text, ...(files ? { files } : {}) };
  }
  try {
    result.apply = await apply({ ...(typeof options === 'object' ? options : {}), config: result.config, whatIf: result.whatIf, ...(preview ? { preview } : {}) }, ctx);
  } catch (err) {
    if (result.changed && !result.whatIf) ctx.log.warn(`${displayPath(result.config, ctx.cwd)} was updated, but the apply that followed failed`);
    throw err;
  }
}

