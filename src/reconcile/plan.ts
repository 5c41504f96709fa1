/**
 * The planner: a pure function of (desired, observed, options) — no network, no clock of its own,
 * no randomness (the caller draws a new scope id and passes `now`). One assessment per aspect
 * gives the plan's changes, the writes that carry them out and test-portal's verdict.
 *
 * The application's fields are written in one PATCH: the aspects' fragments are merged here, with
 * complex properties (`web`, `spa`, `publicClient`, `api`) completed from what Entra holds so each
 * is sent whole (Graph replaces what it is sent).
 */
import type { Application, ApplicationPatch } from '../model/graph.js';
import { assessApplication } from './aspects/application.js';
import { assessCertificates, certificateWarning } from './aspects/certificates.js';
import { assessConsent } from './aspects/consent.js';
import { assessOwners } from './aspects/owners.js';
import { assessCredentials } from './aspects/credentials.js';
import { assessExposedApi } from './aspects/exposed-api.js';
import { assessPermissions } from './aspects/permissions.js';
import { assessRedirectUris } from './aspects/redirect-uris.js';
import { assessServicePrincipal } from './aspects/service-principal.js';
import {
  ASPECTS,
  PLAN_VERSION,
  type AspectId,
  type Assessment,
  type DesiredState,
  type Observed,
  type Plan,
  type PlannedRun,
  type PlanOptions,
  type Write,
} from './types.js';
import { restoreStep } from './aspects/restore.js';

/** Each aspect's assessment, in the order `apply` carries them out. */
export function assess(desired: DesiredState, observed: Observed, options: PlanOptions = {}): Record<AspectId, Assessment> {
  return {
    application: assessApplication(desired, observed),
    exposedApi: assessExposedApi(desired, observed, options),
    redirectUris: assessRedirectUris(desired, observed, options),
    certificates: assessCertificates(desired, observed, options),
    credentials: assessCredentials(desired, observed, options),
    permissions: assessPermissions(desired, observed, options),
    servicePrincipal: assessServicePrincipal(desired, observed, options),
    consent: assessConsent(desired, observed, options),
    owners: assessOwners(desired, observed, options),
  };
}

export function plan(desired: DesiredState, observed: Observed, options: PlanOptions = {}): PlannedRun {
  const assessments = assess(desired, observed, options);
  const deleted = observed.deleted;
  if (!observed.application && deleted?.application) {
    // first bring it back (same appId, object ids, grants); reconcile then plans the rest against it
    const steps = [restoreStep('application', deleted.application), ...(deleted.servicePrincipal ? [restoreStep('servicePrincipal', deleted.servicePrincipal)] : [])];
    return { plan: { version: PLAN_VERSION, changes: steps.map((s) => s.change) }, writes: steps.map((s) => s.write), assessments, warnings: [] };
  }
  const ordered = ASPECTS.map((a) => assessments[a]);
  const thePlan: Plan = { version: PLAN_VERSION, changes: ordered.flatMap((a) => a.changes) };
  const writes = mergeApplicationPatches(ordered.flatMap((a) => a.writes), observed.application);
  const warnings: string[] = [];
  if (desired.audienceDefaulted) {
    warnings.push('application.multiTenant is not set in the config: read as false (single-tenant). Run "entra-portal set-app --multi-tenant false" (or true) to say so.');
  }
  const certs = certificateWarning(desired, observed, options);
  if (certs) warnings.push(certs);
  return { plan: thePlan, writes, assessments, warnings };
}

/** True when Entra and the config agree: nothing to write, nothing unmanaged. */
export const inSync = (p: Plan): boolean => p.changes.length === 0;

const COMPLEX = ['web', 'spa', 'publicClient', 'api'] as const;

/**
 * Merge the application PATCH fragments of one phase into one write, placed where the first one
 * was. Two fragments never set the same property (each aspect owns its fields); a complex property
 * is completed from the observed application so that it is sent whole.
 */
export function mergeApplicationPatches(writes: readonly Write[], app: Application | undefined): Write[] {
  const out: Write[] = [];
  const merged = new Map<1 | 2, Write & { op: 'patchApplication' }>();
  for (const w of writes) {
    if (w.op !== 'patchApplication') {
      out.push(w);
      continue;
    }
    const phase = w.phase ?? 1;
    let target = merged.get(phase);
    if (!target) {
      target = { aspect: w.aspect, op: 'patchApplication', body: {}, ...(phase === 2 ? { phase: 2 as const } : {}), aspects: [] as AspectId[] };
      merged.set(phase, target);
      out.push(target);
    }
    target.aspects = [...(target.aspects ?? []), w.aspect as AspectId];
    for (const [k, v] of Object.entries(w.body) as [keyof ApplicationPatch, unknown][]) {
      if ((COMPLEX as readonly string[]).includes(k)) {
        const base = (target.body[k] ?? (app?.[k] as object | null | undefined) ?? {}) as Record<string, unknown>;
        (target.body as Record<string, unknown>)[k] = { ...base, ...(v as Record<string, unknown>) };
      } else {
        (target.body as Record<string, unknown>)[k] = v;
      }
    }
  }
  return out;
}
