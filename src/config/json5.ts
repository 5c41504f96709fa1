/**
 * A lossless JSON5 reader: the syntax tree records where every key, value and separating comma
 * stands in the text, and the text stays the document. An edit is a splice of that text
 * (src/config/document.ts), so every byte it does not touch — comments, quoting, layout, CRLF, a
 * BOM — stays. One pass over character codes: a config is read in well under a millisecond, even on
 * a cold start (docs/cli.md, "Start-up").
 *
 * The language is JSON5 (<https://spec.json5.org/>) as the config has always been read here:
 * - strings in ' or ", no raw line break or control character inside, `\` + line break continues
 *   the line; escapes are JSON's (\" \\ \/ \b \f \n \r \t \uXXXX) and \' — others (\x41, \0, \v) are
 *   refused, as they always were here;
 * - keys are strings or identifiers, not a reserved word (`default`, `if`, …), not a number;
 * - numbers: JSON's plus hex, a leading + or ., a trailing ., Infinity and NaN;
 * - // and /* *\/ comments; white space includes U+00A0, U+FEFF (a BOM), U+2028, U+2029 and the
 *   Unicode space separators.
 * Errors say where (an offset; src/config/tree.ts makes it line:column) and what was found, in the
 * words src/config/tree.ts `syntaxMessage` turns into advice.
 */
import { isSpace, Json5SyntaxError, Scanner, type TokenType } from './json5-scanner.js';

export { isSpace, Json5SyntaxError };

export interface Json5Scalar {
  kind: 'string' | 'number' | 'boolean' | 'null';
  /** offsets into the text: [start, end) */
  start: number;
  end: number;
  value: string | number | boolean | null;
}

export interface Json5Key {
  name: string;
  start: number;
  end: number;
  /** how the key is written: quoted, or a bare identifier (undefined) */
  quote?: "'" | '"';
}

/** A property of an object (with a key) or an element of an array. */
export interface Json5Entry {
  key?: Json5Key;
  /** the ':' of a property */
  colon: number;
  value: Json5Node;
  /** the ',' after the entry, or -1 */
  comma: number;
}

export interface Json5Block {
  kind: 'object' | 'array';
  /** from the '{' or '[' to just after the '}' or ']' */
  start: number;
  end: number;
  entries: Json5Entry[];
}

export type Json5Node = Json5Block | Json5Scalar;

const RESERVED = new Set(
  ('await break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with yield ' +
    'implements interface package private protected public').split(' '),
);

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

const INSIGNIFICANT = new Set<TokenType>(['WHITESPACE', 'NEWLINE', 'LINE_COMMENT', 'BLOCK_COMMENT']);

class Parser {
  private readonly s: Scanner;

  constructor(private readonly text: string) {
    this.s = new Scanner(text);
  }

  parse(): Json5Node {
    this.next();
    const root = this.value();
    if (this.s.type !== 'EOF') throw this.unexpected();
    return root;
  }

  /** Advance past white space and comments. */
  private next(): void {
    do this.s.advance();
    while (INSIGNIFICANT.has(this.s.type));
  }

  private unexpected(): Json5SyntaxError {
    return new Json5SyntaxError(`Unexpected token '${this.text.slice(this.s.start, this.s.end)}'`, this.s.start);
  }

