/**
 * Entra's token-endpoint error body, the fields msal-node reads: error, error_description "AADSTS…",
 * error_codes, timestamp, trace_id, correlation_id (docs/graph.md, "The token endpoint and client
 * assertions").
 */
import { randomUUID } from 'node:crypto';
import type { GraphResult } from '../http.js';

export function aadError(status: number, error: string, code: number, description: string, correlationId?: string): GraphResult {
  const traceId = randomUUID();
  const corr = correlationId ?? randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache' },
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${corr} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: corr,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const tenantNotFound = (tenant: string, corr?: string): GraphResult =>
  aadError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    corr,
  );
