/**
 * The plan for a customer tenant (service providers: docs/service-providers.md). The provider's
 * multi-tenant application lives in the provider's tenant; in each customer tenant it needs what
 * the `servicePrincipal` and `consent` aspects already judge: its service principal (tagged,
 * enabled) and exactly the two AllPrincipals grants. Same judgement, same plan document, same
 * unmanaged-item rules — each change names its tenant. Pure, like `plan()`.
 */
import { AUDIENCE_MULTI } from '../model/portal.js';
import { assessConsent } from './aspects/consent.js';
import { assessServicePrincipal } from './aspects/service-principal.js';
import { PLAN_VERSION, type AspectId, type Assessment, type Change, type DesiredState, type Observed, type Plan, type PlanOptions, type Write } from './types.js';

/** The aspects of a customer tenant, in the order they are carried out. */
export const CUSTOMER_ASPECTS = ['servicePrincipal', 'consent'] as const satisfies readonly AspectId[];
export type CustomerAspectId = (typeof CUSTOMER_ASPECTS)[number];

export interface CustomerPlannedRun {
  plan: Plan;
  writes: Write[];
  assessments: Record<CustomerAspectId, Assessment>;
}

/** What the aspects need to know of the config in a customer tenant: the provider's appId only. */
function customerDesired(appId: string): DesiredState {
  return { appId, signInAudience: AUDIENCE_MULTI, audienceDefaulted: false, redirectUris: [], certificates: [] };
}

const inTenant = (tenant: string) => (c: Change): Change => ({ ...c, tenant });

/** `observed` comes from observeCustomer (its `providerAppId` set); `tenant` is how the config names the customer. */
export function planCustomer(observed: Observed, options: PlanOptions & { tenant: string }): CustomerPlannedRun {
  if (!observed.providerAppId) throw new TypeError('planCustomer: the observation has no providerAppId (use observeCustomer)');
  const desired = customerDesired(observed.providerAppId);
  const tag = (a: Assessment): Assessment => {
    const changes = a.changes.map(inTenant(options.tenant));
    const details = a.verdict.details?.changes ? { ...a.verdict.details, changes } : a.verdict.details;
    return { ...a, changes, verdict: { ...a.verdict, ...(details ? { details } : {}) } };
  };
  const assessments = {
    servicePrincipal: tag(assessServicePrincipal(desired, observed, options)),
    consent: tag(assessConsent(desired, observed, options)),
  };
  const ordered = CUSTOMER_ASPECTS.map((a) => assessments[a]);
  return { plan: { version: PLAN_VERSION, changes: ordered.flatMap((a) => a.changes) }, writes: ordered.flatMap((a) => a.writes), assessments };
}
