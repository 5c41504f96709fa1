/**
 * Wire helpers shared by the identity and Graph handlers: body reading, Graph's error body
 * (`{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`,
 * docs/graph.md, "Requests and error bodies") and the internal request/response shapes `$batch` reuses.
 */
import type { IncomingMessage } from 'node:http';

/** A Graph answer before it is written (to a socket or into a `$batch` response). */
export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; a string is sent as text/plain (`/$count`) */
  body?: unknown;
  /** the request committed a change */
  write?: boolean;
  /** `body` already serialised (JSON text and its UTF-8 length): written as is; `body` still holds the object */
  serialized?: { text: string; bytes: number };
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; details?: unknown[] } = {},
  ) {
    super(message);
  }
}

export const notFound = (id: string): GraphError =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const badRequest = (message: string, code = 'Request_BadRequest'): GraphError => new GraphError(400, code, message);

export function innerError(requestId: string, clientRequestId: string | undefined): Record<string, string> {
  return {
    date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
  };
}

export function errorResult(err: GraphError, requestId: string, clientRequestId: string | undefined): GraphResult {
  const error: Record<string, unknown> = { code: err.code, message: err.message, innerError: innerError(requestId, clientRequestId) };
  if (err.extra.details) error.details = err.extra.details;
  return { status: err.status, headers: err.extra.headers ?? {}, body: { error } };
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
