/**
 * The `$filter` subset directory objects support (https://learn.microsoft.com/graph/aad-advanced-queries):
 * `eq`, `ne`, `ge`, `le`, `in (…)`, `startsWith(p,'v')`, `endsWith(p,'v')`, `not`, `and`, `or`,
 * parentheses and `collection/any(x:x eq 'v')`. `ne`, `not` and `endsWith` are *advanced*
 * operators: they need `ConsistencyLevel: eventual` and `$count=true`.
 */
import { GraphError } from '../http.js';

export type Predicate = (obj: Record<string, unknown>) => boolean;

export interface ParsedFilter {
  test: Predicate;
  /** the first advanced operator used, if any */
  advanced?: string;
}

type Tok = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'p'; v: string };

const invalid = (why: string): GraphError => new GraphError(400, 'BadRequest', `Invalid filter clause: ${why}`);

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw invalid('unterminated string literal');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v });
    } else if ('(),:'.includes(c)) {
      out.push({ t: 'p', v: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.$/@-]+/.exec(src.slice(i));
      if (!m) throw invalid(`Syntax error: character '${c}' is not valid at position ${i} in '${src}'.`);
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

type Value = string | number | boolean | null;

function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

export function parseFilter(src: string, resource: string, props: ReadonlySet<string>, collections: ReadonlySet<string>): ParsedFilter {
  const toks = tokenize(src);
  let pos = 0;
  let advanced: string | undefined;
  const peek = () => toks[pos];
  const next = () => {
    const t = toks[pos++];
    if (!t) throw invalid(`unexpected end of '${src}'`);
    return t;
  };
  const expectP = (v: string) => {
    const t = next();
    if (t.t !== 'p' || t.v !== v) throw invalid(`expected '${v}' in '${src}'`);
  };
  const isWord = (t: Tok | undefined, w: string) => t?.t === 'word' && t.v.toLowerCase() === w;
  const unsupported = (p: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${p}' of resource '${resource}'.`);
  const prop = (name: string) => {
    if (!props.has(name)) throw unsupported(name);
    return name;
  };
  const literal = (): Value => {
    const t = next();
    if (t.t === 'str') return t.v;
    if (t.t === 'word') {
      const w = t.v.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
      if (/^-?\d+(\.\d+)?$/.test(w)) return Number(w);
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(w)) return w;
    }
    throw invalid(`expected a literal in '${src}'`);
  };
  const compare = (op: string, a: unknown, b: Value): boolean => {
    const x = norm(a);
    const y = norm(b);
    switch (op) {
      case 'eq':
        return x === y;
      case 'ne':
        return x !== y;
      case 'ge':
        return x !== null && y !== null && (x as string) >= (y as string);
      case 'le':
        return x !== null && y !== null && (x as string) <= (y as string);
      default:
        throw invalid(`operator '${op}' is not supported`);
    }
  };

  const primary = (): Predicate => {
    const t = next();
    if (t.t === 'p' && t.v === '(') {
      const e = orExpr();
      expectP(')');
      return e;
    }
    if (t.t !== 'word') throw invalid(`unexpected '${t.v}' in '${src}'`);
    const lower = t.v.toLowerCase();
    if (lower === 'not') {
      advanced ??= 'not';
      const inner = primary();
      return (o) => !inner(o);
    }
    if ((lower === 'startswith' || lower === 'endswith') && peek()?.t === 'p' && peek()!.v === '(') {
      if (lower === 'endswith') advanced ??= 'endsWith';
      expectP('(');
      const pt = next();
      if (pt.t !== 'word') throw invalid(`expected a property in '${src}'`);
      const p = prop(pt.v);
      expectP(',');
      const v = literal();
      expectP(')');
      if (typeof v !== 'string') throw invalid(`${t.v} takes a string`);
      const needle = v.toLowerCase();
      return (o) => {
        const x = o[p];
        if (typeof x !== 'string') return false;
        return lower === 'startswith' ? x.toLowerCase().startsWith(needle) : x.toLowerCase().endsWith(needle);
      };
    }
    const any = /^([A-Za-z]+)\/(any|all)$/i.exec(t.v);
    if (any) {
      const coll = any[1]!;
      if (!collections.has(coll)) throw unsupported(coll);
      expectP('(');
      const v1 = next();
      if (v1.t !== 'word') throw invalid('expected a lambda variable');
      expectP(':');
      const v2 = next();
      if (v2.t !== 'word' || v2.v !== v1.v) throw invalid('expected the lambda variable');
      const opT = next();
      if (opT.t !== 'word') throw invalid('expected an operator');
      const op = opT.v.toLowerCase();
      let test: (x: unknown) => boolean;
      if (op === 'in') {
        const vals = list();
        test = (x) => vals.some((v) => norm(v) === norm(x));
      } else {
        if (op === 'ne') advanced ??= 'ne';
        const v = literal();
        test = (x) => compare(op, x, v);
      }
      expectP(')');
      const all = any[2]!.toLowerCase() === 'all';
      return (o) => {
        const arr = o[coll];
        if (!Array.isArray(arr)) return false;
        return all ? arr.every(test) : arr.some(test);
      };
    }
    const p = prop(t.v);
    const opT = next();
    if (opT.t !== 'word') throw invalid(`expected an operator after '${p}'`);
    const op = opT.v.toLowerCase();
    if (op === 'in') {
      const vals = list().map(norm);
      return (o) => vals.includes(norm(o[p]));
    }
    if (!['eq', 'ne', 'ge', 'le'].includes(op)) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Operator '${opT.v}' is not supported.`);
    }
    if (op === 'ne') advanced ??= 'ne';
    const v = literal();
    return (o) => compare(op, o[p], v);
  };
  const list = (): Value[] => {
    expectP('(');
    const vals: Value[] = [literal()];
    while (peek()?.t === 'p' && peek()!.v === ',') {
      pos++;
      vals.push(literal());
    }
    expectP(')');
    return vals;
  };
  const andExpr = (): Predicate => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      const l = left;
      const r = primary();
      left = (o) => l(o) && r(o);
    }
    return left;
  };
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (o) => l(o) || r(o);
    }
    return left;
  };
  const test = orExpr();
  if (pos !== toks.length) throw invalid(`unexpected '${toks[pos]!.v}' in '${src}'`);
  return advanced ? { test, advanced } : { test };
}
