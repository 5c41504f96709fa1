/**
 * The planner (STYLE #2): a PURE function of (desired, observed) → a versioned plan, one small
 * module per aspect (STYLE #3). No network, no clock, no randomness: tests need only fixtures.
 */
import { ASSIGNED_ON_CREATE } from './constants.js';
import { applicationChanges } from './aspects/application.js';
import { certificateChanges } from './aspects/certificates.js';
import { consentChanges } from './aspects/consent.js';
import { permissionChanges } from './aspects/permissions.js';
import { redirectUriChanges } from './aspects/redirect-uris.js';
import { servicePrincipalChanges } from './aspects/service-principal.js';
import { PLAN_VERSION, type Change, type DesiredState, type Observed, type Plan, type PlanOptions } from './types.js';

export function plan(desired: DesiredState, observed: Observed, options: PlanOptions = {}): Plan {
  const app = observed.application;
  const changes: Change[] = [
    ...applicationChanges(desired, app),
    ...redirectUriChanges(desired, app, options),
    ...certificateChanges(desired, app, options),
    ...permissionChanges(desired, app, options),
    ...servicePrincipalChanges(observed),
    ...consentChanges(observed),
  ];
  // The config learns the appId of an application apply created or found by uniqueName.
  if (desired.appId === undefined) {
    changes.push({ resource: 'config', action: 'record', field: 'application.appId', after: app?.appId ?? ASSIGNED_ON_CREATE });
  }
  return { version: PLAN_VERSION, changes };
}

/** True when the plan changes nothing in Entra or in the config. */
export const inSync = (p: Plan): boolean => p.changes.length === 0;
