/**
 * Distinguished names as users type them for --subject: "CN=Restore Portal, O=Contoso, C=US"
 * (RFC 4514 / Windows order, most specific first; `\,` escapes a comma; "CN=a+OU=b" is one
 * multi-valued RDN — kept simple here: each attribute becomes its own RDN).
 */
import { UsageError } from '../errors.js';

export interface DnAttribute {
  /** short name as typed, upper-cased (CN, O, …) or an OID */
  type: string;
  value: string;
}

/** short name → OID (the ones X.509 tools commonly accept; S is Windows' spelling of ST) */
export const DN_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  S: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  DC: '0.9.2342.19200300.100.1.25',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
};

const EXAMPLE = 'e.g. --subject "CN=Veeam Restore Portal, O=Contoso, C=US"';

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      cur += ch + text[i + 1]!;
      i++;
    } else if (ch === sep) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Parse a DN; UsageError (64) with an example when it is not one. Accepts a bare name as CN. */
export function parseDn(text: string): DnAttribute[] {
  const trimmed = text.trim();
  if (!trimmed) throw new UsageError(`--subject is empty; ${EXAMPLE}`);
  if (!/^[A-Za-z][A-Za-z0-9.]*\s*=/.test(trimmed)) {
    throw new UsageError(`--subject "${text}" is not a distinguished name (TYPE=value, …); ${EXAMPLE}`);
  }
  const attrs: DnAttribute[] = [];
  for (const rdn of splitUnescaped(trimmed, ',')) {
    for (const part of splitUnescaped(rdn, '+')) {
      const eq = part.indexOf('=');
      const type = (eq < 0 ? '' : part.slice(0, eq)).trim().toUpperCase().replace(/^OID\./, '');
      const value = unescape(eq < 0 ? '' : part.slice(eq + 1).trim());
      if (!type || !(type in DN_OIDS || /^\d+(\.\d+)+$/.test(type))) {
        throw new UsageError(
          `--subject: unknown attribute "${part.trim()}" (known: CN, O, OU, L, ST, C, E, DC, STREET, SERIALNUMBER, TITLE, or an OID); ${EXAMPLE}`,
        );
      }
      if (!value) throw new UsageError(`--subject: ${type} has no value; ${EXAMPLE}`);
      if (type === 'C' && !/^[A-Za-z]{2}$/.test(value)) {
        throw new UsageError(`--subject: C must be a two-letter country code, not "${value}"; ${EXAMPLE}`);
      }
      attrs.push({ type, value });
    }
  }
  if (!attrs.some((a) => a.type === 'CN')) {
    throw new UsageError(`--subject "${text}" has no CN; ${EXAMPLE}`);
  }
  return attrs;
}
