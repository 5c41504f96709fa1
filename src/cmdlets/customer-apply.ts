/**
 * One customer tenant of a multi-tenant application (service providers: docs/service-providers.md):
 * sign in there, read, plan and — unless --what-if — carry out the service principal and consent
 * the provider's application needs. Never throws: every outcome is a `CustomerResult`, so one
 * customer's failure never stops the others (`apply` runs them one after another; a fleet can call
 * this with its own session factory).
 *
 *   in-sync        nothing to change, nothing unmanaged
 *   changed        apply made the changes (unmanaged items may have been kept: `kept`)
 *   drift          --what-if: changes pending, or unmanaged items
 *   needs-consent  the tool cannot sign in there, cannot read there, or the service principal or
 *                  consent is missing and its identity may not create it: the tenant's administrator
 *                  opens `consentUrl` (exit 77: a right is missing, not the config)
 *   pending        --what-if before the application exists: nothing to look for yet
 *   failed         anything else (network, Entra, throttling): its own exit code
 */
import type { Context } from '../context.js';
import type { CustomerConfig, PortalConfig } from '../config/types.js';
import { credentialEnvOf } from '../config/customers.js';
import { EntraPortalError, ExitCode, exitCodeFor } from '../errors.js';
import type { GraphSession } from '../graph/session.js';
import type { StepResult } from '../reconcile/execute.js';
import { PLAN_VERSION, type Change, type Plan } from '../reconcile/types.js';

export type CustomerStatus = 'in-sync' | 'changed' | 'drift' | 'needs-consent' | 'pending' | 'failed';

export interface CustomerResult {
  /** the customer tenant as the config names it */
  tenant: string;
  status: CustomerStatus;
  /** this tenant's share of the run's exit code (the run exits with the worst) */
  exitCode: number;
  /** one line: what was found or done */
  message: string;
  /** what to do, when something is to be done */
  remedy?: string;
  /** how the tool signed in there, never a secret (e.g. "FABRIKAM_CLIENT_ID + FABRIKAM_CLIENT_SECRET") */
  credential?: string;
  /** what differed when the run started; every change names the tenant */
  plan: Plan;
  /** unmanaged items left in place (no --prune): still drift */
  kept: Change[];
  /** per-step results (empty with --what-if or when nothing could be done) */
  steps: StepResult[];
  /** the admin-consent URL its administrator opens (needs-consent; absent in the Emulator region) */
  consentUrl?: string;
  /** the typed error's code, when it failed or needs consent because of one */
  errorCode?: string;
}

export interface CustomerRunInput {
  customer: CustomerConfig;
  /** the provider's appId; undefined under --what-if before the application is registered */
  appId: string | undefined;
  /** opens the session to this tenant (the caller's factory: src/session.ts openCustomerSession) */
  openSession: (customer: CustomerConfig) => Promise<GraphSession & { credentialSource?: string }>;
  whatIf: boolean;
  prune: boolean;
  detailedExitcode: boolean;
  /** read-only runs: how long a missing service principal or grant is re-read (replication lag) */
  settleMs: number;
  /** this tenant's consent URL (src/cloud/admin-consent.ts), when the config can give one */
  consentUrl?: string;
  ctx: Context;
}

const SIGN_IN_FAILURES = new Set(['authentication-failed', 'credential-unavailable']);

