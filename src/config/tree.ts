/**
 * The JSON5 syntax tree of a config file (src/config/json5.ts: lossless, with offsets), and the
 * mapping from a config path back to a line:column in the file.
 */
import { InputError, type Problem, type SourceLocation } from '../errors.js';
import { checkNesting } from './bytes.js';
import { Json5SyntaxError, lineColumn, parseJson5, toValue, type Json5Block, type Json5Entry, type Json5Node } from './json5.js';

export type Segment = string | number;

/** A parsed config: its text and the tree of offsets into it. */
export interface ConfigTree {
  text: string;
  root: Json5Node;
}

/** Parse JSON5 text; a syntax error or too deep a nesting becomes an InputError (exit 65) at file:line:col. */
export function parseTree(text: string, file: string): ConfigTree {
  checkNesting(text, file);
  try {
    return { text, root: parseJson5(text) };
  } catch (err) {
    if (err instanceof Json5SyntaxError) {
      const location = { file, ...lineColumn(text, err.offset) };
      throw new InputError(`${file} is not valid JSON5`, {
        code: 'config-syntax',
        cause: err,
        problems: [{ path: '', message: `syntax error: ${syntaxMessage(err.message)}`, location }],
      });
    }
    throw err;
  }
}

/** The value the tree holds. */
export const treeValue = (tree: ConfigTree): unknown => toValue(tree.root);

/** The parser's token names, as a user would call what they typed. */
const TOKEN_WORDS: Record<string, string> = {
  COMMA: "','",
  COLON: "':'",
  BRACE_LEFT: "'{'",
  BRACE_RIGHT: "'}'",
  BRACKET_LEFT: "'['",
  BRACKET_RIGHT: "']'",
  IDENTIFIER: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true/false',
  NULL: 'null',
  EOF: 'the end of the file',
};
const word = (token: string) => TOKEN_WORDS[token] ?? token.toLowerCase();

/**
 * The parser speaks in token names ("Expected COMMA, but got IDENTIFIER"); say it in the file's terms,
 * with the usual cause (a comma missing at the end of the previous line, an unclosed string or brace).
 */
export function syntaxMessage(parserMessage: string): string {
  const expected = /^Expected (?:either )?(.+?), but got (\w+)$/.exec(parserMessage);
  if (expected) {
    const wanted = expected[1]!.split(/ or /).map(word).join(' or ');
    const got = expected[2]!;
    if (got === 'EOF') return `the file ends too early (expected ${wanted}): is a '}' or ']' missing, or a string not closed?`;
    if (expected[1] === 'COMMA') return `expected ',' before ${word(got)}: is a comma missing after the previous value?`;
    if (expected[1] === 'COLON') return `expected ':' after the key, found ${word(got)}`;
    if (got === 'COMMA' && /STRING|IDENTIFIER/.test(expected[1]!)) return "expected a key, found ',': is there a doubled comma?";
    return `expected ${wanted}, found ${word(got)}`;
  }
  const unexpected = /^Unexpected token '(.*)'$/s.exec(parserMessage);
  if (unexpected) {
    const t = unexpected[1]!;
    if (t === '') return 'unexpected end of the file (it holds no { … } object)';
    if (t === "'" || t === '"') return `a string opened with ${t} is not closed on this line`;
    if (t === '=') return "unexpected '=': JSON5 writes key: value";
    if (t === '}' || t === ']') return `unexpected '${t}': is there one too many, or is something missing before it?`;
    return `unexpected '${t}'`;
  }
  return parserMessage;
}

/** The value node at a path, or undefined. */
export function nodeAt(root: Json5Node, path: readonly Segment[]): Json5Node | undefined {
  let node: Json5Node | undefined = root;
  for (const seg of path) {
    if (node.kind === 'object' && typeof seg === 'string') {
      node = lastProperty(node, seg)?.value;
    } else if (node.kind === 'array' && typeof seg === 'number') {
      node = node.entries[seg]?.value;
    } else {
      return undefined;
    }
    if (!node) return undefined;
  }
  return node;
}

