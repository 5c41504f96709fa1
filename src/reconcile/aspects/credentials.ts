/**
 * The application's other ways to sign in: client secrets (`passwordCredentials`) and federated
 * identity credentials. The Restore Portal application signs in with its certificate only, so every
 * one of these is unmanaged — a secret added behind the tool's back is the classic backdoor.
 * Secrets are removed with `removePassword` (they cannot be PATCHed), federated credentials with
 * DELETE. Only a secret's hint is ever shown (Graph returns nothing more).
 */
import type { FederatedIdentityCredential, PasswordCredential } from '../../model/graph.js';
import type { Change, DesiredState, FederatedCredentialView, Observed, PasswordCredentialView, PlanOptions, Write } from '../types.js';
import { assessment, unmanagedAction, unmanagedReason } from './judge.js';

export function passwordView(p: PasswordCredential): PasswordCredentialView {
  return {
    keyId: p.keyId,
    ...(p.displayName ? { displayName: p.displayName } : {}),
    ...(p.hint ? { hint: p.hint } : {}),
    ...(p.startDateTime ? { startDateTime: p.startDateTime } : {}),
    ...(p.endDateTime ? { endDateTime: p.endDateTime } : {}),
  };
}

export const federatedView = (f: FederatedIdentityCredential): FederatedCredentialView => ({ id: f.id, name: f.name, issuer: f.issuer, subject: f.subject });

export function assessCredentials(_desired: DesiredState, observed: Observed, options: PlanOptions) {
  const prune = options.prune === true;
  const action = unmanagedAction(prune);
  const changes: Change[] = [];
  const writes: Write[] = [];
  for (const p of observed.application?.passwordCredentials ?? []) {
    changes.push({ resource: 'passwordCredential', action, field: 'passwordCredentials', before: passwordView(p), unmanaged: true, reason: unmanagedReason(prune, 'the portal application signs in with its certificate only') });
    if (prune) writes.push({ aspect: 'credentials', op: 'removePassword', keyId: p.keyId });
  }
  for (const f of observed.federatedCredentials) {
    changes.push({ resource: 'federatedCredential', action, field: 'federatedIdentityCredentials', before: federatedView(f), unmanaged: true, reason: unmanagedReason(prune, 'the portal application signs in with its certificate only') });
    if (prune) writes.push({ aspect: 'credentials', op: 'deleteFederatedCredential', id: f.id });
  }
  return assessment('credentials', 'credentials', changes, writes, { message: 'no client secret and no federated credential on the application' });
}
