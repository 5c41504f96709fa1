/**
 * A lossless, editable config file. The text is the document: src/config/json5.ts gives its tree
 * (offsets into the text), and every edit is a splice of the text, after which the text is read
 * again. Only the bytes of the values a verb sets change; comments, quoting, key order, indentation,
 * trailing commas, line endings and a BOM stay.
 *
 * What an edit writes copies its neighbours:
 * - a new entry goes after the last one of its block (after the comments that follow it): on a line
 *   of its own with the entries' indentation when the block has one entry per line, else after ", ";
 *   a comma is added where the block's entries have one after them;
 * - a new object or array is laid out like the block it goes into (one entry per line, or inline);
 *   an object inside an array is written on one line, `{ tenant: 'x' }`;
 * - keys are bare or quoted, strings single- or double-quoted, as most of their neighbours are: the
 *   same object first, then the enclosing objects, then the whole file; a changed string keeps its quotes;
 * - an empty file, `{}`, is laid out as new files are: two spaces, trailing commas.
 */
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../errors.js';
import { entryStart, isSpace, parseJson5, toValue, type Json5Block, type Json5Entry, type Json5Node } from './json5.js';
import { lastProperty, type ConfigTree } from './tree.js';

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

/** How a block writes its entries, read from the block (or, when it has none, from its parents). */
interface Layout {
  /** one entry per line */
  multiline: boolean;
  /** the entries' indentation (one entry per line) */
  indent: string;
  /** a comma after the last entry */
  comma: boolean;
  /** after the ',' between inline entries */
  gap: string;
  /** inside the brackets of an inline object and of an inline array */
  pad: { object: string; array: string };
}

/** How a new value is written: its block's layout, the line it starts on, the quoting of its neighbours. */
interface Style extends Layout {
  keyStyle: KeyStyle;
  quote: Quote;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isBlock = (n: Json5Node | undefined): n is Json5Block => n?.kind === 'object' || n?.kind === 'array';
const keysOf = (v: unknown) => (isPlainObject(v) ? Object.keys(v).sort().join('\u0000') : undefined);
const PADS = { object: ' ', array: '' };

function lastIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return i;
  return -1;
}

function stringText(value: string, quote: Quote): string {
  let body = JSON.stringify(value).slice(1, -1);
  if (quote === "'") body = body.replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `${quote}${body}${quote}`;
}

function keyText(name: string, style: KeyStyle): string {
  if (style === 'bare' && IDENTIFIER.test(name)) return name;
  return stringText(name, style === 'bare' ? "'" : style);
}

/** The most common of the votes; a tie yields undefined (let an enclosing block decide). */
function majority<T extends string>(votes: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of votes) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  if (!sorted.length || (sorted[1] && sorted[1][1] === sorted[0]![1])) return undefined;
  return sorted[0]![0];
}

export class Json5ConfigDocument implements ConfigDocument {
  private current: ConfigTree;
  private readonly docKeyStyle: KeyStyle;
  private readonly docQuote: Quote;
  /** the file's line ending and indentation step */
  private readonly nl: string;
  private readonly unit: string;
  /** whether the file's lists have one entry per line (its last list says), when it has one */
  private readonly listsMultiline: boolean | undefined;

  constructor(tree: ConfigTree) {
    if (tree.root.kind !== 'object') throw new InputError('the config must be an object: { version: 1, … }', { code: 'invalid-config' });
    this.current = tree;
    const keys: KeyStyle[] = [];
    const quotes: Quote[] = [];
    let list: Json5Block | undefined;
    const walk = (n: Json5Node): void => {
      if (n.kind === 'string') quotes.push(this.quoteOf(n));
      if (!isBlock(n)) return;
      if (n.kind === 'array' && n.entries.length) list = n;
      for (const e of n.entries) {
        if (e.key) keys.push(e.key.quote ?? 'bare');
        walk(e.value);
      }
    };
    walk(tree.root);
    this.docKeyStyle = majority(keys) ?? keys[0] ?? 'bare';
    this.docQuote = majority(quotes) ?? quotes[0] ?? "'";
    const lf = tree.text.indexOf('\n');
    this.nl = lf > 0 && tree.text[lf - 1] === '\r' ? '\r\n' : '\n';
    this.unit = this.indentStep(tree.root) ?? '  ';
    this.listsMultiline = list && this.layoutOf(list, []).multiline;
  }

