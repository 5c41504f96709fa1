/**
 * The application's service principal exists and carries the tag
 * `WindowsAzureActiveDirectoryIntegratedApp` (DESIGN §1; what the portal's "enterprise app" needs).
 */
import { ASSIGNED_ON_CREATE, INTEGRATED_APP_TAG } from '../constants.js';
import type { GraphServicePrincipal, Observed, ServicePrincipalChange } from '../types.js';

/** Tags to send when the tag is missing (existing tags kept), or undefined when in shape. */
export function servicePrincipalTags(sp: GraphServicePrincipal): string[] | undefined {
  const tags = sp.tags ?? [];
  return tags.includes(INTEGRATED_APP_TAG) ? undefined : [...tags, INTEGRATED_APP_TAG];
}

export function servicePrincipalChanges(observed: Observed): ServicePrincipalChange[] {
  const sp = observed.servicePrincipal;
  if (!sp) {
    return [{ resource: 'servicePrincipal', action: 'create', after: { appId: observed.application?.appId ?? ASSIGNED_ON_CREATE, tags: [INTEGRATED_APP_TAG] } }];
  }
  const tags = servicePrincipalTags(sp);
  return tags ? [{ resource: 'servicePrincipal', action: 'update', field: 'tags', before: sp.tags ?? [], after: tags }] : [];
}
