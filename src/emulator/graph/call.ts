/**
 * One Graph request as the handlers see it, whether it came over the socket or inside a `$batch`.
 */
import type { Engine } from '../engine.js';
import type { Tenant } from '../directory.js';
import { badRequest, GraphError } from '../http.js';
import type { Principal } from './auth.js';

export interface GraphCall {
  engine: Engine;
  method: string;
  /** the path after `/v1.0`, e.g. `/applications(appId='…')/addKey` */
  path: string;
  query: URLSearchParams;
  /** lower-cased header names */
  headers: Record<string, string | undefined>;
  /** the parsed JSON body (undefined when there is none) */
  body: unknown;
  /** https://host:port as the client addressed it */
  origin: string;
  principal: Principal;
  tenant: Tenant;
  /** request id of the top-level HTTP request (a $batch's items share it) */
  rootId: string;
}

/** `applications`, `applications(appId='x')`, `applications('id')` → name + key. */
export interface Segment {
  name: string;
  key?: { prop: 'id' | 'appId' | 'uniqueName'; value: string };
}

export function parseSegment(raw: string): Segment {
  const m = /^([A-Za-z0-9$.]+)(?:\((.*)\))?$/s.exec(raw);
  if (!m) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${raw}'.`);
  const name = m[1]!;
  const inner = m[2];
  if (inner === undefined) return { name };
  const km = /^(?:(appId|uniqueName|id)=)?'((?:[^']|'')*)'$/i.exec(inner.trim());
  if (!km) throw badRequest(`Invalid key predicate '${inner}' on segment '${name}'.`, 'BadRequest');
  const prop = (km[1] ?? 'id').toLowerCase();
  const value = km[2]!.replace(/''/g, "'");
  return { name, key: { prop: prop === 'appid' ? 'appId' : prop === 'uniquename' ? 'uniqueName' : 'id', value } };
}

export function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      if (!s.includes('%')) return s;
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

export const methodNotAllowed = (): GraphError => new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
export const unknownSegment = (seg: string): GraphError => new GraphError(400, 'BadRequest', `Resource not found for the segment '${seg}'.`);

/** The JSON object body, or 400. */
export function objectBody(call: GraphCall): Record<string, unknown> {
  const b = call.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw badRequest('The request body must be a JSON object.', 'BadRequest');
  return b as Record<string, unknown>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID.test(v);

/**
 * A key that cannot name any object is a 400, not a 404: `(appId='x')` answers "Invalid value specified
 * for object reference property 'appId'…" (https://github.com/microsoftgraph/msgraph-sdk-python/issues/408),
 * a malformed object id "Invalid object identifier '…'." (the wording Microsoft's own Entra PowerShell
 * module reproduces, microsoftgraph/entra-powershell).
 */
export function checkKey(key: { prop: string; value: string }): void {
  if (key.prop === 'uniqueName' || isGuid(key.value)) return;
  if (key.prop === 'appId') {
    throw badRequest("Invalid value specified for object reference property 'appId'. Please ensure that this value has an appropriate syntax and length.");
  }
  throw badRequest(`Invalid object identifier '${key.value}'.`);
}
