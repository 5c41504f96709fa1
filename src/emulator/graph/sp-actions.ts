/**
 * `POST /servicePrincipals/{id}/addPassword` and `/removePassword`: a client secret on the
 * service principal (the enterprise application) rather than on the application. It signs in as
 * the application in the service principal's tenant just as well — a known way to keep access that
 * the application's own credential list does not show
 * (https://learn.microsoft.com/graph/api/serviceprincipal-addpassword,
 * https://learn.microsoft.com/graph/api/serviceprincipal-removepassword).
 */
import { randomUUID } from 'node:crypto';
import { newSecretText, SECRET_DEFAULT_MS } from '../directory.js';
import { badRequest, type GraphResult } from '../http.js';
import { graphDate } from '../shapes.js';
import type { ServicePrincipal } from '../types.js';
import { requireAny, ROLES } from './auth.js';
import { isGuid, objectBody, type GraphCall } from './call.js';

export function addSpPassword(call: GraphCall, sp: ServicePrincipal): GraphResult {
  requireAny(call.principal, ROLES.appWrite);
  const body = call.body === undefined ? {} : objectBody(call);
  const pc = (body.passwordCredential ?? {}) as Record<string, unknown>;
  const now = call.engine.clock.now();
  const end = typeof pc.endDateTime === 'string' && Number.isFinite(Date.parse(pc.endDateTime)) ? Date.parse(pc.endDateTime) : now + SECRET_DEFAULT_MS;
  const secretText = newSecretText();
  const keyId = randomUUID();
  const credential = {
    customKeyIdentifier: null,
    displayName: typeof pc.displayName === 'string' ? pc.displayName : null,
    endDateTime: graphDate(end),
    hint: secretText.slice(0, 3),
    keyId,
    secretText: null,
    startDateTime: graphDate(now),
  };
  sp.passwordCredentials = [...(sp.passwordCredentials ?? []), { ...credential }];
  call.tenant.sps.touch(sp.id);
  // stored like an application's secrets, under the service principal's object id
  call.tenant.secrets.set(keyId, { applicationId: sp.id, keyId, secretText });
  return { status: 200, write: true, body: { '@odata.context': `${call.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...credential, secretText } };
}

export function removeSpPassword(call: GraphCall, sp: ServicePrincipal): GraphResult {
  requireAny(call.principal, ROLES.appWrite);
  const keyId = objectBody(call).keyId;
  if (!isGuid(keyId)) throw badRequest("Property 'keyId' is required and must be a GUID.");
  if (!(sp.passwordCredentials ?? []).some((p) => p.keyId === keyId)) throw badRequest(`No password credential with keyId '${keyId}' exists on the service principal.`);
  sp.passwordCredentials = sp.passwordCredentials.filter((p) => p.keyId !== keyId);
  call.tenant.sps.touch(sp.id);
  call.tenant.secrets.delete(keyId);
  return { status: 204, write: true };
}
