/**
 * OData query options on collections and entities: `$select` (with the rule that
 * keyCredentials[].key is null unless keyCredentials is selected), `$filter`, `$top` with
 * `@odata.nextLink`, and the advanced-query rules (`ConsistencyLevel: eventual` + `$count=true`
 * for `$search`, `$orderby`, `ne`/`not`/`endsWith`; docs/graph.md, "Create and read").
 */
import { GraphError, type GraphResult } from '../http.js';
import { parseFilter } from './filter.js';
import type { GraphCall } from './call.js';

export interface ResourceType {
  /** e.g. `applications` (collection segment and context name) */
  set: string;
  /** e.g. `Application` (in error messages) */
  resource: string;
  /** e.g. `microsoft.graph.application` */
  odataType: string;
  filterable: ReadonlySet<string>;
  filterableCollections: ReadonlySet<string>;
  searchable: ReadonlySet<string>;
  /** navigation properties `$expand` may name, and how to read them for one object */
  expand?: Record<string, (obj: Record<string, unknown>, call: GraphCall) => Record<string, unknown>[]>;
}

const ALLOWED = new Set(['$select', '$filter', '$top', '$skiptoken', '$count', '$search', '$orderby', '$expand', 'api-version']);

function checkOptions(q: URLSearchParams, type?: ResourceType): string | undefined {
  for (const k of q.keys()) {
    if (k.startsWith('$') && !ALLOWED.has(k)) throw new GraphError(400, 'BadRequest', `Query option '${k}' is not allowed.`);
  }
  const expand = q.get('$expand');
  if (expand === null) return undefined;
  const name = expand.trim();
  if (!type?.expand?.[name]) throw new GraphError(400, 'Request_UnsupportedQuery', `The emulator does not support $expand=${expand} here.`);
  return name;
}

/** The object as answered, with its expanded navigation property. */
function expanded(call: GraphCall, obj: Record<string, unknown>, projected: Record<string, unknown>, type: ResourceType, name: string | undefined): Record<string, unknown> {
  return name ? { ...projected, [name]: type.expand![name]!(obj, call) } : projected;
}

function parseSelect(call: GraphCall, sample: Record<string, unknown> | undefined, type: ResourceType): string[] | undefined {
  const raw = call.query.get('$select');
  if (raw === null) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (sample) {
    for (const n of names) {
      if (!(n in sample)) throw new GraphError(400, 'BadRequest', `Could not find a property named '${n}' on type '${type.odataType}'.`);
    }
  }
  return names;
}

/** What a client sees of a stored object: a copy, projected, with keys hidden unless selected. */
// A shallow copy is enough: handlers never mutate a stored object's nested values in place, they
// replace top-level properties (PATCH swaps in a validated draft), and the answer is serialised
// before the event loop turns.
export function project(obj: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) {
    const out = { ...obj };
    // a navigation property (federated credentials): read through its own path, never inline
    delete out.federatedIdentityCredentials;
    const keys = out.keyCredentials;
    if (Array.isArray(keys)) out.keyCredentials = (keys as Record<string, unknown>[]).map((k) => ({ ...k, key: null }));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const n of select) out[n] = obj[n];
  return out;
}

/**
 * The last answer serialised for a stored object read by GET, reused while nothing may have changed
 * it: the same `@odata.context` (origin, set and $select) and the same engine epoch, which every
 * Graph call but a GET bumps before it runs (graph/router.ts); stored objects change only inside such
 * calls. Bounded (objects recently read), so that it never grows with the directory.
 */
const SERIALIZED_MAX = 256;

export function entityResult(call: GraphCall, obj: Record<string, unknown>, type: ResourceType, status = 200): GraphResult {
  const expand = checkOptions(call.query, type);
  const select = parseSelect(call, obj, type);
  const ctx = `${call.origin}/v1.0/$metadata#${type.set}${select ? `(${select.join(',')})` : ''}/$entity`;
  // an expanded answer depends on other objects: never reused
  if (call.method !== 'GET' || expand) return { status, body: { '@odata.context': ctx, ...expanded(call, obj, project(obj, select), type, expand) } };
  const { epoch, serializedAnswers } = call.engine;
  let cached = serializedAnswers.get(obj);
  if (!cached || cached.epoch !== epoch || cached.ctx !== ctx) {
    // the body object is shared by the answers that reuse it: nothing writes to an answer's body
    const body = { '@odata.context': ctx, ...project(obj, select) };
    const text = JSON.stringify(body);
    cached = { epoch, ctx, body, text, bytes: Buffer.byteLength(text) };
    if (serializedAnswers.size >= SERIALIZED_MAX) serializedAnswers.clear();
    serializedAnswers.set(obj, cached);
  }
  return { status, body: cached.body, serialized: { text: cached.text, bytes: cached.bytes } };
}

