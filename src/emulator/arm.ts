/**
 * The two Azure Resource Manager reads `az login --allow-no-subscriptions` makes against a custom
 * cloud whose resource manager is the emulator: `GET /subscriptions` (none: an Entra-only tenant)
 * and `GET /tenants` (the caller's). Tokens are checked as for Graph.
 */
import type { IncomingMessage } from 'node:http';
import type { Engine } from './engine.js';
import { authenticate } from './graph/auth.js';
import { errorResult, GraphError, type GraphResult } from './http.js';
import type { Target } from './target.js';

export const isArmPath = (pathname: string): boolean => /^\/(subscriptions|tenants)\/?$/i.test(pathname);

export function arm(engine: Engine, req: IncomingMessage, url: Target): { result: GraphResult; tenant?: string } {
  try {
    if (req.method !== 'GET') throw new GraphError(405, 'MethodNotAllowed', 'The requested resource does not support the method.');
    const { tenant } = authenticate(engine, req.headers.authorization);
    if (/^\/subscriptions/i.test(url.pathname)) return { result: { status: 200, body: { value: [], count: { type: 'Total', value: 0 } } }, tenant: tenant.id };
    const value = [{ id: `/tenants/${tenant.id}`, tenantId: tenant.id, countryCode: 'US', displayName: tenant.domain.split('.')[0], domains: [tenant.domain], tenantCategory: 'Home', defaultDomain: tenant.domain, tenantType: 'AAD' }];
    return { result: { status: 200, body: { value } }, tenant: tenant.id };
  } catch (err) {
    if (err instanceof GraphError) return { result: errorResult(err, '', undefined) };
    throw err;
  }
}
