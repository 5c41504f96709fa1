/**
 * A lossless, editable view of a config file (@croct/json5-parser). Only the values a verb sets
 * change; comments, quoting, key order, indentation, trailing commas, line endings and a BOM stay.
 *
 * The library copies a block's layout for new entries, but picks key and string quoting from the
 * last nested block it saw, so new keys and strings are built here with the quoting of their
 * neighbours (same object first, then enclosing objects, then the whole file).
 */
import {
  JsonArrayNode,
  JsonIdentifierNode,
  JsonObjectNode,
  JsonParser,
  JsonPrimitiveNode,
  JsonPropertyNode,
  JsonTokenNode,
  JsonTokenType,
  type Formatting,
  type JsonValueNode,
} from '@croct/json5-parser';
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../errors.js';

export interface ConfigDocument {
  get(path: readonly string[]): unknown;
  /** creates missing objects in the neighbours' style */
  set(path: readonly string[], value: unknown): void;
  delete(path: readonly string[]): void;
  /** adds an entry at the end of the array at `path` (made when missing), laid out like the entry before it */
  append(path: readonly string[], value: unknown): void;
  /** removes the array entry at `index` with its line (and same-line comment); the other entries keep their bytes */
  removeAt(path: readonly string[], index: number): void;
  /** replaces the array entry at `index`; an object entry keeps its layout and the keys it shares with `value` */
  setAt(path: readonly string[], index: number, value: unknown): void;
}

type Quote = "'" | '"';
type KeyStyle = 'bare' | Quote;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quoteOf(token: JsonTokenNode): Quote {
  return token.value.startsWith("'") ? "'" : '"';
}

function stringToken(value: string, quote: Quote): JsonTokenNode {
  let body = JSON.stringify(value).slice(1, -1);
  if (quote === "'") body = body.replace(/\\"/g, '"').replace(/'/g, "\\'");
  return new JsonTokenNode({ type: JsonTokenType.STRING, value: `${quote}${body}${quote}` });
}

/** A string node whose token is already rendered, so the library keeps our quoting. */
function stringNode(value: string, quote: Quote): JsonPrimitiveNode {
  const token = stringToken(value, quote);
  return new JsonPrimitiveNode({ token, value, children: [token] } as never);
}

function keyNode(name: string, style: KeyStyle): JsonIdentifierNode | JsonPrimitiveNode {
  if (style === 'bare' && IDENTIFIER.test(name)) return JsonIdentifierNode.of(name);
  return stringNode(name, style === 'bare' ? "'" : style);
}

function keyStyle(key: JsonPropertyNode['key']): KeyStyle {
  return key instanceof JsonIdentifierNode ? 'bare' : quoteOf((key as JsonPrimitiveNode).token);
}

function isStringNode(n: JsonValueNode): n is JsonPrimitiveNode {
  return n instanceof JsonPrimitiveNode && n.token.isType(JsonTokenType.STRING);
}

/** The most common of the votes; a tie yields undefined (let an enclosing block decide). */
function majority<T extends string>(votes: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  if (!sorted.length || (sorted[1] && sorted[1][1] === sorted[0]![1])) return undefined;
  return sorted[0]![0];
}

/** How this object's keys are written (most of them). */
function keyStyleOf(obj: JsonObjectNode): KeyStyle | undefined {
  return majority(obj.properties.map((p) => keyStyle(p.key)));
}

/** How this block's string values are quoted (most of them). */
function stringQuoteOf(node: JsonValueNode): Quote | undefined {
  const values = node instanceof JsonObjectNode ? node.properties.map((p) => p.value) : node instanceof JsonArrayNode ? [...node.elements] : [node];
  return majority(values.filter(isStringNode).map((v) => quoteOf(v.token)));
}

