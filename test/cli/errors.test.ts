/**
 * Errors are presented once: a Graph status maps to one exit code (exitCodeForGraphStatus), whether
 * the error is the raw Graph answer or what toPortalError presents it as; the answer's raw fields
 * (status, code, message, request-id) survive into --json; the message is never re-read from text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, exitCodeForGraphStatus, PermissionError } from '../../src/errors.js';
import { graphErrorFrom, toPortalError } from '../../src/graph/errors.js';

const body = (code: string, message: string) => ({ error: { code, message, innerError: { 'request-id': 'rid-1' } } });

test('one mapping from status to exit code, for the raw error and for its presentation alike', () => {
  for (const status of [400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504]) {
    const raw = graphErrorFrom(status, undefined, body('SomeCode', 'm'), { method: 'PATCH', path: '/applications/1' });
    assert.equal(exitCodeFor(raw), exitCodeForGraphStatus(status), `raw ${status}`);
    assert.equal(exitCodeFor(toPortalError(raw)), exitCodeForGraphStatus(status), `presented ${status}`);
  }
  assert.deepEqual([403, 429, 503, 504, 404].map(exitCodeForGraphStatus), [77, 75, 75, 75, 1]);
});

test('a presented 403 keeps the Graph answer: status, code, message and request-id in --json', () => {
  const raw = graphErrorFrom(403, { 'request-id': 'hdr' }, body('Authorization_RequestDenied', 'Insufficient privileges: 3 of 4 checks: failed.'), { method: 'PATCH', path: '/applications/1' });
  const shown = toPortalError(raw);
  assert.ok(shown instanceof PermissionError);
  const json = shown.toJSON();
  assert.equal(json.code, 'insufficient-privileges');
  assert.equal(json.status, 403);
  assert.equal(json.graphCode, 'Authorization_RequestDenied');
  assert.equal(json.requestId, 'rid-1');
  // Graph's message as it said it (a message with ": 4 x: " in it was cut by the old re-parsing of our own text)
  assert.equal(json.graphMessage, 'Insufficient privileges: 3 of 4 checks: failed.');
  assert.equal(raw.graphMessage, 'Insufficient privileges: 3 of 4 checks: failed.');
});
