/**
 * The application's owners, when the config lists them (`application.owners`, object ids of users or
 * service principals): exactly those. An owner can change the application and add credentials to it
 * at any time (https://learn.microsoft.com/entra/identity/enterprise-apps/overview-assign-app-owners),
 * so an owner nobody listed is unmanaged like an unknown credential: drift, kept, removed by --prune.
 *
 * Owners are opt-in: Entra makes the user who registers an application its owner, so "no owners" is
 * no default to hold a tenant to. Without `application.owners` they are not read, and this aspect
 * has nothing to say. Owners are added with `POST …/owners/$ref` and removed with
 * `DELETE …/owners/{id}/$ref` (https://learn.microsoft.com/graph/api/application-post-owners,
 * https://learn.microsoft.com/graph/api/application-delete-owners); adds come before removals, so the
 * application is never left without an owner on the way.
 */
import type { DirectoryObject } from '../../model/graph.js';
import type { Change, DesiredState, Observed, OwnerView, PlanOptions, Write } from '../types.js';
import { assessment, unmanagedAction, unmanagedReason } from './judge.js';

export function ownerView(o: DirectoryObject): OwnerView {
  const type = o['@odata.type']?.replace(/^#?microsoft\.graph\./, '');
  return {
    id: o.id,
    ...(type ? { type } : {}),
    ...(o.displayName ? { displayName: o.displayName } : {}),
    ...(o.userPrincipalName ? { userPrincipalName: o.userPrincipalName } : {}),
    ...(o.appId ? { appId: o.appId } : {}),
  };
}

export function assessOwners(desired: DesiredState, observed: Observed, options: PlanOptions) {
  if (desired.owners === undefined) {
    // nothing to say: the check it belongs to (entra.app) reports only what is judged
    return assessment('owners', 'owners', [], [], { message: '' });
  }
  const prune = options.prune === true;
  const have = observed.application ? (observed.owners ?? []) : [];
  const changes: Change[] = [];
  const writes: Write[] = [];
  for (const id of desired.owners) {
    if (have.some((o) => o.id.toLowerCase() === id)) continue;
    changes.push({ resource: 'owner', action: 'add', field: 'owners', after: { id } });
    writes.push({ aspect: 'owners', op: 'addOwner', ownerId: id });
  }
  for (const o of have) {
    if (desired.owners.includes(o.id.toLowerCase())) continue;
    changes.push({ resource: 'owner', action: unmanagedAction(prune), field: 'owners', before: ownerView(o), unmanaged: true, reason: unmanagedReason(prune, 'an owner not in application.owners: it can change the application and add credentials') });
    if (prune) writes.push({ aspect: 'owners', op: 'removeOwner', ownerId: o.id });
  }
  const n = desired.owners.length;
  return assessment('owners', 'owners', changes, writes, {
    message: n === 0 ? 'the application has no owner, as application.owners says' : `the application's owners are exactly the ${n} in application.owners`,
    details: { owners: have.map(ownerView) },
  });
}