  /** The tree of the text as edited so far. */
  get tree(): ConfigTree {
    return this.current;
  }

  toString(): string {
    return this.current.text;
  }

  get(path: readonly string[]): unknown {
    const node = this.nodeAt(path);
    return node && toValue(node);
  }

  set(path: readonly string[], value: unknown): void {
    if (path.length === 0) throw new TypeError('set: empty path');
    if (value === undefined) return this.delete(path);
    if (isDeepStrictEqual(this.get(path), value)) return; // no edit: the bytes stay as they are
    // the deepest object along the path; below it, the rest of the path becomes new objects
    let depth = 0;
    while (depth < path.length - 1 && this.nodeAt(path.slice(0, depth + 1))?.kind === 'object') depth++;
    const parentPath = path.slice(0, depth);
    const key = path[depth]!;
    const nested = path.slice(depth + 1).reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value);
    const parent = this.nodeAt(parentPath) as Json5Block;
    const existing = lastProperty(parent, key);
    if (!existing) return this.insert([...parentPath], key, (style) => this.render(nested, style));
    const node = existing.value;
    if (node.kind === 'object' && isPlainObject(nested)) {
      // an object keeps its layout and comments: its keys are set one by one
      const gone = node.entries.map((e) => e.key!.name).filter((k) => nested[k] === undefined);
      for (const [k, v] of Object.entries(nested)) this.set([...parentPath, key, k], v);
      for (const k of gone) this.delete([...parentPath, key, k]);
      return;
    }
    if (node.kind === 'array' && Array.isArray(nested) && this.updateList([...parentPath, key], nested)) return;
    // a list written anew keeps its own layout; anything else takes its block's
    const own = isBlock(node) && node.entries.length ? this.layoutOf(node, this.blocksAlong(parentPath)) : {};
    this.splice([node.start, node.end, this.render(nested, { ...this.styleAt([...parentPath, key]), ...own, indent: this.lineIndent(node.start) }, node)]);
  }

  delete(path: readonly string[]): void {
    if (path.length === 0) throw new TypeError('delete: empty path');
    const key = path[path.length - 1]!;
    for (;;) {
      const parent = this.nodeAt(path.slice(0, -1));
      const at = parent?.kind === 'object' ? lastIndex(parent.entries, (e) => e.key!.name === key) : -1;
      if (at === -1) return;
      this.remove(parent as Json5Block, at);
    }
  }

  append(path: readonly string[], value: unknown): void {
    if (path.length === 0) throw new TypeError('append: empty path');
    if (this.nodeAt(path)?.kind !== 'array') this.set(path, []);
    const array = this.nodeAt(path) as Json5Block;
    // a new object entry copies the layout of the last entry with the same keys, with new values
    const keys = keysOf(value);
    const at = keys === undefined ? -1 : lastIndex(array.entries, (e) => e.value.kind === 'object' && keysOf(toValue(e.value)) === keys);
    const template = array.entries[at]?.value;
    const text = template ? this.filled(template as Json5Block, value as Record<string, unknown>, path) : undefined;
    this.insert([...path], undefined, (style) => text ?? this.inline(value, style));
  }

  setAt(path: readonly string[], index: number, value: unknown): void {
    const element = this.nodeAt(path)?.kind === 'array' ? (this.nodeAt(path) as Json5Block).entries[index]?.value : undefined;
    if (!element) throw new TypeError(`setAt: no entry ${index} at ${path.join('.')}`);
    if (isDeepStrictEqual(toValue(element), value)) return;
    // same keys: the entry keeps its layout; otherwise it is written anew, on one line
    const text = element.kind === 'object' && keysOf(toValue(element)) === keysOf(value) ? this.filled(element, value as Record<string, unknown>, path) : this.inline(value, this.styleAt(path));
    this.splice([element.start, element.end, text]);
  }

  removeAt(path: readonly string[], index: number): void {
    const array = this.nodeAt(path);
    if (array?.kind === 'array' && array.entries[index]) this.remove(array, index);
  }

  // ---- reading the tree

  private nodeAt(path: readonly string[]): Json5Node | undefined {
    let node: Json5Node | undefined = this.current.root;
    for (const seg of path) node = node?.kind === 'object' ? lastProperty(node, seg)?.value : undefined;
    return node;
  }

  /** The blocks from the root down the path, as far as they go. */
  private blocksAlong(path: readonly string[]): Json5Block[] {
    const out: Json5Block[] = [];
    for (let n = 0; n <= path.length; n++) {
      const node = this.nodeAt(path.slice(0, n));
      if (!isBlock(node)) break;
      out.push(node);
    }
    return out;
  }

  private quoteOf(n: Json5Node): Quote {
    return this.current.text[n.start] as Quote;
  }

  /** How most keys of this object are written. */
  private keyStyleOf(block: Json5Block): KeyStyle | undefined {
    return majority(block.entries.filter((e) => e.key).map((e) => e.key!.quote ?? 'bare'));
  }

  /** How most string values directly in this block are quoted. */
  private stringQuoteOf(block: Json5Block): Quote | undefined {
    return majority(block.entries.filter((e) => e.value.kind === 'string').map((e) => this.quoteOf(e.value)));
  }

  /** The style for a new value at `path`: the layout of the block it goes into, the quoting of its neighbours. */
  private styleAt(path: readonly string[]): Style {
    const blocks = this.blocksAlong(path.slice(0, -1));
    const objects = blocks.filter((b) => b.kind === 'object');
    let keyStyle: KeyStyle | undefined;
    let quote: Quote | undefined;
    for (let i = objects.length - 1; i >= 0; i--) {
      keyStyle ??= this.keyStyleOf(objects[i]!);
      quote ??= this.stringQuoteOf(objects[i]!);
    }
    return { ...this.layoutOf(blocks.at(-1)!, blocks.slice(0, -1)), keyStyle: keyStyle ?? this.docKeyStyle, quote: quote ?? this.docQuote };
  }

  /** The white space that starts the line holding `offset`. */
  private lineIndent(offset: number): string {
    const { text } = this.current;
    const from = text.lastIndexOf('\n', offset - 1) + 1;
    let to = from;
    while (to < offset && isSpace(text.charCodeAt(to)) && text.charCodeAt(to) !== 13) to++;
    return text.slice(from, to);
  }

  /** Whether `offset` is the first thing on its line. */
  private startsLine(offset: number): boolean {
    const { text } = this.current;
    return this.lineIndent(offset).length === offset - (text.lastIndexOf('\n', offset - 1) + 1);
  }

  private between(from: number, to: number): string {
    return this.current.text.slice(from, to);
  }

  private layoutOf(block: Json5Block, parents: Json5Block[]): Layout {
    const { entries } = block;
    const outer = this.lineIndent(block.start);
    const spaces = (s: string) => /^[^\S\r\n]*$/.test(s);
    if (entries.length === 0) {
      // nothing to copy: lay it out like the block it is in (the root like a new file)
      const parent = parents.at(-1);
      const around = parent ? this.layoutOf(parent, parents.slice(0, -1)) : undefined;
      return { multiline: around?.multiline ?? true, indent: outer + this.unit, comma: around?.comma ?? true, gap: around?.gap ?? ' ', pad: around?.pad ?? PADS };
    }
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    const multiline =
      /\n/.test(this.between(block.start + 1, entryStart(first))) || entries.some((e, i) => i > 0 && /\n/.test(this.between(entries[i - 1]!.value.end, entryStart(e))));
    const lined = entries[lastIndex(entries, (e) => this.startsLine(entryStart(e)))];
    const padding = this.between(block.start + 1, entryStart(first));
    const pad = spaces(padding) ? padding : PADS[block.kind];
    const separator = entries.length > 1 ? this.between(first.comma + 1, entryStart(entries[1]!)) : undefined;
    return {
      multiline,
      indent: lined ? this.lineIndent(entryStart(lined)) : outer + this.unit,
      comma: last.comma !== -1,
      // `{a:1}` is written without spaces: so are new entries
      gap: separator !== undefined && spaces(separator) ? separator : pad === '' && block.kind === 'object' ? '' : ' ',
      pad: { ...PADS, [block.kind]: pad },
    };
  }

  /** The file's indentation step: how much deeper a block's entries stand than the line it opens on. */
  private indentStep(node: Json5Node): string | undefined {
    if (!isBlock(node) || node.entries.length === 0) return undefined;
    const outer = this.lineIndent(node.start);
    const lined = node.entries.find((e) => this.startsLine(entryStart(e)));
    const indent = lined && this.lineIndent(entryStart(lined));
    if (indent && indent.length > outer.length && indent.startsWith(outer)) return indent.slice(outer.length);
    for (const e of node.entries) {
      const step = this.indentStep(e.value);
      if (step) return step;
    }
    return undefined;
  }

  // ---- writing

  /** Replace [start, end) with `insert`, for each edit (they do not overlap), and read the text again. */
  private splice(...edits: Array<[start: number, end: number, insert: string]>): void {
    let { text } = this.current;
    for (const [start, end, insert] of [...edits].sort((a, b) => b[0] - a[0])) text = text.slice(0, start) + insert + text.slice(end);
    this.current = { text, root: parseJson5(text) };
  }

  /** A new value as text, laid out for the line it starts on. */
  private render(value: unknown, style: Style, previous?: Json5Node): string {
    if (typeof value === 'string') return stringText(value, previous?.kind === 'string' ? this.quoteOf(previous) : style.quote);
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
    if (typeof value !== 'object') throw new TypeError(`cannot write a ${typeof value} into the config`);
    const inner: Style = { ...style, indent: style.indent + this.unit };
    const isArray = Array.isArray(value);
    const items = isArray
      ? value.map((v) => (isPlainObject(v) ? this.inline(v, style) : this.render(v, inner)))
      : Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${keyText(k, style.keyStyle)}: ${this.render(v, inner)}`);
    const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
    if (items.length === 0) return open + close;
    // a new list is laid out as the file's lists are
    const multiline = isArray && previous?.kind !== 'array' ? (this.listsMultiline ?? style.multiline) : style.multiline;
    if (multiline) return `${open}${items.map((i) => `${this.nl}${inner.indent}${i}`).join(',')}${style.comma ? ',' : ''}${this.nl}${style.indent}${close}`;
    const pad = style.pad[isArray ? 'array' : 'object'];
    return `${open}${pad}${items.join(`,${style.gap}`)}${previous && style.comma ? ',' : ''}${pad}${close}`;
  }

  /** A flat object on one line, `{ key: 'value' }`, in the neighbours' key and quote style (else laid out as render() does). */
  private inline(value: unknown, style: Style): string {
    if (!isPlainObject(value) || Object.values(value).some((v) => v !== null && typeof v === 'object')) return this.render(value, style);
    const body = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${keyText(k, style.keyStyle)}: ${typeof v === 'string' ? stringText(v, style.quote) : JSON.stringify(v)}`)
      .join(', ');
    return `{ ${body} }`;
  }

  /** An object's text with new values for its keys (the same keys): layout, comments and quotes stay. */
  private filled(object: Json5Block, value: Record<string, unknown>, path: readonly string[]): string {
    const style = this.styleAt(path);
    let text = this.between(object.start, object.end);
    for (const e of [...object.entries].reverse()) {
      const v = value[e.key!.name];
      if (isDeepStrictEqual(toValue(e.value), v)) continue;
      text = text.slice(0, e.value.start - object.start) + this.render(v, style, e.value) + text.slice(e.value.end - object.start);
    }
    return text;
  }

  /**
   * A list set to `next`: when `next` is the list without some entries, then new ones, those are
   * removed and added one by one (the others keep their bytes and comments); false when it is not.
   */
  private updateList(path: readonly string[], next: unknown[]): boolean {
    const old = toValue(this.nodeAt(path)!) as unknown[];
    const has = (list: unknown[], v: unknown) => list.some((x) => isDeepStrictEqual(x, v));
    const kept = old.filter((v) => has(next, v));
    const added = next.filter((v) => !has(old, v));
    // (with nothing kept, the list is written anew in its own layout)
    if (kept.length === 0 || !isDeepStrictEqual([...kept, ...added], next)) return false;
    for (let i = old.length - 1; i >= 0; i--) if (!has(next, old[i])) this.removeAt(path, i);
    for (const v of added) this.insert(path, undefined, (style) => this.render(v, { ...style, quote: this.stringQuoteOf(this.nodeAt(path) as Json5Block) ?? style.quote }));
    return true;
  }

  /** Add an entry (a property when `key` is given) after the last entry of the block at `path`. */
  private insert(path: readonly string[], key: string | undefined, valueText: (style: Style) => string): void {
    const block = this.nodeAt(path) as Json5Block;
    const style = this.styleAt([...path, key ?? '']);
    const entry = `${key === undefined ? '' : `${keyText(key, style.keyStyle)}: `}${valueText(style)}`;
    const close = block.end - 1;
    const last = block.entries.at(-1);
    if (!last) {
      const inside = this.between(block.start + 1, close);
      const pad = style.pad[block.kind];
      if (!style.multiline) return this.splice([block.start + 1, close, `${pad}${entry}${pad}`]);
      const line = `${this.nl}${style.indent}${entry}${style.comma ? ',' : ''}`;
      if (/^\s*$/.test(inside)) return this.splice([block.start + 1, close, `${line}${this.nl}${this.lineIndent(block.start)}`]);
      return this.splice([block.start + 1, block.start + 1, line]);
    }
    // the last entry gets the comma that now separates it from the new one
    const comma: Array<[number, number, string]> = last.comma === -1 ? [[last.value.end, last.value.end, ',']] : [];
    if (!style.multiline) {
      if (last.comma !== -1) return this.splice([last.comma + 1, last.comma + 1, `${style.gap}${entry},`]);
      return this.splice([last.value.end, last.value.end, `,${style.gap}${entry}`]);
    }
    // one entry per line: after the last entry's line and the comment lines under it, when the
    // closing bracket has a line of its own; else right after the last entry
    const lineStart = this.current.text.lastIndexOf('\n', close - 1);
    const ownLine = lineStart > last.value.end && this.startsLine(close);
    const at = ownLine ? (this.current.text[lineStart - 1] === '\r' ? lineStart - 1 : lineStart) : last.comma !== -1 ? last.comma + 1 : last.value.end;
    this.splice([at, at, `${this.nl}${style.indent}${entry}${style.comma ? ',' : ''}`], ...comma);
  }

  /**
   * Remove an entry with the bytes that belong to it: its line (indentation, comma, same-line
   * comments, line break) when it has one to itself, else just the entry and its separator. When the
   * last entry goes and had no comma after it, the comma before it was a separator: it goes too.
   */
  private remove(block: Json5Block, index: number): void {
    const { text } = this.current;
    const entry = block.entries[index]!;
    const from = entryStart(entry);
    let end = entry.value.end;
    let hadComma = false;
    let trailingSpace = false;
    for (;;) {
      const c = text.charCodeAt(end);
      if (isSpace(c) && !(c === 13 && text.charCodeAt(end + 1) === 10)) {
        trailingSpace = true;
        end++;
      } else if (c === 44) {
        hadComma = true;
        end++;
      } else if (c === 47 && text[end + 1] === '/') {
        while (end < text.length && !/[\r\n\u2028\u2029]/.test(text[end]!)) end++;
      } else if (c === 47 && text[end + 1] === '*' && !text.slice(end, text.indexOf('*/', end + 2)).includes('\n')) {
        end = text.indexOf('*/', end + 2) + 2;
      } else {
        break;
      }
    }
    let start = from;
    while (start > block.start + 1 && text[start - 1] !== '\n' && isSpace(text.charCodeAt(start - 1))) start--;
    const ownLine = text[start - 1] === '\n';
    if (ownLine && text.startsWith('\n', end)) end += 1;
    else if (ownLine && text.startsWith('\r\n', end)) end += 2;
    const isLast = index === block.entries.length - 1;
    // inline: keep the space in front, unless the entry was the last one and closed the block (`[a, b]`)
    if (!ownLine && !(isLast && !trailingSpace)) start = from;
    // a block left with nothing but white space is written `{}` / `[]`
    if (block.entries.length === 1 && /^\s*$/.test(text.slice(block.start + 1, start) + text.slice(end, block.end - 1))) {
      return this.splice([block.start + 1, block.end - 1, '']);
    }
    const previousComma = isLast && !hadComma && index > 0 ? block.entries[index - 1]!.comma : -1;
    this.splice([start, end, ''], ...(previousComma === -1 ? [] : [[previousComma, previousComma + 1, ''] as [number, number, string]]));
  }
}
