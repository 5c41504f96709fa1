/**
 * The JSON5 syntax tree of a config file (@croct/json5-parser: lossless, with locations),
 * and the mapping from a config path back to a line:column in the file.
 * Why this parser: docs/dependencies.md, "JSON5 that keeps comments".
 */
import {
  JsonArrayNode,
  JsonObjectNode,
  JsonParseError,
  JsonParser,
  JsonPropertyNode,
  type JsonValueNode,
} from '@croct/json5-parser';
import { InputError, type Problem, type SourceLocation } from '../errors.js';
import { checkNesting } from './bytes.js';

export type Segment = string | number;

/** Parse JSON5 text; a syntax error or too deep a nesting becomes an InputError (exit 65) at file:line:col. */
export function parseTree(text: string, file: string): JsonValueNode {
  checkNesting(text, file);
  try {
    return JsonParser.parse(text);
  } catch (err) {
    if (err instanceof JsonParseError) {
      const location = { file, line: err.location.start.line, column: err.location.start.column };
      const message = syntaxMessage(err.message.replace(/ at \d+:\d+\.?$/, ''));
      throw new InputError(`${file} is not valid JSON5`, {
        code: 'config-syntax',
        cause: err,
        problems: [{ path: '', message: `syntax error: ${message}`, location }],
      });
    }
    throw err;
  }
}

/** @croct/json5-parser's token names, as a user would call what they typed. */
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
export function nodeAt(root: JsonValueNode, path: readonly Segment[]): JsonValueNode | undefined {
  let node: JsonValueNode | undefined = root;
  for (const seg of path) {
    if (node instanceof JsonObjectNode && typeof seg === 'string') {
      node = lastProperty(node, seg)?.value;
    } else if (node instanceof JsonArrayNode && typeof seg === 'number') {
      node = node.elements[seg];
    } else {
      return undefined;
    }
    if (!node) return undefined;
  }
  return node;
}

/** JSON5 allows duplicate keys; the last one wins (as in JSON.parse), so point at that one. */
export function lastProperty(obj: JsonObjectNode, key: string): JsonPropertyNode | undefined {
  const props = obj.properties;
  for (let i = props.length - 1; i >= 0; i--) if (props[i]!.key.toJSON() === key) return props[i];
  return undefined;
}

function toLocation(file: string, loc: { start: { line: number; column: number } }): SourceLocation | undefined {
  // nodes created by an edit have an unknown location (line 0)
  if (!loc.start.line) return undefined;
  return { file, line: loc.start.line, column: loc.start.column };
}

/** Where a value starts; for `key: true`, the key position of the property holding it. */
export function locate(root: JsonValueNode, path: readonly Segment[], file: string, at: 'value' | 'key' = 'value'): SourceLocation | undefined {
  if (at === 'key' && path.length > 0) {
    const parent = nodeAt(root, path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent instanceof JsonObjectNode && typeof last === 'string') {
      const prop = lastProperty(parent, last);
      if (prop) return toLocation(file, prop.key.location);
    }
  }
  // walk as far as the path exists: a missing leaf points at its nearest existing parent
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(root, path.slice(0, n));
    if (node) return toLocation(file, node.location);
  }
  return undefined;
}

/** Duplicate keys are legal JSON5 but almost always a mistake in a config: report them. */
export function duplicateKeys(root: JsonValueNode, file: string, path: Segment[] = []): Problem[] {
  const problems: Problem[] = [];
  if (root instanceof JsonObjectNode) {
    const seen = new Set<string>();
    for (const prop of root.properties) {
      const key = String(prop.key.toJSON());
      if (seen.has(key)) {
        const loc = toLocation(file, prop.key.location);
        problems.push({ path: formatPath([...path, key]), message: 'duplicate key (the last one wins): remove one', ...(loc ? { location: loc } : {}) });
      }
      seen.add(key);
      problems.push(...duplicateKeys(prop.value, file, [...path, key]));
    }
  } else if (root instanceof JsonArrayNode) {
    root.elements.forEach((el, i) => problems.push(...duplicateKeys(el, file, [...path, i])));
  }
  return problems;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** What is wrong with a string of the config as text, if anything. */
function textProblem(s: string): string | undefined {
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
export function textProblems(root: JsonValueNode, file: string, path: Segment[] = []): Problem[] {
  const problems: Problem[] = [];
  const report = (at: Segment[], message: string, loc: SourceLocation | undefined) =>
    problems.push({ path: formatPath(at), message, ...(loc ? { location: loc } : {}) });
  if (root instanceof JsonObjectNode) {
    for (const prop of root.properties) {
      const key = String(prop.key.toJSON());
      const keyProblem = textProblem(key);
      if (keyProblem) report(path, `a key ${keyProblem}`, toLocation(file, prop.key.location));
      problems.push(...textProblems(prop.value, file, [...path, key]));
    }
  } else if (root instanceof JsonArrayNode) {
    root.elements.forEach((el, i) => problems.push(...textProblems(el, file, [...path, i])));
  } else {
    const value = root.toJSON();
    const problem = typeof value === 'string' ? textProblem(value) : undefined;
    if (problem) report(path, problem, toLocation(file, root.location));
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
