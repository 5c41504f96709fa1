/**
 * `addKey`/`removeKey` with the proof-of-possession rules (docs/graph.md, "addKey / removeKey"):
 * the proof is a JWT signed with one of the app's *currently valid* certificates, `aud` =
 * 00000002-0000-0000-c000-000000000000, `iss` = the caller's object id, `nbf` required and
 * `exp` ≤ `nbf` + 10 minutes, no `=` padding (padding → Authentication_MissingOrMalformed).
 * `addPassword`/`removePassword`, the only way to make client secrets.
 */
import type { Tenant } from '../directory.js';
import { addSecret } from '../directory.js';
import { badRequest, GraphError, type GraphResult } from '../http.js';
import { decodeJwt, verifyJwt } from '../jwt.js';
import { usableVerifyKey } from '../keycert.js';
import { graphDate } from '../shapes.js';
import type { Application } from '../types.js';
import { requireAny, ROLES, type Principal } from './auth.js';
import { isGuid, objectBody, type GraphCall } from './call.js';
import { newKeyCredential } from './key-credentials.js';
import { enforceKeyCredential, enforcePassword } from '../app-policy.js';
import { SECRET_DEFAULT_MS } from '../directory.js';

const PROOF_AUDIENCE = '00000002-0000-0000-c000-000000000000';

const malformed = (why: string): GraphError =>
  new GraphError(401, 'Authentication_MissingOrMalformed', 'Access Token missing or malformed.', { details: [{ code: 'InvalidProof', message: why }] });

/** The app itself may roll its keys without any permission; others need Application.ReadWrite.All. */
function requireSelfOrWriter(p: Principal, app: Application): void {
  if (p.kind === 'app' && p.appId === app.appId) return;
  requireAny(p, ROLES.appWrite, p.tenant.ownersOf(app.id));
}

function checkProof(tenant: Tenant, app: Application, proof: unknown): void {
  if (typeof proof !== 'string' || !proof) throw malformed('proof is required');
  const jwt = decodeJwt(proof);
  if (!jwt) throw malformed('proof is not a JWT');
  if (jwt.padded) throw malformed('proof segments must not carry base64 padding');
  const keys = app.keyCredentials.map((k) => usableVerifyKey(k)).filter((k) => k !== undefined);
  if (keys.length === 0) {
    throw badRequest('The application has no valid certificate to verify the proof with. Add the first certificate with PATCH /applications/{id}.');
  }
  if (!keys.some((k) => verifyJwt(jwt, k.cert.publicKey))) throw malformed('proof is not signed by a valid certificate of the application');
  const p = jwt.payload;
  if (p.aud !== PROOF_AUDIENCE) throw malformed(`proof aud must be ${PROOF_AUDIENCE}`);
  const sp = tenant.spsByAppId.get(app.appId);
  if (p.iss !== app.id && (!sp || p.iss !== sp.id)) throw malformed('proof iss must be the object id of the calling application');
  const now = Math.floor(Date.now() / 1000);
  if (typeof p.nbf !== 'number') throw malformed('proof nbf is required');
  if (typeof p.exp !== 'number' || p.exp - p.nbf > 600) throw malformed('proof exp must be at most nbf + 10 minutes');
  if (p.nbf > now + 300 || p.exp <= now) throw malformed('proof is not within its validity period');
}

export function addKey(call: GraphCall, app: Application): GraphResult {
  requireSelfOrWriter(call.principal, app);
  const body = objectBody(call);
  const kc = body.keyCredential;
  if (!kc || typeof kc !== 'object' || Array.isArray(kc)) throw badRequest("Property 'keyCredential' is required.");
  checkProof(call.tenant, app, body.proof);
  const input = kc as Record<string, unknown>;
  const pc = body.passwordCredential as { secretText?: unknown } | null | undefined;
  if (input.type === 'X509CertAndPassword' && (!pc || typeof pc.secretText !== 'string' || !pc.secretText)) {
    throw badRequest('A passwordCredential with secretText is required for an X509CertAndPassword key.');
  }
  const cred = newKeyCredential({ ...input, keyId: undefined }, { allowPasswordPair: true });
  enforceKeyCredential(call.tenant, app, cred);
  app.keyCredentials = [...app.keyCredentials, cred];
  call.tenant.apps.touch(app.id);
  return {
    status: 200,
    write: true,
    body: { '@odata.context': `${call.origin}/v1.0/$metadata#microsoft.graph.keyCredential`, ...cred, key: null },
  };
}

export function removeKey(call: GraphCall, app: Application): GraphResult {
  requireSelfOrWriter(call.principal, app);
  const body = objectBody(call);
  if (!isGuid(body.keyId)) throw badRequest("Property 'keyId' is required and must be a GUID.");
  checkProof(call.tenant, app, body.proof);
  const keyId = (body.keyId as string).toLowerCase();
  if (!app.keyCredentials.some((k) => k.keyId === keyId)) throw badRequest(`No key credential with keyId '${keyId}' exists on the application.`);
  app.keyCredentials = app.keyCredentials.filter((k) => k.keyId !== keyId);
  call.tenant.apps.touch(app.id);
  return { status: 204, write: true };
}

export function addPassword(call: GraphCall, app: Application): GraphResult {
  requireSelfOrWriter(call.principal, app);
  const body = call.body === undefined ? {} : objectBody(call);
  const pc = (body.passwordCredential ?? {}) as Record<string, unknown>;
  const name = typeof pc.displayName === 'string' ? pc.displayName : null;
  const end = typeof pc.endDateTime === 'string' && Number.isFinite(Date.parse(pc.endDateTime)) ? Date.parse(pc.endDateTime) : undefined;
  const now = Date.now();
  enforcePassword(call.tenant, app, { startDateTime: graphDate(now), endDateTime: graphDate(end ?? now + SECRET_DEFAULT_MS) });
  const { secretText, credential } = addSecret(call.tenant, app, name);
  if (end !== undefined) {
    // addSecret marked the application changed: this edit goes into the same commit
    const stored = app.passwordCredentials.find((p) => p.keyId === credential.keyId)!;
    stored.endDateTime = graphDate(end);
    credential.endDateTime = stored.endDateTime;
  }
  return {
    status: 200,
    write: true,
    body: { '@odata.context': `${call.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...credential, secretText },
  };
}

export function removePassword(call: GraphCall, app: Application): GraphResult {
  requireSelfOrWriter(call.principal, app);
  const body = objectBody(call);
  if (!isGuid(body.keyId)) throw badRequest("Property 'keyId' is required and must be a GUID.");
  const keyId = (body.keyId as string).toLowerCase();
  if (!app.passwordCredentials.some((p) => p.keyId === keyId)) throw badRequest(`No password credential with keyId '${keyId}' exists on the application.`);
  app.passwordCredentials = app.passwordCredentials.filter((p) => p.keyId !== keyId);
  call.tenant.apps.touch(app.id);
  call.tenant.secrets.delete(keyId);
  return { status: 204, write: true };
}
