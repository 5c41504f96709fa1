/**
 * What the desired-state verbs (new-app, set-app, set-portal-url; install-cert too) return, and how
 * it is shown. Light at import time (types and string work only): command files import it for
 * `render`; the heavy parts (config editing, apply) are imported lazily.
 */
import { relative, isAbsolute, dirname, basename, join } from 'node:path';
import type { Context } from '../context.js';
import type { ConfigChange, ConfigEditResult } from '../config/edit.js';
import type { ApplyResult } from './apply.js';
import { UsageError } from '../errors.js';

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

/** Options every desired-state verb takes. */
export interface EditVerbInput {
  /** config file (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5, against ctx.cwd) */
  config?: string;
  whatIf?: boolean;
  /** reconcile Entra right after the edit (single-command scripting) */
  apply?: boolean;
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
 * (itself in what-if mode) reads the would-be content from a temporary copy beside the file
 * (same folder: relative paths in it still resolve), removed afterwards.
 */
export async function chainApply(result: EditVerbResult, edit: ConfigEditResult, ctx: Context): Promise<void> {
  const { apply } = await import('./apply.js');
  let configPath = result.config;
  let cleanup: (() => Promise<void>) | undefined;
  if (result.whatIf && result.changed) {
    const { editedText } = await import('../config/edit.js');
    const { writeFile, rm } = await import('node:fs/promises');
    const text = editedText(edit);
    if (text !== undefined) {
      configPath = join(dirname(result.config), `.${basename(result.config)}.what-if-${process.pid}.json5`);
      await writeFile(configPath, text, { mode: 0o600 });
      cleanup = () => rm(configPath, { force: true });
    }
  }
  try {
    const applied = await apply({ config: configPath, whatIf: result.whatIf }, ctx);
    // the temporary copy is an implementation detail: report the real file
    if (applied.config === configPath) applied.config = result.config;
    result.apply = applied;
  } catch (err) {
    if (result.changed && !result.whatIf) ctx.log.warn(`${shownPath(result.config, ctx.cwd)} was updated, but the apply that followed failed`);
    throw err;
  } finally {
    await cleanup?.();
  }
}

/** The exit code of an edit verb: 0, or apply's when `--apply` ran (its `exitCode` when it gives one). */
export function applyExitCode(result: EditVerbResult): number {
  const code = (result.apply as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 0;
}

export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** Human output (stdout): the diff under --what-if, otherwise what changed in which file. */
export function renderEditVerb(result: EditVerbResult, ctx: Context): string {
  const file = shownPath(result.config, ctx.cwd);
  const lines: string[] = [];
  if (result.whatIf) {
    if (result.diff) lines.push(result.diff.trimEnd());
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

/** `--apply`, shared by the desired-state verbs' yargs builders. */
/** `--region` as new-app and set-app take it (checked by the cmdlet with resolveRegion: 65). */
export const REGION_OPTION = {
  type: 'string',
  describe: 'Worldwide (global), USGovernment (usgov, gcchigh), USDefence (dod), China (21vianet) or Emulator; case-insensitive',
  requiresArg: true,
  coerce: singleString('region'),
} as const;

/** `--tenant`: a tenant ID or a verified domain (checked by the cmdlet: 65). */
export const TENANT_OPTION = {
  type: 'string',
  describe: 'tenant ID (GUID) or a verified domain name',
  requiresArg: true,
  coerce: singleString('tenant'),
} as const;

export const APPLY_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'then run "apply": reconcile Entra with the edited file (with --what-if: show what apply would change)',
} as const;

/**
 * A yargs `coerce` for an integer option: yargs' `type: 'number'` turns `abc` into NaN silently, so
 * anything but digits is a usage error (64) here; the range is the cmdlet's check (65).
 */
export function integerOption(
  option: string,
  allowed?: { check: (n: number) => boolean; rule: string },
): (value: unknown) => number | undefined {
  return (value) => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw usage(`--${option} was given ${value.length} times; give it once`);
    const text = String(value).trim();
    if (!/^[0-9]+$/.test(text)) throw usage(`--${option} must be ${allowed?.rule ?? 'a whole number'}, not "${String(value)}"`);
    const n = Number(text);
    if (allowed && !allowed.check(n)) throw usage(`--${option} must be ${allowed.rule}, not "${text}"`);
    return n;
  };
}

/** A string option given twice arrives as an array: that is a usage error. */
export function singleString(option: string): (value: unknown) => string | undefined {
  return (value) => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw usage(`--${option} was given ${value.length} times; give it once`);
    return String(value);
  };
}

function usage(message: string): UsageError {
  return new UsageError(message);
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
