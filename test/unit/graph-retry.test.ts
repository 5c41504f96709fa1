import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransientError } from '../../src/errors.js';
import { GraphCallError, GraphConnectionError, graphErrorFrom } from '../../src/graph/errors.js';
import { backoffDelay, retryPolicy, withDeadline, withRetry } from '../../src/graph/retry.js';
import { isReplicationLag, NotYetVisible, waitForConsistency } from '../../src/graph/consistency.js';
import { fakeClock, recordingLogger } from '../helpers/graph-fakes.js';

const ref = { method: 'GET', path: '/applications' };
const throttled = (retryAfter?: string) => graphErrorFrom(429, retryAfter === undefined ? {} : { 'Retry-After': retryAfter }, { error: { code: 'TooManyRequests', message: 'slow down' } }, ref);
const reset = (method = 'GET') => new GraphConnectionError({ errno: 'ECONNRESET', detail: 'socket hang up', request: { method, path: '/applications' } });

function setup(overrides = {}) {
  const clock = fakeClock();
  const log = recordingLogger();
  const policy = retryPolicy({ random: () => 0.5, ...overrides });
  return { clock, log, ctx: { clock, log }, policy };
}

describe('withRetry', () => {
  it('honours Retry-After in seconds and succeeds', async () => {
    const { ctx, policy, clock, log } = setup();
    let calls = 0;
    const result = await withRetry(ctx, policy, { what: 'GET /applications' }, async () => {
      calls++;
      if (calls < 3) throw throttled('3');
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.deepEqual(clock.sleeps, [3000, 3000]);
    // waits over 2 s are shown as progress on stderr
    assert.equal(log.lines.filter((l) => l.level === 'progress').length, 2);
    assert.match(log.lines[0]?.message ?? '', /throttled \(429\); retrying in 3 s \(attempt 2\/15\)/);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { ctx, policy, clock } = setup();
    let calls = 0;
    await withRetry(ctx, policy, { what: 'x' }, async () => {
      if (calls++ === 0) throw graphErrorFrom(503, { 'retry-after': new Date(clock.now() + 5000).toUTCString() }, '', ref, clock.now());
      return 1;
    });
    assert.equal(clock.sleeps.length, 1);
    assert.ok(clock.sleeps[0]! >= 4000 && clock.sleeps[0]! <= 5000, `slept ${clock.sleeps[0]}`);
  });

  it('uses exponential backoff with jitter without Retry-After; short waits only in verbose', async () => {
    const { ctx, policy, clock, log } = setup({ baseDelayMs: 500 });
    let calls = 0;
    await withRetry(ctx, policy, { what: 'x' }, async () => {
      if (calls++ < 4) throw graphErrorFrom(504, undefined, undefined, ref);
      return 1;
    });
    // random 0.5 → 75 % of the step: 500, 1000, 2000, 4000 → 375, 750, 1500, 3000
    assert.deepEqual(clock.sleeps, [375, 750, 1500, 3000]);
    assert.deepEqual(log.lines.map((l) => l.level), ['verbose', 'verbose', 'verbose', 'progress']);
  });

  it('gives up with TransientError (75) after maxAttempts', async () => {
    const { ctx, policy } = setup({ maxAttempts: 3 });
    let calls = 0;
    await assert.rejects(
      withRetry(ctx, policy, { what: 'GET /applications' }, async () => {
        calls++;
        throw throttled('1');
      }),
      (e: unknown) => e instanceof TransientError && e.exitCode === 75 && /after 3 attempts/.test(e.message) && e.cause instanceof GraphCallError,
    );
    assert.equal(calls, 3);
  });

  it('gives up when Retry-After exceeds the remaining budget (never sleeps past it)', async () => {
    const { ctx, policy, clock } = setup({ budgetMs: 10_000 });
    await assert.rejects(
      withRetry(ctx, policy, { what: 'x' }, async () => {
        throw throttled('4');
      }),
      (e: unknown) => e instanceof TransientError && /budget/.test(e.message),
    );
    assert.deepEqual(clock.sleeps, [4000, 4000]);
  });

  it('retries a connection reset only when idempotent', async () => {
    const { ctx, policy } = setup();
    let calls = 0;
    assert.equal(
      await withRetry(ctx, policy, { what: 'x', idempotent: true }, async () => {
        if (calls++ === 0) throw reset();
        return 'ok';
      }),
      'ok',
    );
    calls = 0;
    await assert.rejects(
      withRetry(ctx, policy, { what: 'x', idempotent: false }, async () => {
        calls++;
        throw reset('POST');
      }),
      (e: unknown) => e instanceof GraphConnectionError && e.mayHaveCommitted,
    );
    assert.equal(calls, 1);
  });

  it('does not retry other Graph errors', async () => {
    const { ctx, policy } = setup();
    let calls = 0;
    await assert.rejects(
      withRetry(ctx, policy, { what: 'x' }, async () => {
        calls++;
        throw graphErrorFrom(400, undefined, { error: { code: 'Request_BadRequest', message: 'bad' } }, ref);
      }),
      GraphCallError,
    );
    assert.equal(calls, 1);
  });

  it('an enclosing deadline bounds inner retries', async () => {
    const { ctx, policy, clock } = setup({ budgetMs: 120_000 });
    await assert.rejects(
      withDeadline(clock.now() + 5000, () =>
        withRetry(ctx, policy, { what: 'x' }, async () => {
          throw throttled('3');
        }),
      ),
      TransientError,
    );
    assert.deepEqual(clock.sleeps, [3000]);
  });

  it('backoff is capped', () => {
    const p = retryPolicy({ baseDelayMs: 1000, maxDelayMs: 8000, random: () => 1 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, p)), [1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe('waitForConsistency', () => {
  const notFound = () => graphErrorFrom(404, undefined, { error: { code: 'Request_ResourceNotFound', message: "Resource 'x' does not exist" } }, ref);
  const noBacking = () =>
    graphErrorFrom(400, undefined, { error: { code: 'Request_BadRequest', message: "The appId 'x' of the service principal does not reference a valid application object." } }, { method: 'POST', path: '/servicePrincipals' });

  it('classifies the replication quirks', () => {
    assert.equal(isReplicationLag(notFound()), true);
    assert.equal(isReplicationLag(noBacking()), true);
    assert.equal(isReplicationLag(graphErrorFrom(400, undefined, { error: { code: 'Request_BadRequest', message: "Invalid value specified for property 'resourceId'" } }, { method: 'POST', path: '/oauth2PermissionGrants' })), true);
    assert.equal(isReplicationLag(graphErrorFrom(400, undefined, { error: { code: 'Request_BadRequest', message: 'bad key' } }, ref)), false);
    assert.equal(isReplicationLag(throttled()), false);
  });

  it('waits out 404 then returns', async () => {
    const { ctx, policy, clock } = setup();
    let calls = 0;
    const v = await waitForConsistency({ ctx, retry: policy }, 'reading app', async () => {
      if (calls++ < 3) throw notFound();
      return 42;
    });
    assert.equal(v, 42);
    // 1, 2, 4 s steps at random 0.5 → 87.5 %
    assert.deepEqual(clock.sleeps, [875, 1750, 3500]);
  });

  it('NotYetVisible means pending too; the budget ends it with TransientError', async () => {
    const { ctx, policy } = setup({ budgetMs: 20_000 });
    await assert.rejects(
      waitForConsistency({ ctx, retry: policy }, 'reading sp', async () => {
        throw new NotYetVisible('sp');
      }),
      (e: unknown) => e instanceof TransientError && /had not replicated/.test(e.message),
    );
  });

  it('other errors pass straight through', async () => {
    const { ctx, policy, clock } = setup();
    await assert.rejects(
      waitForConsistency({ ctx, retry: policy }, 'x', async () => {
        throw graphErrorFrom(403, undefined, { error: { code: 'Authorization_RequestDenied', message: 'no' } }, ref);
      }),
      (e: unknown) => e instanceof GraphCallError && e.status === 403,
    );
    assert.deepEqual(clock.sleeps, []);
  });
});

describe('isReplicationLag on grants', () => {
  it('a malformed grant body is not lag', () => {
    const e = graphErrorFrom(400, undefined, { error: { code: 'Request_BadRequest', message: "Property 'clientId' is required and must be a GUID." } }, { method: 'POST', path: '/oauth2PermissionGrants' });
    assert.equal(isReplicationLag(e), false);
  });
});
