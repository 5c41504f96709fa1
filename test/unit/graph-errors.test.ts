import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { exitCodeFor, GraphRequestError, OperationError, PermissionError, TransientError } from '../../src/errors.js';
import {
  fromClientError,
  GraphCallError,
  GraphConnectionError,
  graphErrorFrom,
  likelyMissingRight,
  parseGraphErrorBody,
  parseRetryAfter,
  toPortalError,
  TransportFailure,
} from '../../src/graph/errors.js';

const BODY = {
  error: {
    code: 'Request_ResourceNotFound',
    message: "Resource '5b31' does not exist or one of its queried reference-property objects are not present.",
    innerError: { date: '2021-04-20T17:22:30', 'request-id': '11111111-2222-3333-4444-555555555555', 'client-request-id': 'c' },
  },
};

describe('parsing Graph errors once', () => {
  it('reads code, message and request-id from the body (object or text)', () => {
    assert.deepEqual(parseGraphErrorBody(BODY), { code: 'Request_ResourceNotFound', message: BODY.error.message, requestId: '11111111-2222-3333-4444-555555555555' });
    assert.deepEqual(parseGraphErrorBody(JSON.stringify(BODY)), parseGraphErrorBody(BODY));
    assert.deepEqual(parseGraphErrorBody({ error: { code: 'X', message: 'm', innererror: { 'request-id': 'r' } } }), { code: 'X', message: 'm', requestId: 'r' });
    assert.deepEqual(parseGraphErrorBody(''), {});
    assert.deepEqual(parseGraphErrorBody('<html>gateway</html>'), { message: '<html>gateway</html>' });
  });

  it('a plain response → GraphCallError (a GraphRequestError) with status, code, request id, request', () => {
    const e = graphErrorFrom(404, new Headers({ 'content-type': 'application/json' }), BODY, { method: 'GET', path: "/applications(appId='x')" });
    assert.ok(e instanceof GraphRequestError);
    assert.equal(e.status, 404);
    assert.equal(e.graphCode, 'Request_ResourceNotFound');
    assert.equal(e.requestId, '11111111-2222-3333-4444-555555555555');
    assert.equal(e.graphMessage, BODY.error.message);
    assert.match(e.message, /^GET \/applications\(appId='x'\): 404 Request_ResourceNotFound: Resource/);
    assert.equal(exitCodeFor(e), 1);
  });

  it('a $batch item (plain header object, any casing) → the same type', () => {
    const e = graphErrorFrom(429, { 'Retry-After': '7', 'Content-Type': 'application/json' }, { error: { code: 'TooManyRequests', message: 'x' } }, { method: 'GET', path: '/a' });
    assert.equal(e.retryAfterMs, 7000);
    assert.equal(e.status, 429);
    const noBody = graphErrorFrom(503, { 'request-id': 'rid' }, undefined, { method: 'GET', path: '/a' });
    assert.equal(noBody.graphCode, 'ServiceUnavailable');
    assert.equal(noBody.requestId, 'rid');
  });

  it('the SDK GraphError (body = JSON of the inner error) → GraphCallError', () => {
    const g = new GraphError(403, 'Insufficient privileges to complete the operation.');
    g.code = 'Authorization_RequestDenied';
    g.body = JSON.stringify({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', innerError: { 'request-id': 'r1' } });
    const e = fromClientError(g, { method: 'PATCH', path: '/applications/1' });
    assert.ok(e instanceof GraphCallError);
    assert.equal(e.status, 403);
    assert.equal(e.graphCode, 'Authorization_RequestDenied');
    assert.equal(e.requestId, 'r1');
  });

  it('a transport failure (SDK statusCode -1, code = our errno name) → GraphConnectionError', () => {
    const g = new GraphError(-1, 'other side closed', new TransportFailure('UND_ERR_SOCKET', 'other side closed'));
    g.code = 'UND_ERR_SOCKET';
    const e = fromClientError(g, { method: 'POST', path: '/servicePrincipals' });
    assert.ok(e instanceof GraphConnectionError);
    assert.equal(e.errno, 'UND_ERR_SOCKET');
    assert.equal(e.transient, true);
    assert.equal(e.mayHaveCommitted, true);
    const refused = fromClientError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), { method: 'GET', path: '/x' });
    assert.ok(refused instanceof GraphConnectionError);
    assert.equal(refused.transient, false);
  });

  it('Retry-After: seconds, HTTP date, garbage', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30_000);
    assert.equal(parseRetryAfter(new Date(now - 30_000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('toPortalError', () => {
  const denied = (method: string, path: string) => graphErrorFrom(403, undefined, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }, { method, path });

  it('403 → PermissionError (77) naming the likely right', () => {
    const e = toPortalError(denied('POST', '/oauth2PermissionGrants'));
    assert.ok(e instanceof PermissionError);
    assert.equal(e.exitCode, 77);
    assert.deepEqual(e.missing, ['DelegatedPermissionGrant.ReadWrite.All']);
    assert.match(e.message, /DelegatedPermissionGrant\.ReadWrite\.All/);
    assert.equal(likelyMissingRight({ method: 'PATCH', path: '/applications/x' }), 'Application.ReadWrite.All');
    assert.equal(likelyMissingRight({ method: 'GET', path: '/applications/x' }), 'Application.Read.All');
  });

  it('429 after the budget → TransientError (75); 401 → authentication-failed; others unchanged', () => {
    assert.ok(toPortalError(graphErrorFrom(429, undefined, undefined, { method: 'GET', path: '/a' })) instanceof TransientError);
    const auth = toPortalError(graphErrorFrom(401, undefined, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } }, { method: 'GET', path: '/a' }));
    assert.ok(auth instanceof OperationError);
    assert.equal(auth.code, 'authentication-failed');
    const bad = graphErrorFrom(400, undefined, undefined, { method: 'GET', path: '/a' });
    assert.equal(toPortalError(bad), bad);
  });
});
