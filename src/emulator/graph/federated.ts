/**
 * `/applications/{id}/federatedIdentityCredentials` (list, create, get, delete): credentials that
 * let tokens from an external identity provider (GitHub Actions, Kubernetes, another tenant) sign
 * in as the application. Up to 20 per application, `name` unique per application, `issuer` an
 * https URL, `audiences` exactly one value.
 * https://learn.microsoft.com/graph/api/resources/federatedidentitycredential
 * https://learn.microsoft.com/graph/api/application-post-federatedidentitycredentials
 */
import { randomUUID } from 'node:crypto';
import { badRequest, GraphError, notFound, type GraphResult } from '../http.js';
import type { Application, FederatedIdentityCredential } from '../types.js';
import { requireAny, ROLES } from './auth.js';
import { methodNotAllowed, objectBody, type GraphCall } from './call.js';
import { entityResult, listResult, type ResourceType } from './query.js';

export const FEDERATED: ResourceType = {
  set: 'federatedIdentityCredentials',
  resource: 'FederatedIdentityCredential',
  odataType: 'microsoft.graph.federatedIdentityCredential',
  filterable: new Set(['name', 'subject', 'issuer']),
  filterableCollections: new Set(['audiences']),
  searchable: new Set(),
};

const MAX_PER_APP = 20;

function ficsOf(app: Application): FederatedIdentityCredential[] {
  // states written before federated credentials existed have none
  app.federatedIdentityCredentials ??= [];
  return app.federatedIdentityCredentials;
}

function validated(body: Record<string, unknown>, existing: readonly FederatedIdentityCredential[]): FederatedIdentityCredential {
  const { name, issuer, subject, audiences, description } = body;
  if (typeof name !== 'string' || !name.trim()) throw badRequest("Property 'name' is required.");
  if (name.length > 120 || !/^[A-Za-z0-9_.-]+$/.test(name)) throw badRequest(`Invalid value specified for property 'name' of resource 'FederatedIdentityCredential'.`);
  if (typeof issuer !== 'string' || !/^https:\/\//i.test(issuer)) throw badRequest(`Invalid value specified for property 'issuer' of resource 'FederatedIdentityCredential'.`);
  if (typeof subject !== 'string' || !subject) throw badRequest("Property 'subject' is required.");
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== 'string') {
    throw badRequest(`Invalid value specified for property 'audiences' of resource 'FederatedIdentityCredential'.`);
  }
  if (existing.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
    throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', `FederatedIdentityCredential with name ${name} already exists.`);
  }
  if (existing.some((f) => f.issuer === issuer && f.subject === subject)) {
    throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'FederatedIdentityCredential with the same issuer and subject already exists.');
  }
  if (existing.length >= MAX_PER_APP) throw badRequest(`An application can have at most ${MAX_PER_APP} federated identity credentials.`);
  return { id: randomUUID(), name, issuer, subject, audiences: [audiences[0] as string], description: typeof description === 'string' ? description : null };
}

export function handleFederated(call: GraphCall, app: Application, rest: string[]): GraphResult {
  const { method, principal } = call;
  const fics = ficsOf(app);
  if (rest.length === 0) {
    if (method === 'GET') {
      requireAny(principal, ROLES.appRead);
      return listResult(call, fics as unknown as Record<string, unknown>[], FEDERATED, { contextSet: `applications('${app.id}')/federatedIdentityCredentials` });
    }
    if (method === 'POST') {
      requireAny(principal, ROLES.appWrite, call.tenant.ownersOf(app.id));
      const fic = validated(objectBody(call), fics);
      fics.push(fic);
      return { ...entityResult({ ...call, query: new URLSearchParams() }, fic as unknown as Record<string, unknown>, FEDERATED, 201), write: true };
    }
    throw methodNotAllowed();
  }
  if (rest.length !== 1) throw notFound(rest.join('/'));
  const id = decodeURIComponent(rest[0]!).replace(/^'|'$/g, '');
  const fic = fics.find((f) => f.id === id || f.name === id);
  if (method === 'GET') {
    requireAny(principal, ROLES.appRead);
    if (!fic) throw notFound(id);
    return entityResult(call, fic as unknown as Record<string, unknown>, FEDERATED);
  }
  if (method === 'DELETE') {
    requireAny(principal, ROLES.appWrite, call.tenant.ownersOf(app.id));
    if (!fic) throw notFound(id);
    app.federatedIdentityCredentials = fics.filter((f) => f !== fic);
    return { status: 204, write: true };
  }
  throw methodNotAllowed();
}
