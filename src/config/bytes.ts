/**
 * The config file's bytes before they reach the JSON5 parser, which is not built for hostile input
 * (a config may come from git): a size cap, strict UTF-8, and a nesting cap. Each refusal is an
 * InputError (exit 65) with the file:line:column where the problem starts.
 *
 * Why refuse a file that is not UTF-8 rather than keep its bytes: the values go to Entra (a display
 * name, a redirect URI) and must be the characters the author meant, and an edit must give back the
 * comments byte for byte. Decoding leniently turned a stray byte into U+FFFD — in a comment, an
 * unrelated edit then rewrote it; in a value, `Caf\uFFFD` would have been registered. Guessing an
 * encoding instead (Windows-1252 and UTF-16 files are common where VB365 runs) cannot be told right
 * from wrong: 0xE9 is 'é' in Windows-1252 but 'щ' in KOI8-R. Converting once is easy, and the message
 * says where the first foreign byte is and how.
 */
import { InputError, type SourceLocation } from '../errors.js';

/** A config is a few KiB; 1 MiB leaves room for thousands of customers and stops a 20 MB string. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** The schema nests 4 levels; the parser and the validators recurse per level. */
export const MAX_CONFIG_DEPTH = 32;

/** Line and column (1-based, in characters) of a byte offset in UTF-8 bytes that are valid up to it. */
function locationOf(bytes: Buffer, offset: number, file: string): SourceLocation {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { file, line: lines.length, column: [...lines[lines.length - 1]!].length + 1 };
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // lead byte → sequence length and the range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF)
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return -1;
}

const CONVERT =
  'Save the file as UTF-8: in an editor ("Save with encoding: UTF-8"), with iconv -f WINDOWS-1252 -t UTF-8 <file> > <file>.utf8, ' +
  'or in Windows PowerShell: Get-Content <file> | Set-Content -Encoding UTF8 <file>.utf8 — then replace the file with it.';

/** Bytes → text, refusing what is not UTF-8 (a BOM is kept: the editor gives it back). */
export function decodeConfig(bytes: Buffer, file: string): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputError(`${file} is not UTF-8: it is UTF-16 (it starts with a UTF-16 byte-order mark)`, {
      code: 'config-encoding',
      remedy: CONVERT.replace('WINDOWS-1252', 'UTF-16'),
      problems: [{ path: '', message: 'UTF-16 byte-order mark: the file must be UTF-8', location: { file, line: 1, column: 1 } }],
    });
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) return bytes.toString('utf8');
  const location = locationOf(bytes, bad, file);
  const byte = bytes[bad]!;
  const cp1252 = new TextDecoder('windows-1252').decode(bytes.subarray(bad, bad + 1));
  const guess = byte >= 0x80 && /\P{C}/u.test(cp1252) ? ` ('${cp1252}' in Windows-1252)` : '';
  throw new InputError(`${file} is not UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}${guess} at line ${location.line}, column ${location.column}`, {
    code: 'config-encoding',
    remedy: CONVERT,
    problems: [{ path: '', message: `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8${guess}`, location }],
  });
}

/**
 * Refuse nesting deeper than MAX_CONFIG_DEPTH before parsing: `{` and `[` outside strings and
 * comments are counted, the first one too deep is reported where it stands.
 */
export function checkNesting(text: string, file: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      // skip the string, escapes included (an unclosed one is the parser's to report)
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      if (++depth > MAX_CONFIG_DEPTH) {
        const lines = text.slice(0, i).split('\n');
        const location = { file, line: lines.length, column: [...lines[lines.length - 1]!].length + 1 };
        throw new InputError(`${file} nests objects or arrays more than ${MAX_CONFIG_DEPTH} levels deep`, {
          code: 'config-too-deep',
          problems: [{ path: '', message: `nesting deeper than ${MAX_CONFIG_DEPTH} levels (an entra-portal config needs 4)`, location }],
        });
      }
    } else if (c === '}' || c === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
}
