/**
 * Graph's per-tenant limit on reads that `$select` keyCredentials: 150 requests a minute
 * (https://learn.microsoft.com/graph/api/application-get — "Using $select to get keyCredentials is
 * limited to 150 requests per minute for each tenant"; likewise application-list, and for service
 * principals serviceprincipal-get and serviceprincipal-list). Each `$batch`
 * item counts on its own. Over the limit: 429 with Retry-After (seconds until the oldest read in the
 * window leaves it). On by default; `key-reads=<n>` changes it, `key-reads=0` turns it off.
 */
import { GraphError } from '../http.js';
import type { Tenant } from '../directory.js';
import type { GraphCall } from './call.js';

const WINDOW_MS = 60_000;
const reads = new WeakMap<Tenant, number[]>();

function selectsKeyCredentials(call: GraphCall): boolean {
  if (call.method !== 'GET' || !/^\/?(applications|servicePrincipals)\b/i.test(call.path)) return false;
  const select = call.query.get('$select');
  return !!select && select.split(',').some((p) => p.trim().toLowerCase() === 'keycredentials');
}

/** The 429 for a read over the tenant's allowance, or undefined (and the read is counted). */
export function keyReadLimit(call: GraphCall): GraphError | undefined {
  const limit = call.engine.faults.keyReads;
  if (!limit || !selectsKeyCredentials(call)) return undefined;
  const now = call.engine.clock.now();
  const window = (reads.get(call.tenant) ?? []).filter((t) => now - t < WINDOW_MS);
  reads.set(call.tenant, window);
  if (window.length >= limit) {
    const retryAfter = Math.max(1, Math.ceil((window[0]! + WINDOW_MS - now) / 1000));
    return new GraphError(429, 'TooManyRequests', `Too many requests that select keyCredentials: the limit is ${limit} a minute per tenant.`, {
      headers: { 'Retry-After': String(retryAfter), 'x-ms-throttle-scope': 'Tenant/Read/KeyCredentials', 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' },
    });
  }
  window.push(now);
  return undefined;
}
