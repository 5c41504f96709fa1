/**
 * The request target as `new URL(target, base)` would give its path and query, without running the
 * URL parser for the plain targets clients send (`/v1.0/applications(appId='…')?$select=…`).
 * Anything the WHATWG parser could rewrite (dot segments, `\`, a leading `//`, characters it
 * percent-encodes in the path, a fragment, non-printable or non-ASCII characters) takes the parser.
 * The query is the same either way: the parser only percent-encodes characters of the query that
 * URLSearchParams decodes again.
 */
export interface Target {
  pathname: string;
  searchParams: URLSearchParams;
}

// path characters the URL parser keeps as they are (RFC 3986 pchar, `/` and `%`)
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
// a segment the parser could treat as `.` or `..`
const DOT_SEGMENT = /\/(?:\.|%2e)/i;
const PLAIN_QUERY = /^[\x21\x22\x24-\x7e]*$/;

export function parseTarget(raw: string): Target {
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  // with its `?`: URLSearchParams drops one leading `?` (a second one belongs to the first name)
  const query = q < 0 ? '' : raw.slice(q);
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && PLAIN_QUERY.test(query)) {
    return { pathname: path, searchParams: new URLSearchParams(query) };
  }
  return new URL(raw, 'https://emulator.invalid');
}
