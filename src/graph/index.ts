/**
 * The Graph layer's public surface. Importing this is cheap: the Graph SDK,
 * undici load only when `createGraphSession` runs (src/session.ts opens sessions).
 */
export * from './api.js';
export { graphBatch, BATCH_LIMIT, type BatchItem, type BatchResult } from './batch.js';
export { isReplicationLag, waitForConsistency, markFresh, isFresh, NotYetVisible } from './consistency.js';
export {
  GraphCallError,
  GraphConnectionError,
  toPortalError,
  likelyMissingRight,
  parseGraphErrorBody,
  parseRetryAfter,
  graphErrorFrom,
  type RequestRef,
} from './errors.js';
export { checkOperatorRights, inspectOperator, assessClaims, decodeJwtPayload, type OperatorReport, type Need } from './preflight.js';
export { graphCall, graphList, sendOnce, odataString, type GraphCall, type GraphAnswer, type HttpMethod } from './request.js';
export { withRetry, retryPolicy, DEFAULT_RETRY_POLICY, DEFAULT_PROPAGATION_TIMEOUT_S, type RetryPolicy } from './retry.js';
export { createGraphSession, type GraphSession, type GraphSessionParts } from './session.js';