export function isEventual(call: GraphCall): boolean {
  return (call.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
}

/** `GET /{set}` (and `/{set}/$count` when `count` is set). */
export function listResult(call: GraphCall, items: Iterable<Record<string, unknown>>, type: ResourceType, options: { count?: boolean; contextSet?: string } = {}): GraphResult {
  const q = call.query;
  const expand = checkOptions(q, type);
  const eventual = isEventual(call);
  const countTrue = (q.get('$count') ?? '').toLowerCase() === 'true';
  const advancedOk = eventual && (countTrue || options.count === true);
  if (options.count && !eventual) throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported.');

  let list = [...items];
  const filter = q.get('$filter');
  if (filter !== null) {
    const f = parseFilter(filter, type.resource, type.filterable, type.filterableCollections);
    if (f.advanced && !advancedOk) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Operator '${f.advanced}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      );
    }
    list = list.filter(f.test);
  }
  const search = q.get('$search');
  if (search !== null) {
    if (!eventual) {
      throw new GraphError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    }
    list = list.filter(searchPredicate(search, type));
  }
  const orderby = q.get('$orderby');
  if (orderby !== null) {
    if (!advancedOk) throw new GraphError(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
    const m = /^\s*(displayName|createdDateTime)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
    if (!m) throw new GraphError(400, 'Request_UnsupportedQuery', `OrderBy not supported for '${orderby}'.`);
    const key = m[1] === 'createdDateTime' || m[1]!.toLowerCase() === 'createddatetime' ? 'createdDateTime' : 'displayName';
    const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
    list.sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')) * dir);
  }
  if (options.count) return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: String(list.length) };

  let top = 100;
  const topRaw = q.get('$top');
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${topRaw}'. Must be between 1 and 999 inclusive.`);
    }
  }
  let offset = 0;
  const skip = q.get('$skiptoken');
  if (skip !== null) {
    const m = /^o(\d+)$/.exec(Buffer.from(skip, 'base64url').toString('utf8'));
    if (!m) throw new GraphError(400, 'Request_BadRequest', `Invalid skip token '${skip}'.`);
    offset = Number(m[1]);
  }
  const select = parseSelect(call, list[0], type);
  const page = list.slice(offset, offset + top).map((o) => expanded(call, o, project(o, select), type, expand));
  const setName = options.contextSet ?? type.set;
  const body: Record<string, unknown> = { '@odata.context': `${call.origin}/v1.0/$metadata#${setName}${select ? `(${select.join(',')})` : ''}` };
  if (advancedOk && countTrue) body['@odata.count'] = list.length;
  if (offset + top < list.length) {
    const next = new URLSearchParams(q);
    next.set('$skiptoken', Buffer.from(`o${offset + top}`).toString('base64url'));
    body['@odata.nextLink'] = `${call.origin}/v1.0${call.path}?${next.toString().replace(/%24/g, '$')}`;
  }
  body.value = page;
  return { status: 200, body };
}

/** `$search="displayName:word"` (several joined with AND/OR): a tokenized, case-insensitive prefix match. */
function searchPredicate(search: string, type: ResourceType): (o: Record<string, unknown>) => boolean {
  const terms = [...search.matchAll(/"([^":]+):([^"]*)"/g)];
  if (terms.length === 0) throw new GraphError(400, 'Request_UnsupportedQuery', `Invalid $search clause '${search}'. Use "property:value".`);
  const any = /"\s+OR\s+"/i.test(search);
  const tests = terms.map(([, prop, value]) => {
    if (!type.searchable.has(prop!)) throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported search property '${prop}'.`);
    const needle = value!.toLowerCase();
    return (o: Record<string, unknown>) => {
      const v = o[prop!];
      return typeof v === 'string' && (v.toLowerCase().startsWith(needle) || v.toLowerCase().split(/[\s\-_.]+/).some((w) => w.startsWith(needle)));
    };
  });
  return (o) => (any ? tests.some((t) => t(o)) : tests.every((t) => t(o)));
}