function* walk(node: JsonValueNode): Generator<JsonValueNode> {
  yield node;
  if (node instanceof JsonObjectNode) for (const p of node.properties) yield* walk(p.value);
  if (node instanceof JsonArrayNode) for (const el of node.elements) yield* walk(el);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const isToken = (c: unknown, type: JsonTokenType): c is JsonTokenNode => c instanceof JsonTokenNode && c.isType(type);

/** An entry of an object (a property) or of an array (an element) among the block's children. */
const isEntry = (c: unknown): boolean => c instanceof JsonPropertyNode || (!(c instanceof JsonTokenNode) && c !== undefined);

/**
 * Remove an entry (a property, or an array element) with the bytes that belong to it: its line
 * (indentation, comma, same-line comments, newline) when it has one to itself, else just the entry
 * and its separator. The library's own removal re-lays out the closing bracket and drops the file's
 * final newline when the last entry goes, so the tokens are removed here and the library only
 * forgets the entry.
 */
function removeEntry(block: JsonObjectNode | JsonArrayNode, entry: JsonPropertyNode | JsonValueNode): void {
  const ch = block.children;
  const i = ch.indexOf(entry);
  if (i === -1) return;
  let end = i + 1;
  let hadComma = false;
  let trailingSpace = false;
  const sameLine = (c: unknown) =>
    isToken(c, JsonTokenType.WHITESPACE) ||
    isToken(c, JsonTokenType.COMMA) ||
    ((isToken(c, JsonTokenType.LINE_COMMENT) || isToken(c, JsonTokenType.BLOCK_COMMENT)) && !c.value.includes('\n'));
  while (end < ch.length && sameLine(ch[end])) {
    if (isToken(ch[end], JsonTokenType.COMMA)) hadComma = true;
    if (isToken(ch[end], JsonTokenType.WHITESPACE)) trailingSpace = true;
    end++;
  }
  let start = i;
  while (start > 0 && isToken(ch[start - 1], JsonTokenType.WHITESPACE)) start--;
  const ownLine = start === 0 || isToken(ch[start - 1], JsonTokenType.NEWLINE);
  if (ownLine && isToken(ch[end], JsonTokenType.NEWLINE)) end++;
  const isLast = !ch.slice(end).some(isEntry);
  // inline: keep the space in front, unless the entry was the last one and closed the block (`[a, b]`)
  if (!ownLine && !(isLast && !trailingSpace)) start = i;
  ch.splice(start, end - start);
  if (isLast && !hadComma) {
    // without a trailing comma, the previous entry's comma was a separator: it goes too
    for (let k = start - 1; k >= 0; k--) {
      if (isToken(ch[k], JsonTokenType.COMMA)) {
        ch.splice(k, 1);
        break;
      }
      if (isEntry(ch[k])) break;
    }
  }
}

export class Json5ConfigDocument implements ConfigDocument {
  readonly root: JsonObjectNode;
  private readonly docKeyStyle: KeyStyle;
  private readonly docQuote: Quote;
  private readonly wasEmpty: boolean;

  constructor(root: JsonValueNode) {
    if (!(root instanceof JsonObjectNode)) throw new InputError('the config must be an object: { version: 1, … }', { code: 'invalid-config' });
    this.root = root;
    const keys: KeyStyle[] = [];
    const quotes: Quote[] = [];
    for (const n of walk(root)) {
      if (n instanceof JsonObjectNode) keys.push(...n.properties.map((p) => keyStyle(p.key)));
      if (isStringNode(n)) quotes.push(quoteOf(n.token));
    }
    this.docKeyStyle = majority(keys) ?? keys[0] ?? 'bare';
    this.docQuote = majority(quotes) ?? quotes[0] ?? "'";
    // `{}` (white space inside at most) has no layout to copy
    const inner = root.children.filter((c) => c instanceof JsonTokenNode && !c.isType(JsonTokenType.BRACE_LEFT) && !c.isType(JsonTokenType.BRACE_RIGHT));
    this.wasEmpty = root.properties.length === 0 && inner.every((c) => (c as JsonTokenNode).isType(JsonTokenType.WHITESPACE) || (c as JsonTokenNode).isType(JsonTokenType.NEWLINE));
  }

  /** The objects along `path` (root first), or undefined from the first missing/non-object one. */
  private chain(path: readonly string[]): Array<JsonObjectNode | undefined> {
    const out: Array<JsonObjectNode | undefined> = [this.root];
    let cur: JsonObjectNode | undefined = this.root;
    for (const seg of path) {
      const next: JsonValueNode | undefined = cur && cur.has(seg) ? cur.get(seg) : undefined;
      cur = next instanceof JsonObjectNode ? next : undefined;
      out.push(cur);
    }
    return out;
  }

  private keyStyleFor(objs: Array<JsonObjectNode | undefined>): KeyStyle {
    for (let i = objs.length - 1; i >= 0; i--) {
      const s = objs[i] && keyStyleOf(objs[i]!);
      if (s) return s;
    }
    return this.docKeyStyle;
  }

  private quoteFor(objs: Array<JsonObjectNode | undefined>): Quote {
    for (let i = objs.length - 1; i >= 0; i--) {
      const q = objs[i] && stringQuoteOf(objs[i]!);
      if (q) return q;
    }
    return this.docQuote;
  }

  /** A value node in the style of the objects `context` (innermost last). */
  private build(value: unknown, context: Array<JsonObjectNode | undefined>, previous?: JsonValueNode): JsonValueNode {
    if (typeof value === 'string') {
      const q = previous instanceof JsonPrimitiveNode && previous.token.isType(JsonTokenType.STRING) ? quoteOf(previous.token) : this.quoteFor(context);
      return stringNode(value, q);
    }
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return JsonPrimitiveNode.of(value as never);
    if (Array.isArray(value)) {
      const arr = JsonArrayNode.of();
      for (const item of value) arr.push(this.build(item, context));
      return arr;
    }
    if (typeof value === 'object') {
      const obj = new JsonObjectNode({ properties: [] });
      const inner = [...context, obj];
      const style = this.keyStyleFor(context);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined) continue;
        obj.set(keyNode(k, style) as never, this.build(v, inner));
      }
      return obj;
    }
    throw new TypeError(`cannot write a ${typeof value} into the config`);
  }

  get(path: readonly string[]): unknown {
    if (path.length === 0) return this.root.toJSON();
    const parent = this.chain(path.slice(0, -1)).at(-1);
    const key = path[path.length - 1]!;
    return parent && parent.has(key) ? parent.get(key).toJSON() : undefined;
  }

  set(path: readonly string[], value: unknown): void {
    if (path.length === 0) throw new TypeError('set: empty path');
    if (value === undefined) return this.delete(path);
    if (isDeepStrictEqual(this.get(path), value)) return; // no edit: the bytes stay as they are
    const objs = this.chain(path.slice(0, -1));
    // create the missing objects along the path, outermost first
    let parent: JsonObjectNode = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i]!;
      let next = objs[i + 1];
      if (!next) {
        next = new JsonObjectNode({ properties: [] });
        parent.set(keyNode(seg, this.keyStyleFor(objs.slice(0, i + 1))) as never, next);
        objs[i + 1] = next;
      }
      parent = next;
    }
    const key = path[path.length - 1]!;
    const previous = parent.has(key) ? parent.get(key) : undefined;
    const node = this.build(value, objs, previous);
    if (previous) {
      // keep the existing key token (its quoting); replace only the value
      const prop = parent.properties.filter((p) => p.key.toJSON() === key).at(-1)!;
      prop.set(node);
    } else {
      parent.set(keyNode(key, this.keyStyleFor(objs)) as never, node);
    }
  }

  delete(path: readonly string[]): void {
    if (path.length === 0) throw new TypeError('delete: empty path');
    const parent = this.chain(path.slice(0, -1)).at(-1);
    const key = path[path.length - 1]!;
    if (!parent || !parent.has(key)) return;
    // a comment on the same line as the removed entry goes with it
    for (const prop of parent.properties.filter((p) => p.key.toJSON() === key)) {
      removeEntry(parent, prop);
      parent.delete(key);
    }
  }

  /** The array at `path`, or undefined. */
  private arrayAt(path: readonly string[]): { array: JsonArrayNode; objs: Array<JsonObjectNode | undefined> } | undefined {
    const objs = this.chain(path.slice(0, -1));
    const parent = objs.at(-1);
    const key = path[path.length - 1]!;
    const node = parent && parent.has(key) ? parent.get(key) : undefined;
    return node instanceof JsonArrayNode ? { array: node, objs } : undefined;
  }

  append(path: readonly string[], value: unknown): void {
    if (path.length === 0) throw new TypeError('append: empty path');
    if (!this.arrayAt(path)) this.set(path, []);
    const at = this.arrayAt(path)!;
    const keys = isPlainObject(value) ? Object.keys(value).sort().join('\u0000') : undefined;
    // a new object entry copies the layout of the last entry with the same keys, with new values
    const template = [...at.array.elements]
      .reverse()
      .find((e): e is JsonObjectNode => e instanceof JsonObjectNode && keys !== undefined && e.properties.map((p) => String(p.key.toJSON())).sort().join('\u0000') === keys);
    at.array.push(template ? template.clone().update(value as never) : this.inline(value, at.objs));
  }

  /** A flat object on one line, `{ key: 'value' }`, in the file's key and quote style (else as `build` lays it out). */
  private inline(value: unknown, context: Array<JsonObjectNode | undefined>): JsonValueNode {
    if (!isPlainObject(value) || Object.values(value).some((v) => v !== null && typeof v === 'object')) return this.build(value, context);
    const style = this.keyStyleFor(context);
    const quote = this.quoteFor(context);
    const body = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${keyNode(k, style).toString()}: ${typeof v === 'string' ? stringToken(v, quote).value : JSON.stringify(v)}`)
      .join(', ');
    return JsonParser.parse(`{ ${body} }`, JsonObjectNode);
  }

  setAt(path: readonly string[], index: number, value: unknown): void {
    const at = this.arrayAt(path);
    const element = at?.array.elements[index];
    if (!at || !element) throw new TypeError(`setAt: no entry ${index} at ${path.join('.')}`);
    if (isDeepStrictEqual(element.toJSON(), value)) return;
    const keysOf = (v: unknown) => (isPlainObject(v) ? Object.keys(v).sort().join('\u0000') : undefined);
    // same keys: the entry keeps its layout; otherwise it is written anew, on one line
    const updated = keysOf(element.toJSON()) === keysOf(value) ? element.update(value as never) : this.inline(value, at.objs);
    if (updated !== element) at.array.set(index, updated);
  }

  removeAt(path: readonly string[], index: number): void {
    const at = this.arrayAt(path);
    const element = at?.array.elements[index];
    if (!at || !element) return;
    removeEntry(at.array, element);
    at.array.delete(index);
  }

  toString(): string {
    if (!this.wasEmpty) return this.root.toString();
    // a file that was `{}` has no layout to copy: lay the object out as new files are, and keep
    // what surrounds the braces (a header comment, the final newline)
    const parts = this.root.children.map((c) => c.toString());
    const open = this.root.children.findIndex((c) => c instanceof JsonTokenNode && c.isType(JsonTokenType.BRACE_LEFT));
    const close = this.root.children.findIndex((c) => c instanceof JsonTokenNode && c.isType(JsonTokenType.BRACE_RIGHT));
    if (open === -1 || close === -1) return this.root.toString(NEW_FILE_FORMATTING);
    const fresh = new JsonObjectNode({ properties: [] });
    for (const p of this.root.properties) fresh.set(p.key, p.value);
    return parts.slice(0, open).join('') + fresh.toString(NEW_FILE_FORMATTING) + parts.slice(close + 1).join('');
  }
}

export const NEW_FILE_FORMATTING: Formatting = {
  indentationCharacter: 'space',
  string: { quote: 'single' },
  property: { unquoted: true },
  object: { indentationSize: 2, entryIndentation: true, leadingIndentation: true, trailingIndentation: true, trailingComma: true, commaSpacing: true, colonSpacing: true },
  array: { indentationSize: 2, entryIndentation: true, leadingIndentation: true, trailingIndentation: true, trailingComma: true, commaSpacing: true, colonSpacing: true },
};
