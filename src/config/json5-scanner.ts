/**
 * The JSON5 tokenizer of the config reader (json5.ts): one pass over character codes, each token a
 * kind and its [start, end) offsets in the text. The language it accepts is described in json5.ts.
 */

/** Token kinds, as the error messages name them. */
export type TokenType =
  | 'BRACE_LEFT'
  | 'BRACE_RIGHT'
  | 'BRACKET_LEFT'
  | 'BRACKET_RIGHT'
  | 'COLON'
  | 'COMMA'
  | 'LINE_COMMENT'
  | 'BLOCK_COMMENT'
  | 'STRING'
  | 'NEWLINE'
  | 'WHITESPACE'
  | 'NUMBER'
  | 'NULL'
  | 'BOOLEAN'
  | 'IDENTIFIER'
  | 'EOF';

export class Json5SyntaxError extends Error {
  constructor(
    message: string,
    /** where the offending token starts */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'Json5SyntaxError';
  }
}

const ID_START = /[$_\p{ID_Start}]/u;
const ID_CONTINUE = /[$_\u200C\u200D\p{ID_Continue}]/u;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAsciiIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95;

/** White space other than a line feed: ' ', \t, \v, \f, a \r not before \n, and the Unicode spaces. */
export function isSpace(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff ||
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** The code point at `i` is one an identifier may start (or, `continues`, go on) with. */
function isIdAt(text: string, i: number, continues: boolean): boolean {
  const c = text.charCodeAt(i);
  if (Number.isNaN(c)) return false;
  if (c < 128) return isAsciiIdStart(c) || (continues && isDigit(c));
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  return (continues ? ID_CONTINUE : ID_START).test(ch);
}

export class Scanner {
  type: TokenType = 'EOF';
  start = 0;
  end = 0;

  constructor(readonly text: string) {}

  /** The next token from `end`; no token matching is an error at that character. */
  advance(): void {
    const { text } = this;
    const i = this.end;
    this.start = i;
    if (i >= text.length) return this.token('EOF', i);
    const c = text.charCodeAt(i);
    switch (c) {
      case 123:
        return this.token('BRACE_LEFT', i + 1);
      case 125:
        return this.token('BRACE_RIGHT', i + 1);
      case 91:
        return this.token('BRACKET_LEFT', i + 1);
      case 93:
        return this.token('BRACKET_RIGHT', i + 1);
      case 58:
        return this.token('COLON', i + 1);
      case 44:
        return this.token('COMMA', i + 1);
      case 47: {
        const next = text.charCodeAt(i + 1);
        if (next === 47) {
          let j = i + 2;
          for (let d = text.charCodeAt(j); j < text.length && d !== 10 && d !== 13 && d !== 0x2028 && d !== 0x2029; d = text.charCodeAt(++j));
          return this.token('LINE_COMMENT', j);
        }
        if (next === 42) {
          const close = text.indexOf('*/', i + 2);
          if (close !== -1) return this.token('BLOCK_COMMENT', close + 2);
        }
        break;
      }
      case 34:
      case 39: {
        const end = this.stringEnd(i, c);
        if (end !== -1) return this.token('STRING', end);
        break;
      }
      case 10:
        return this.token('NEWLINE', i + 1);
    }
    if (c === 13 && text.charCodeAt(i + 1) === 10) return this.token('NEWLINE', i + 2);
    if (isSpace(c)) {
      let j = i + 1;
      // a run of spaces stops before the \r of a \r\n
      while (j < text.length && isSpace(text.charCodeAt(j)) && !(text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10)) j++;
      return this.token('WHITESPACE', j);
    }
    const number = this.numberEnd(i);
    if (number !== -1) return this.token('NUMBER', number);
    if (isIdAt(text, i, false)) {
      let j = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      while (j < text.length && isIdAt(text, j, true)) j += text.codePointAt(j)! > 0xffff ? 2 : 1;
      const word = text.slice(i, j);
      if (word === 'null') return this.token('NULL', j);
      if (word === 'true' || word === 'false') return this.token('BOOLEAN', j);
      return this.token('IDENTIFIER', j);
    }
    throw new Json5SyntaxError(`Unexpected token '${text[i]}'`, i);
  }

  private token(type: TokenType, end: number): void {
    this.type = type;
    this.end = end;
  }

  /** The end of the string starting at `i` (the offset after its closing quote), or -1. */
  private stringEnd(i: number, quote: number): number {
    const { text } = this;
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === quote) return j + 1;
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return -1;
      if (c === 92) {
        if (j + 1 >= text.length) return -1;
        j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 2 : 1;
      }
    }
    return -1;
  }

  /** The end of the number starting at `i`, or -1. */
  private numberEnd(i: number): number {
    const { text } = this;
    let j = i;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    for (const word of ['NaN', 'Infinity']) {
      if (text.startsWith(word, j) && !isIdAt(text, j + word.length, true)) return j + word.length;
    }
    const c = text.charCodeAt(j);
    if (c === 48 && (text.charCodeAt(j + 1) | 32) === 120 && isHex(text.charCodeAt(j + 2))) {
      j += 3;
      while (isHex(text.charCodeAt(j))) j++;
      return j;
    }
    if (isDigit(c)) {
      j++;
      if (c !== 48) while (isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46) for (j++; isDigit(text.charCodeAt(j)); j++);
    } else if (c === 46) {
      for (j++; isDigit(text.charCodeAt(j)); j++);
    } else {
      return -1;
    }
    if ((text.charCodeAt(j) | 32) === 101) {
      let k = j + 1;
      const s = text.charCodeAt(k);
      if (s === 43 || s === 45) k++;
      if (isDigit(text.charCodeAt(k))) {
        while (isDigit(text.charCodeAt(k))) k++;
        j = k;
      }
    }
    return j;
  }
}
