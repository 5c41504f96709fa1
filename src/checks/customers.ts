/**
 * `entra.customer`: one compact check per customer tenant of a multi-tenant application (service
 * providers: docs/service-providers.md) — the application's service principal and its admin consent
 * there, judged by the same `servicePrincipal` and `consent` aspects as `apply`'s plan for that tenant,
 * so the check passes exactly when the drift check finds nothing there. A tenant the tool cannot sign
 * in to or read fails with the admin-consent URL as the remedy.
 *
 * The runner knows one check per id: `entra.customer` runs every tenant (a few at a time) and
 * `expandCustomerResults` turns its outcome into one line per tenant, each with its `tenant`.
 */
import type { Context } from '../context.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { CustomerConfig, PortalConfig } from '../config/types.js';
import { EntraPortalError } from '../errors.js';
import type { Session } from '../session.js';
import type { Observed } from '../reconcile/types.js';
import { checkRemedy, verdictOf, type EntraData } from './entra.js';
import type { CheckDefinition, CheckOutcome, CheckResult } from './types.js';

export interface CustomerCheckOptions {
  ctx: Context;
  auth?: AuthMode;
  /** the tenants to check: the config's customers, or the one `--customer` names */
  customers: (config: PortalConfig) => CustomerConfig[];
  /** how long a missing service principal or grant is read again (replication lag), ms */
  settleMs?: number;
  now: () => number;
}

/** One tenant's line, before it becomes a CheckResult. */
interface TenantOutcome extends CheckOutcome {
  tenant: string;
}

/** Tenants checked at once: each is a sign-in and two round trips. */
const AT_ONCE = 4;

async function checkTenant(customer: CustomerConfig, provider: Session, appId: string, config: PortalConfig, options: CustomerCheckOptions): Promise<TenantOutcome> {
  const tenant = customer.tenant;
  const { openCustomerSession } = await import('../session.js');
  const consent = await consentRemedy(config, provider, appId, tenant);
  let session: Awaited<ReturnType<typeof openCustomerSession>> | undefined;
  try {
    session = await openCustomerSession(provider, customer, options.ctx, options.auth ? { auth: options.auth } : {});
    const { inspectOperator } = await import('../graph/preflight.js');
    const report = await inspectOperator(session, 'read');
    if (report.missing.length) {
      return { tenant, status: 'fail', message: `${tenant}: needs consent — the identity (${session.credentialSource}) lacks ${report.missing.join(' and ')} there`, remedy: consent };
    }
    const { observeCustomer } = await import('../reconcile/observe.js');
    const { planCustomer, CUSTOMER_ASPECTS } = await import('../reconcile/customer.js');
    const { observed } = await observeCustomer(session, appId, { settleMs: options.settleMs ?? 10_000 });
    const { assessments } = planCustomer(observed as Observed, { tenant, now: options.now() });
    const v = verdictOf(assessments, CUSTOMER_ASPECTS);
    const missing = !observed.servicePrincipal;
    return {
      tenant,
      ...v,
      message: `${tenant}: ${v.message}`,
      ...(v.status === 'fail' ? { remedy: missing ? consent : `${v.remedy ?? 'Run entra-portal apply'} (a credential for ${tenant} is needed: docs/service-providers.md), or have its administrator open the consent URL` } : {}),
    };
  } catch (thrown) {
    const { toPortalError } = await import('../graph/errors.js');
    const err = toPortalError(thrown);
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const auth = err instanceof EntraPortalError && (['authentication-failed', 'credential-unavailable'].includes(err.code) || err.exitCode === 77);
    return { tenant, status: 'fail', message: `${tenant}: ${auth ? 'needs consent — cannot sign in or read there' : 'cannot check'}: ${message}`, remedy: auth ? consent : (err instanceof EntraPortalError ? checkRemedy(err) : undefined) ?? consent };
  } finally {
    await session?.close().catch(() => undefined);
  }
}

async function consentRemedy(config: PortalConfig, provider: Session, appId: string, tenant: string): Promise<string> {
  const { adminConsentUrl, consentUrlParts } = await import('../cloud/admin-consent.js');
  const parts = consentUrlParts({ ...config, application: { ...config.application, appId } });
  const link =
    parts.ok && provider.endpoints.region !== 'Emulator'
      ? adminConsentUrl({ login: provider.endpoints.login, graph: provider.endpoints.graph, tenant, appId: parts.appId, redirectUri: parts.redirectUri })
      : `the link "entra-portal consent-url --tenant ${tenant}" prints`;
  return `Have an administrator of ${tenant} open ${link}; then run entra-portal apply (with a credential there) to keep it in shape`;
}

export function customerCheck(options: CustomerCheckOptions): CheckDefinition {
  return {
    id: 'entra.customer',
    deps: ['config', 'entra.app'],
    async run(rc) {
      const config = rc.dep<{ config: PortalConfig }>('config').data!.config;
      const { session, observed } = rc.dep<EntraData>('entra.app').data!;
      const appId = observed.application!.appId;
      const queue = [...options.customers(config)];
      const lines: TenantOutcome[] = [];
      if (observed.application!.signInAudience === 'AzureADMyOrg') {
        // (test-portal --customer on a single-tenant application) no consent lets another organisation in
        const { multiTenantRemedy } = await import('../config/customers.js');
        const remedy = `${multiTenantRemedy({ appId, name: config.application?.name }).replace(/^r/, 'R')}; then entra-portal add-customer --tenant <tenant>.`;
        for (const c of queue) lines.push({ tenant: c.tenant, status: 'fail', message: `${c.tenant}: the application is single-tenant (AzureADMyOrg): Entra refuses the users of every other organisation`, remedy });
        queue.length = 0;
      }
      const worker = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) lines.push(await checkTenant(c, session as Session, appId, config, options));
      };
      await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, worker));
      const order = options.customers(config).map((c) => c.tenant);
      lines.sort((a, b) => order.indexOf(a.tenant) - order.indexOf(b.tenant));
      const failed = lines.filter((l) => l.status === 'fail').length;
      return { status: failed ? 'fail' : 'pass', message: `${lines.length - failed} of ${lines.length} customer tenants in shape`, data: lines };
    },
  };
}

/** The checklist with `entra.customer` as one line per tenant (each naming its tenant), in the config's order. */
export function expandCustomerResults(results: readonly CheckResult[], outcome: CheckOutcome | undefined, tenants: readonly string[]): CheckResult[] {
  return results.flatMap((r) => {
    if (r.id !== 'entra.customer') return [r];
    const lines = outcome?.data as TenantOutcome[] | undefined;
    // not run (entra.app failed): one skip per tenant, with the reason
    if (!lines) return tenants.map((tenant) => ({ ...r, tenant }));
    return lines.map(({ tenant, status, message, remedy, details }) => ({
      id: r.id,
      tenant,
      status,
      message,
      ...(remedy ? { remedy } : {}),
      ...(details && Object.keys(details).length ? { details } : {}),
    }));
  });
}
