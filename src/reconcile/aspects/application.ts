/**
 * The application object's own fields: it exists (registered by uniqueName when absent), its
 * display name, its uniqueName (set once), its audience (always pinned: single-tenant unless the
 * config says multiTenant), public client flows on, implicit grant off — and the appId recorded in
 * the config.
 */
import { ASSIGNED_ON_CREATE } from '../../model/portal.js';
import type { Application } from '../../model/graph.js';
import type { Change, DesiredState, Observed, Write } from '../types.js';
import { assessment } from './judge.js';

const implicitOn = (app: Application): boolean =>
  app.web?.implicitGrantSettings?.enableIdTokenIssuance === true || app.web?.implicitGrantSettings?.enableAccessTokenIssuance === true;

const IMPLICIT_OFF = { enableIdTokenIssuance: false, enableAccessTokenIssuance: false };

export function assessApplication(desired: DesiredState, observed: Observed) {
  const app = observed.application;
  const changes: Change[] = [];
  const writes: Write[] = [];
  const audienceReason = desired.audienceDefaulted ? 'application.multiTenant is not set in the config: read as false (single-tenant)' : undefined;

  if (!app) {
    const displayName = desired.displayName ?? desired.uniqueName ?? '';
    changes.push({
      resource: 'application',
      action: 'create',
      after: { displayName, ...(desired.uniqueName !== undefined ? { uniqueName: desired.uniqueName } : {}) },
    });
    // Entra's defaults on create: AzureADMyOrg, public client flows off, implicit grant off
    if (desired.signInAudience !== 'AzureADMyOrg') {
      changes.push({ resource: 'application', action: 'update', field: 'signInAudience', after: desired.signInAudience });
    }
    changes.push({ resource: 'application', action: 'update', field: 'isFallbackPublicClient', after: true });
    // Only scalars go into the upsert: if the application exists after all (another run, or lag hid
    // it), the upsert is an update and must replace no collection. execute then re-plans.
    writes.push({
      aspect: 'application',
      op: 'upsertApplication',
      uniqueName: desired.uniqueName ?? '',
      body: { displayName, signInAudience: desired.signInAudience, isFallbackPublicClient: true },
    });
  } else {
    const patch: Write & { op: 'patchApplication' } = { aspect: 'application', op: 'patchApplication', body: {} };
    const update = (field: string, before: unknown, after: unknown, reason?: string) =>
      changes.push({ resource: 'application', action: 'update', field, ...(before !== undefined && before !== null ? { before } : {}), after, ...(reason ? { reason } : {}) });
    if (desired.displayName !== undefined && app.displayName !== desired.displayName) {
      update('displayName', app.displayName, desired.displayName);
      patch.body.displayName = desired.displayName;
    }
    if (desired.uniqueName !== undefined && !app.uniqueName) {
      update('uniqueName', undefined, desired.uniqueName);
      patch.body.uniqueName = desired.uniqueName;
    }
    if ((app.signInAudience ?? 'AzureADMyOrg') !== desired.signInAudience) {
      update('signInAudience', app.signInAudience, desired.signInAudience, audienceReason);
      patch.body.signInAudience = desired.signInAudience;
    }
    if (app.isFallbackPublicClient !== true) {
      update('isFallbackPublicClient', app.isFallbackPublicClient, true);
      patch.body.isFallbackPublicClient = true;
    }
    if (implicitOn(app)) {
      update('web.implicitGrantSettings', app.web?.implicitGrantSettings, IMPLICIT_OFF);
      patch.body.web = { implicitGrantSettings: IMPLICIT_OFF };
    }
    if (Object.keys(patch.body).length > 0) writes.push(patch);
  }

  if (desired.appId === undefined || (app && desired.appId.toLowerCase() !== app.appId.toLowerCase())) {
    changes.push({ resource: 'config', action: 'record', field: 'application.appId', ...(desired.appId ? { before: desired.appId } : {}), after: app?.appId ?? ASSIGNED_ON_CREATE });
    writes.push({ aspect: 'config', op: 'recordAppId' });
  }

  const label = app ? `application ${app.appId} ('${app.displayName}')` : `application '${desired.uniqueName ?? desired.appId ?? ''}' (not registered yet)`;
  return assessment('application', label, changes, writes, {
    message: `${label}, audience ${app?.signInAudience ?? desired.signInAudience}`,
    ...(app ? { details: { appId: app.appId, objectId: app.id, displayName: app.displayName, signInAudience: app.signInAudience } } : {}),
  });
}