  private expect(...types: TokenType[]): void {
    if (types.includes(this.s.type)) return;
    const wanted = types.length === 1 ? types[0] : `either ${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
    throw new Json5SyntaxError(`Expected ${wanted}, but got ${this.s.type}`, this.s.start);
  }

  private value(): Json5Node {
    const { s } = this;
    const { start, end } = s;
    switch (s.type) {
      case 'BRACE_LEFT':
      case 'BRACKET_LEFT':
        return this.block(s.type === 'BRACE_LEFT' ? 'object' : 'array');
      case 'STRING': {
        const value = this.string();
        this.next();
        return { kind: 'string', start, end, value };
      }
      case 'NUMBER': {
        const value = this.number();
        this.next();
        return { kind: 'number', start, end, value };
      }
      case 'BOOLEAN':
        this.next();
        return { kind: 'boolean', start, end, value: this.text.startsWith('true', start) };
      case 'NULL':
        this.next();
        return { kind: 'null', start, end, value: null };
      default:
        throw this.unexpected();
    }
  }

  private block(kind: 'object' | 'array'): Json5Block {
    const { s } = this;
    const start = s.start;
    const close: TokenType = kind === 'object' ? 'BRACE_RIGHT' : 'BRACKET_RIGHT';
    const entries: Json5Entry[] = [];
    this.next();
    while (s.type !== close) {
      let key: Json5Key | undefined;
      let colon = -1;
      if (kind === 'object') {
        this.expect('STRING', 'IDENTIFIER');
        key = this.key();
        this.next();
        this.expect('COLON');
        colon = s.start;
        this.next();
      }
      const value = this.value();
      let comma = -1;
      if (s.type !== close) {
        this.expect('COMMA');
        comma = s.start;
        this.next();
      }
      entries.push({ ...(key ? { key } : {}), colon, value, comma });
    }
    const end = s.end;
    this.next();
    return { kind, start, end, entries };
  }

  private key(): Json5Key {
    const { s } = this;
    if (s.type === 'STRING') {
      const quote = this.text[s.start] as "'" | '"';
      return { name: this.string(), start: s.start, end: s.end, quote };
    }
    const name = this.text.slice(s.start, s.end);
    if (RESERVED.has(name)) throw new Json5SyntaxError(`Reserved identifier '${name}'`, s.start);
    return { name, start: s.start, end: s.end };
  }

  /** The string token's value: its escapes are JSON's and \', with line continuations. */
  private string(): string {
    const { s, text } = this;
    const body = text.slice(s.start + 1, s.end - 1);
    // most strings hold no escape and no control character: they are their text
    if (!/[\\\u0000-\u001F]/.test(body)) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      const at = s.start + 1 + i;
      if (c.charCodeAt(0) < 0x20) {
        throw new Json5SyntaxError(`Invalid string: a control character (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) must be written as an escape`, at);
      }
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = body[++i]!;
      if (Object.hasOwn(ESCAPES, e)) out += ESCAPES[e];
      else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(body.slice(i + 1, i + 5))) {
        out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
      } else if (e === '\r') {
        if (body[i + 1] === '\n') i++; // a line continuation
      } else if (e !== '\n' && e !== '\u2028' && e !== '\u2029') {
        throw new Json5SyntaxError(`Invalid string: the escape \\${e} is not one of \\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`, at);
      }
    }
    return out;
  }

  private number(): number {
    const { s } = this;
    let text = this.text.slice(s.start, s.end);
    let sign = 1;
    if (text.startsWith('+') || text.startsWith('-')) {
      if (text.startsWith('-')) sign = -1;
      text = text.slice(1);
    }
    if (text === 'Infinity') return sign * Infinity;
    if (text === 'NaN') return NaN;
    if (/^0x/i.test(text)) return sign * Number.parseInt(text, 16);
    text = text.startsWith('.') ? `0${text}` : text.replace(/\.(?!\d)/, '');
    try {
      return sign * (JSON.parse(text) as number);
    } catch {
      throw this.unexpected();
    }
  }
}

/** Parse JSON5 text into its lossless tree; Json5SyntaxError (with an offset) when it is not JSON5. */
export function parseJson5(text: string): Json5Node {
  return new Parser(text).parse();
}

/** The JavaScript value of a node (the last of duplicate keys wins, as in JSON.parse). */
export function toValue(node: Json5Node): unknown {
  if (node.kind === 'object') return Object.fromEntries(node.entries.map((e) => [e.key!.name, toValue(e.value)]));
  if (node.kind === 'array') return node.entries.map((e) => toValue(e.value));
  return (node as Json5Scalar).value;
}

/** Where an entry starts: its key, or (an array element) its value. */
export const entryStart = (e: Json5Entry): number => e.key?.start ?? e.value.start;

/** Line and column (1-based; columns count code points) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let from = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    from = i + 1;
  }
  let column = 1;
  for (let i = from; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < offset)) column++;
  }
  return { line, column };
}
