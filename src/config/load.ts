/**
 * Find and load the config file: JSON5 (lossless tree, for locations) + schema + semantic rules.
 * Every problem is reported at once, as `file:line:col: path: message` (exit 65).
 */
import { dirname, resolve } from 'node:path';
import type { Context } from '../context.js';
import { InputError, OperationError, type Problem } from '../errors.js';
import { DEFAULT_CONFIG_FILE, type PortalConfig } from './types.js';
import { displayPath, resolveFrom } from '../util/paths.js';

export { displayPath };
import { duplicateKeys, locate, parseTree, textProblems, treeValue, type ConfigTree } from './tree.js';
import { decodeConfig, MAX_CONFIG_BYTES } from './bytes.js';
import { readRegularFile } from '../util/fs.js';
import { schemaProblems, semanticProblems } from './schema.js';

export interface LoadedConfig {
  path: string;
  dir: string;
  text: string;
  config: PortalConfig;
}

/** -c/--config, else $ENTRA_PORTAL_CONFIG, else ./entra-portal.json5 — resolved against ctx.cwd */
export function resolveConfigPath(ctx: Pick<Context, 'cwd' | 'env'>, explicit?: string): string {
  const chosen = explicit?.trim() || ctx.env.ENTRA_PORTAL_CONFIG?.trim() || DEFAULT_CONFIG_FILE;
  return resolveFrom(ctx.cwd, chosen);
}


export interface ValidatedText {
  tree: ConfigTree;
  value: unknown;
  problems: Problem[];
}

/** Parse and validate config text; syntax errors throw, other problems are returned. */
export function validateConfigText(text: string, file: string): ValidatedText {
  return validateTree(parseTree(text, file), file);
}

/** Validate a parsed config: every problem, each located in the file. */
export function validateTree(tree: ConfigTree, file: string): ValidatedText {
  const value = treeValue(tree);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const problem: Problem = { path: '', message: 'the config must be an object: { version: 1, … }', location: locate(tree, [], file)! };
    return { tree, value, problems: [problem] };
  }
  const unreadable = textProblems(tree, file);
  // a string that is not text would only make the checks below fail in odd ways
  const problems = unreadable.length ? unreadable : [...duplicateKeys(tree, file), ...schemaProblems(value, tree, file), ...semanticProblems(value, tree, file)];
  problems.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  return { tree, value, problems };
}

export function invalidConfigError(file: string, problems: Problem[], prefix = ''): InputError {
  const n = problems.length;
  return new InputError(`${prefix}${file} is not a valid entra-portal config (${n} problem${n === 1 ? '' : 's'})`, {
    code: 'invalid-config',
    problems,
  });
}

/**
 * The config file's text: a regular file of at most MAX_CONFIG_BYTES, strictly UTF-8 (InputError
 * otherwise, located in `shown`); undefined when it does not exist.
 */
export async function readConfigText(path: string, shown = path): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, { maxBytes: MAX_CONFIG_BYTES, what: 'the config file' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new InputError(`${path} is a folder, not a config file`, { code: 'config-not-file' });
    if (err instanceof InputError) throw err;
    throw new OperationError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return decodeConfig(bytes, shown);
}

export function missingConfigError(path: string): InputError {
  return new InputError(`config file ${path} does not exist`, {
    code: 'config-missing',
    remedy: 'Create it with "entra-portal new-app --name <name>" or "entra-portal set-app --app-id <guid>", or point -c/--config (or $ENTRA_PORTAL_CONFIG) at it.',
  });
}

/**
 * parse JSON5 + validate schemas/entra-portal.schema.json; InputError (exit 65) listing EVERY problem as file:line:col.
 * `text`: the content to use instead of the file's (a what-if edit that was not written).
 */
export async function loadConfig(path: string, options: { text?: string } = {}): Promise<LoadedConfig> {
  const abs = resolve(path);
  const shown = displayPath(abs);
  const text = options.text ?? (await readConfigText(abs, shown));
  if (text === undefined) throw missingConfigError(path);
  const { value, problems } = validateConfigText(text, shown);
  if (problems.length) throw invalidConfigError(shown, problems);
  return { path: abs, dir: dirname(abs), text, config: value as PortalConfig };
}