export async function applyCustomer(input: CustomerRunInput): Promise<CustomerResult> {
  const { customer, ctx } = input;
  const tenant = customer.tenant;
  const none: Plan = { version: PLAN_VERSION, changes: [] };
  const changed = input.detailedExitcode ? ExitCode.Drift : ExitCode.Ok;
  const base = { tenant, plan: none, kept: [] as Change[], steps: [] as StepResult[] };
  const prefix = credentialEnvOf(customer);
  const openLink = input.consentUrl ? `open the consent URL (${input.consentUrl})` : `open the link "entra-portal consent-url --tenant ${tenant}" prints`;
  const consent = (why: string, extra: Partial<CustomerResult> = {}): CustomerResult => ({
    ...base,
    status: 'needs-consent',
    exitCode: ExitCode.NoPermission,
    message: why,
    remedy:
      `Have an administrator of ${tenant} ${openLink}` +
      `; to manage the tenant from here, give the tool a credential there (${prefix}_CLIENT_ID with ${prefix}_CLIENT_SECRET, _CLIENT_CERTIFICATE_PATH or _FEDERATED_TOKEN_FILE).`,
    ...(input.consentUrl ? { consentUrl: input.consentUrl } : {}),
    ...extra,
  });
  // the tenant's own variables were given and Entra refused them: asking for a credential would mislead
  const refused = (why: string, extra: Partial<CustomerResult>): CustomerResult => ({
    ...consent(why, extra),
    remedy: `Entra refused the credential in ${prefix}_*: check ${prefix}_CLIENT_ID and its secret, certificate or token file (the AADSTS code says which; a secret may have expired). If ${tenant} removed that application, have an administrator of ${tenant} ${openLink}.`,
  });
  if (!input.appId) {
    return { ...base, status: 'pending', exitCode: changed, message: `${tenant}: the application is registered by apply first; this tenant follows once it has an appId` };
  }
  const appId = input.appId;
  let session: (GraphSession & { credentialSource?: string }) | undefined;
  try {
    session = await input.openSession(customer);
    const s = session;
    const credential = s.credentialSource ? { credential: s.credentialSource } : {};
    const { inspectOperator, requireRights, RIGHTS } = await import('../graph/preflight.js');
    const read = await inspectOperator(s, 'read'); // the first sign-in
    if (read.missing.length) return consent(`${tenant}: signed in, but the identity lacks ${read.missing.join(' and ')}: it cannot read the service principal and its consent there`, credential);
    const write = input.whatIf ? read : await inspectOperator(s, 'apply');
    const canWrite = input.whatIf || write.missing.length === 0;
    const { reconcileCustomer } = await import('../reconcile/reconcile.js');
    const { renderPlan } = await import('../reconcile/render.js');
    const outcome = await reconcileCustomer({
      session: s,
      appId,
      tenant,
      prune: input.prune,
      whatIf: !canWrite || input.whatIf,
      settleMs: input.settleMs,
      onPlan: (run, attempt) => {
        if (attempt === 1 || run.writes.length > 0) ctx.log.info(`Customer tenant ${tenant}:\n${renderPlan(run.plan, ctx.color).trimEnd()}`);
      },
      confirm: async (run) => {
        if (run.writes.some((w) => w.op === 'deleteAppRoleAssignment')) requireRights(write, [RIGHTS.appRoleAssignmentWrite], `removing application permissions in ${tenant} (--prune)`);
        return true;
      },
      onStep: (r) => {
        if (r.status !== 'unchanged') ctx.log.info(`  ${ctx.color.green('✔')} ${tenant} ${r.step}: ${r.status}`);
      },
    });
    const first = outcome.first;
    const kept = outcome.last.plan.changes.filter((c) => c.action === 'keep');
    const found = { ...base, ...credential, plan: first.plan, kept, steps: outcome.steps };
    const n = first.plan.changes.filter((c) => c.action !== 'keep').length;
    if (first.plan.changes.length === 0) return { ...found, status: 'in-sync', exitCode: ExitCode.Ok, message: `${tenant}: in sync` };
    if (!canWrite && first.writes.length > 0) {
      return consent(`${tenant}: ${n} change${n === 1 ? '' : 's'} pending (the service principal or its consent), and the identity lacks ${write.missing.join(' and ')} to make them`, found);
    }
    const unmanaged = kept.length ? `; ${kept.length} unmanaged item${kept.length === 1 ? '' : 's'} ${input.whatIf ? 'there' : 'kept'} (apply --prune removes them)` : '';
    if (input.whatIf || !canWrite) return { ...found, status: 'drift', exitCode: changed, message: `${tenant}: ${n ? `${n} change${n === 1 ? '' : 's'} pending` : 'no change pending'}${unmanaged}` };
    return { ...found, status: 'changed', exitCode: changed, message: `${tenant}: ${n} change${n === 1 ? '' : 's'} applied${unmanaged}` };
  } catch (thrown) {
    const { toPortalError } = await import('../graph/errors.js');
    const err = toPortalError(thrown);
    const e = err instanceof EntraPortalError ? err : undefined;
    const credential = session?.credentialSource ? { credential: session.credentialSource } : {};
    const code = e?.code ? { errorCode: e.code } : {};
    if (e?.code === 'authentication-failed' && session?.credentialSource?.startsWith(`${prefix}_`)) {
      return refused(`${tenant}: cannot sign in there with ${session.credentialSource}: ${(err as Error).message}`, { ...credential, ...code });
    }
    if ((e?.code && SIGN_IN_FAILURES.has(e.code)) || exitCodeFor(err) === ExitCode.NoPermission) {
      return consent(`${tenant}: cannot sign in or read there: ${(err as Error).message}`, { ...credential, ...code });
    }
    return {
      ...base,
      ...credential,
      ...code,
      status: 'failed',
      exitCode: exitCodeFor(err),
      message: `${tenant}: ${(err as Error).message}`,
      ...(e?.remedy ? { remedy: e.remedy } : {}),
    };
  } finally {
    await session?.close().catch(() => undefined);
  }
}

export interface CustomersRunInput extends Omit<CustomerRunInput, 'customer' | 'consentUrl'> {
  customers: readonly CustomerConfig[];
  /** the config, for the consent URLs (its portal URL is where an administrator lands) */
  config: PortalConfig;
  /** the cloud's login host and Graph root; none in the Emulator region (its address lives only as long as the run) */
  endpoints?: { login: string; graph: string };
}

/** Every customer tenant, one after another: each gets its result, whatever happens to the others. */
export async function applyCustomers(input: CustomersRunInput): Promise<CustomerResult[]> {
  const { adminConsentUrl, consentUrlParts } = await import('../cloud/admin-consent.js');
  const parts = input.appId ? consentUrlParts({ ...input.config, application: { ...input.config.application, appId: input.appId } }) : undefined;
  const results: CustomerResult[] = [];
  for (const customer of input.customers) {
    input.ctx.signal?.throwIfAborted();
    const url =
      parts?.ok && input.endpoints
        ? adminConsentUrl({ login: input.endpoints.login, graph: input.endpoints.graph, tenant: customer.tenant, appId: parts.appId, redirectUri: parts.redirectUri })
        : undefined;
    results.push(await applyCustomer({ ...input, customer, ...(url ? { consentUrl: url } : {}) }));
  }
  input.ctx.signal?.throwIfAborted();
  return results;
}