/** JSON5 allows duplicate keys; the last one wins (as in JSON.parse), so point at that one. */
export function lastProperty(obj: Json5Block, key: string): Json5Entry | undefined {
  const props = obj.entries;
  for (let i = props.length - 1; i >= 0; i--) if (props[i]!.key!.name === key) return props[i];
  return undefined;
}

function toLocation(tree: ConfigTree, offset: number, file: string): SourceLocation {
  return { file, ...lineColumn(tree.text, offset) };
}

/** Where a value starts; for `key: true`, the key position of the property holding it. */
export function locate(tree: ConfigTree, path: readonly Segment[], file: string, at: 'value' | 'key' = 'value'): SourceLocation | undefined {
  if (at === 'key' && path.length > 0) {
    const parent = nodeAt(tree.root, path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent?.kind === 'object' && typeof last === 'string') {
      const prop = lastProperty(parent, last);
      if (prop) return toLocation(tree, prop.key!.start, file);
    }
  }
  // walk as far as the path exists: a missing leaf points at its nearest existing parent
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(tree.root, path.slice(0, n));
    if (node) return toLocation(tree, node.start, file);
  }
  return undefined;
}

/** Duplicate keys are legal JSON5 but almost always a mistake in a config: report them. */
export function duplicateKeys(tree: ConfigTree, file: string, node: Json5Node = tree.root, path: Segment[] = []): Problem[] {
  const problems: Problem[] = [];
  if (node.kind === 'object') {
    const seen = new Set<string>();
    for (const prop of node.entries) {
      const key = prop.key!.name;
      if (seen.has(key)) {
        problems.push({ path: formatPath([...path, key]), message: 'duplicate key (the last one wins): remove one', location: toLocation(tree, prop.key!.start, file) });
      }
      seen.add(key);
      problems.push(...duplicateKeys(tree, file, prop.value, [...path, key]));
    }
  } else if (node.kind === 'array') {
    node.entries.forEach((el, i) => problems.push(...duplicateKeys(tree, file, el.value, [...path, i])));
  }
  return problems;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** What is wrong with a string of the config (or a value bound for it) as text, if anything. */
export function textProblem(s: string): string | undefined {
  const lone = LONE_SURROGATE.exec(s);
  if (lone) return `contains a lone surrogate (\\u${lone[0].charCodeAt(0).toString(16).toUpperCase()}): not a character; remove the escape`;
  const control = CONTROL.exec(s);
  if (control) return `contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}): remove it`;
  return undefined;
}

/**
 * Keys and strings that are not plain text: a lone surrogate (`'\uD800'` escapes to one; no API can
 * encode it) or a control character (a name with an escape sequence would rewrite the terminal of
 * whoever prints it). No entra-portal value has a use for either.
 */
export function textProblems(tree: ConfigTree, file: string, node: Json5Node = tree.root, path: Segment[] = []): Problem[] {
  const problems: Problem[] = [];
  const report = (at: Segment[], message: string, offset: number) => problems.push({ path: formatPath(at), message, location: toLocation(tree, offset, file) });
  if (node.kind === 'object') {
    for (const prop of node.entries) {
      const key = prop.key!.name;
      const keyProblem = textProblem(key);
      if (keyProblem) report(path, `a key ${keyProblem}`, prop.key!.start);
      problems.push(...textProblems(tree, file, prop.value, [...path, key]));
    }
  } else if (node.kind === 'array') {
    node.entries.forEach((el, i) => problems.push(...textProblems(tree, file, el.value, [...path, i])));
  } else if (node.kind === 'string') {
    const problem = textProblem(node.value as string);
    if (problem) report(path, problem, node.start);
  }
  return problems;
}

/** `['application','extraRedirectUris',0]` → `application.extraRedirectUris[0]` */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** JSON Pointer (ajv's instancePath) → segments, using the value to tell array indexes from keys. */
export function pointerToPath(pointer: string, value: unknown): Segment[] {
  if (!pointer) return [];
  const out: Segment[] = [];
  let cur: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: Segment = Array.isArray(cur) && /^\d+$/.test(key) ? Number(key) : key;
    out.push(seg);
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return out;
}
