/**
 * The application's service principal (its "enterprise application") exists in the tenant, is
 * enabled, and carries the tag `WindowsAzureActiveDirectoryIntegratedApp` (what the Entra admin
 * center and VB365 put on integrated apps). Without it nobody can sign in to the portal. Client
 * secrets and certificates on the service principal itself are unmanaged: either signs in as the
 * application in this tenant (https://learn.microsoft.com/graph/api/serviceprincipal-addpassword,
 * https://learn.microsoft.com/graph/api/serviceprincipal-addkey).
 */
import { ASSIGNED_ON_CREATE, INTEGRATED_APP_TAG } from '../../model/portal.js';
import type { ServicePrincipalPatch } from '../../model/graph.js';
import { REF, type Change, type DesiredState, type Observed, type PlanOptions, type Write } from '../types.js';
import { keyCredentialView } from './certificates.js';
import { passwordView } from './credentials.js';
import { assessment, unmanagedAction, unmanagedReason } from './judge.js';
import { restoreStep } from './restore.js';

export function assessServicePrincipal(_desired: DesiredState, observed: Observed, options: PlanOptions = {}) {
  const prune = options.prune === true;
  const sp = observed.servicePrincipal;
  const changes: Change[] = [];
  const writes: Write[] = [];
  // in a customer tenant the application lives elsewhere: its appId is known, not read here
  const appId = observed.application?.appId ?? observed.providerAppId;
  const deleted = observed.deleted?.servicePrincipal;
  if (!sp && deleted) {
    // deleted (alone, or with the application): restored with its grants, not made anew
    const step = restoreStep('servicePrincipal', deleted);
    changes.push(step.change);
    writes.push(step.write);
  } else if (!sp) {
    changes.push({ resource: 'servicePrincipal', action: 'create', after: { appId: appId ?? ASSIGNED_ON_CREATE, tags: [INTEGRATED_APP_TAG] } });
    writes.push({ aspect: 'servicePrincipal', op: 'createServicePrincipal', body: { appId: appId ?? REF.appId, tags: [INTEGRATED_APP_TAG] } });
  } else {
    const body: ServicePrincipalPatch = {};
    const tags = sp.tags ?? [];
    if (!tags.includes(INTEGRATED_APP_TAG)) {
      changes.push({ resource: 'servicePrincipal', action: 'update', field: 'tags', before: tags, after: [...tags, INTEGRATED_APP_TAG] });
      body.tags = [...tags, INTEGRATED_APP_TAG];
    }
    if (sp.accountEnabled === false) {
      changes.push({ resource: 'servicePrincipal', action: 'update', field: 'accountEnabled', before: false, after: true });
      body.accountEnabled = true;
    }
    // a certificate on the service principal signs in as the application in this tenant (the
    // portal's own certificate belongs on the application; a SAML signing key has no use here)
    const keys = sp.keyCredentials ?? [];
    for (const k of keys) {
      changes.push({
        resource: 'keyCredential',
        action: unmanagedAction(prune),
        field: 'servicePrincipal.keyCredentials',
        before: keyCredentialView(k),
        unmanaged: true,
        reason: unmanagedReason(prune, 'a certificate on the service principal: the portal certificate belongs on the application'),
      });
    }
    // the collection is replaced whole (Graph PATCH): no proof of possession is needed to empty it
    if (prune && keys.length > 0) body.keyCredentials = [];
    if (Object.keys(body).length > 0) writes.push({ aspect: 'servicePrincipal', op: 'patchServicePrincipal', body });
    // a secret on the service principal signs in as the application in this tenant just as well
    for (const p of sp.passwordCredentials ?? []) {
      changes.push({
        resource: 'passwordCredential',
        action: unmanagedAction(prune),
        field: 'servicePrincipal.passwordCredentials',
        before: passwordView(p),
        unmanaged: true,
        reason: unmanagedReason(prune, 'a client secret on the service principal: the portal application signs in with its certificate only'),
      });
      if (prune) writes.push({ aspect: 'servicePrincipal', op: 'removeServicePrincipalPassword', keyId: p.keyId });
    }
  }
  return assessment(
    'servicePrincipal',
    sp ? `service principal ${sp.id}` : 'the service principal (enterprise application)',
    changes,
    writes,
    {
      ...(!sp ? { consequence: 'the application has no service principal (enterprise application) in this tenant: nobody can sign in' } : {}),
      ...(sp?.accountEnabled === false ? { consequence: 'the service principal is disabled: nobody can sign in' } : {}),
      message: sp ? `service principal ${sp.id} present, enabled, tagged ${INTEGRATED_APP_TAG}` : '', ...(sp ? { details: { servicePrincipalId: sp.id } } : {}) },
  );
}
