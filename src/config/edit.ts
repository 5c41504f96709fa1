/**
 * editConfig: lock → read → edit (lossless) → validate → atomic write → unlock.
 * On any failure the file is left byte-identical; `whatIf` computes the diff and writes nothing.
 */
import { realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Context } from '../context.js';
import { InputError, OperationError, type Problem } from '../errors.js';
import { resolveRegion } from '../cloud/regions.js';
import { Json5ConfigDocument, type ConfigDocument } from './document.js';
import { unifiedDiff } from './diff.js';
import { acquireLock, type FileLock } from './lock.js';
import { fsFailure, makeDirectory, writeFileAtomic } from '../util/fs.js';
import { parseTree, formatPath } from './tree.js';
import { displayPath, invalidConfigError, missingConfigError, readConfigText, validateTree } from './load.js';

export interface ConfigChange {
  /** dotted config path, e.g. `portal.url` */
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ConfigEditResult {
  path: string;
  created: boolean;
  changed: boolean;
  whatIf: boolean;
  /** unified diff of the file ('' when unchanged) */
  diff: string;
  changes: ConfigChange[];
}

/** The file's content after the edit (also when nothing was written, e.g. under --what-if). */
export function editedText(result: ConfigEditResult): string | undefined {
  return (result as ConfigEditResult & { text?: string }).text;
}

export interface EditOptions {
  whatIf?: boolean;
  /** make the file (with a short comment header) when missing; otherwise a missing file is an InputError */
  create?: boolean;
  /** how long to wait for a concurrent run's lock; default 5000 ms ($ENTRA_PORTAL_LOCK_TIMEOUT_MS) */
  lockTimeoutMs?: number;
}

/** What a new config file starts as. */
export const NEW_CONFIG_TEXT =
  "// entra-portal configuration — desired state of the Restore Portal's Entra application.\n" +
  '// Docs: docs/config.md; schema: schemas/entra-portal.schema.json.\n' +
  '{\n' +
  '  version: 1,\n' +
  '}\n';

/** The leaves that differ between two config values, as dotted paths. */
export function configChanges(before: unknown, after: unknown, path: string[] = []): ConfigChange[] {
  if (before === undefined && after === undefined) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  // a whole object added or removed is listed leaf by leaf
  if ((isObj(before) || before === undefined) && (isObj(after) || after === undefined) && before !== after) {
    before ??= {};
    after ??= {};
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => configChanges(before[k], after[k], [...path, k]));
  }
  if (isDeepStrictEqual(before, after)) return [];
  return [{ path: formatPath(path), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

function cloudOf(value: unknown): string {
  const v = (value ?? {}) as { region?: unknown; endpoints?: { graph?: unknown } };
  // custom endpoints win over a region (src/cloud/endpoints.ts)
  if (v.endpoints && typeof v.endpoints.graph === 'string') return `custom (${v.endpoints.graph})`;
  if (typeof v.region === 'string') {
    try {
      return resolveRegion(v.region).name;
    } catch {
      return v.region;
    }
  }
  return 'Worldwide';
}

function appIdOf(value: unknown): string | undefined {
  const id = (value as { application?: { appId?: unknown } } | undefined)?.application?.appId;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/**
 * An application lives in one cloud: a pinned appId cannot move to another region
 * (docs/graph.md, "National clouds").
 */
function checkRegionChange(before: unknown, after: unknown, file: string): void {
  const appId = appIdOf(before);
  if (!appId || appIdOf(after) !== appId) return;
  const from = cloudOf(before);
  const to = cloudOf(after);
  if (from === to) return;
  throw new InputError(`${file} pins application ${appId}, which lives in the ${from} cloud: its region cannot change to ${to}`, {
    code: 'region-change',
    remedy: `An application lives in one cloud. To use ${to}, pin an application registered there (set-app --app-id <guid> --region ${to}) or register a new one (new-app --force --name <name> --region ${to}).`,
  });
}

/** The config's folder (new-app, set-app, set-portal-url create the file): one that cannot be made is named. */
async function makeConfigFolder(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
  } catch (err) {
    throw new OperationError(`cannot create the config's folder ${dir}: ${fsFailure(err)}`, {
      code: 'folder-not-writable',
      cause: err,
      remedy: 'Choose a config file in a folder this user can write (-c <file>, or $ENTRA_PORTAL_CONFIG).',
    });
  }
}

async function targetOf(abs: string): Promise<string> {
  try {
    return await realpath(abs); // edit through a symlink, keep the link
  } catch {
    return abs;
  }
}

/**
 * lock → read → edit → validate → atomic write (tmp+fsync+rename) → unlock; file byte-identical on any failure.
 * create: make the file (with a short comment header) when missing; otherwise a missing file is InputError.
 */
export async function editConfig(
  path: string,
  ctx: Context,
  edit: (doc: ConfigDocument) => void | Promise<void>,
  options: EditOptions = {},
): Promise<ConfigEditResult> {
  const abs = resolve(ctx.cwd, path);
  const shown = displayPath(abs, ctx.cwd);
  const whatIf = options.whatIf === true;
  if (options.create && !whatIf) await makeConfigFolder(dirname(abs));
  const target = await targetOf(abs);
  const envTimeout = Number(ctx.env.ENTRA_PORTAL_LOCK_TIMEOUT_MS);
  // --what-if only reads: it takes no lock, so it works on a read-only folder too
  let lock: FileLock | undefined;
  if (!whatIf) {
    lock = await acquireLock(target, {
      clock: ctx.clock,
      timeoutMs: options.lockTimeoutMs ?? (Number.isFinite(envTimeout) && envTimeout >= 0 ? envTimeout : 5000),
      onWait: (holder) => ctx.log.info(`waiting for ${shown}.lock${holder ? ` (pid ${holder.pid} on ${holder.host})` : ''}…`),
    });
  }
  try {
    const existing = await readConfigText(target, shown);
    // an empty file (e.g. made by `touch`) is treated like a missing one
    const before = existing !== undefined && existing.trim() === '' && options.create ? undefined : existing;
    if (before === undefined && !options.create) throw missingConfigError(shown);
    const text = before ?? NEW_CONFIG_TEXT;
    // read once: the edits and the checks after them share the tree
    const tree = parseTree(text, shown); // a syntax error stops here, located in the file
    const checkedBefore = before === undefined ? undefined : validateTree(tree, shown);
    const beforeValue = checkedBefore?.value;
    const beforeProblems = checkedBefore?.problems ?? [];

    const doc = new Json5ConfigDocument(tree);
    await edit(doc);
    const after = doc.toString();
    const result: ConfigEditResult = {
      path: abs,
      created: before === undefined,
      changed: after !== existing,
      whatIf,
      diff: unifiedDiff(existing, after, shown),
      changes: [],
    };
    // the content after the edit, for callers that need it (`--what-if --apply`); not enumerable, so not in JSON
    Object.defineProperty(result, 'text', { value: after, enumerable: false });
    if (!result.changed) {
      // nothing to write, but a verb never reports success on a broken file
      if (beforeProblems.length) throw invalidConfigError(shown, beforeProblems);
      return result;
    }

    const checked = validateTree(doc.tree, shown);
    if (checked.problems.length) {
      // problems already in the file keep their location; those the edit would cause have none
      const old = new Set(beforeProblems.map((p) => `${p.path}\u0000${p.message}`));
      const kept = beforeProblems.filter((p) => checked.problems.some((q) => q.path === p.path && q.message === p.message));
      const caused = checked.problems.filter((p) => !old.has(`${p.path}\u0000${p.message}`)).map(({ location: _l, ...p }) => p);
      const prefix = before === undefined ? 'the new file would be invalid: ' : kept.length ? '' : 'after this edit, ';
      throw invalidConfigError(shown, [...kept, ...caused], prefix);
    }
    checkRegionChange(beforeValue, checked.value, shown);
    result.changes = configChanges(beforeValue ?? {}, checked.value);
    if (!whatIf) await writeFileAtomic(target, after);
    return result;
  } finally {
    await lock?.release();
  }
}

