/**
 * The emulator's fault injection (src/emulator/faults.ts): throttling that the Graph client's
 * RetryHandler rides out, 503s, replication lag, a dropped answer after a committed write, latency,
 * bad specs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { parseFaults } from '../../src/emulator/index.js';
import { emulatorFetch, graphClientFor, tokenFor, withEmulator } from '../helpers/emulator.js';

describe('emulator faults', () => {
  it('parses fault specs and refuses bad ones', () => {
    assert.deepEqual(parseFaults('latency=5,throttle=0.5,unavailable=0.1,retry-after=0,lag=100,drop-after-write=3,seed=7'), {
      latency: 5,
      throttle: 0.5,
      unavailable: 0.1,
      retryAfter: 0,
      lag: 100,
      grantLag: 0,
      dropAfterWrite: 3,
      seed: 7,
      // Graph's limit on reads that select keyCredentials is on unless turned off
      keyReads: 150,
    });
    assert.equal(parseFaults('key-reads=0').keyReads, 0);
    for (const bad of ['throttle=2', 'bogus=1', 'latency', 'seed=1.5', 'lag=-1', 'key-reads=1.5']) assert.throws(() => parseFaults(bad), InputError, bad);
  });

  it('throttles with 429 + Retry-After, and the Graph client retries through it', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const g = graphClientFor(h, t);
        for (let i = 0; i < 6; i++) {
          const r = await g.api('/servicePrincipals').filter(`appId eq '00000003-0000-0000-c000-000000000000'`).get();
          assert.equal(r.value.length, 1);
        }
        const throttled = h.requests.filter((r) => r.status === 429);
        assert.ok(throttled.length > 0, 'some requests were throttled');
        const raw = await emulatorFetch(h, '/v1.0/applications', { token: await tokenFor(h, t) });
        if (raw.status === 429) {
          assert.equal(raw.headers.get('retry-after'), '0');
          assert.equal(raw.body.error.code, 'TooManyRequests');
        }
      },
      { faults: 'throttle=0.4,retry-after=0,seed=3' },
    );
  });

  it('throttles $batch items one by one (429 inside a 200 batch, Retry-After in the item headers)', async () => {
    await withEmulator(
      async (h) => {
        const r = await emulatorFetch(h, '/v1.0/$batch', {
          token: await tokenFor(h, h.tenants[0]!),
          method: 'POST',
          body: { requests: [{ id: '1', method: 'GET', url: '/applications' }, { id: '2', method: 'GET', url: '/servicePrincipals' }] },
        });
        assert.equal(r.status, 200);
        for (const item of r.body.responses) {
          assert.equal(item.status, 429);
          assert.equal(item.headers['Retry-After'], '0');
          assert.equal(item.headers['Content-Type'], 'application/json');
        }
        assert.equal(h.requests.filter((x) => x.inBatch && x.status === 429).length, 2);
      },
      { faults: 'throttle=1,retry-after=0' },
    );
  });

  it('answers 503 with Retry-After under unavailable=1', async () => {
    await withEmulator(
      async (h) => {
        const r = await emulatorFetch(h, '/v1.0/applications', { token: await tokenFor(h, h.tenants[0]!) });
        assert.equal(r.status, 503);
        assert.equal(r.headers.get('retry-after'), '2');
        assert.ok(r.body.error.innerError['request-id']);
      },
      { faults: 'unavailable=1,retry-after=2' },
    );
  });

  it('lags: a new application 404s on reads and writes, and is refused as a reference, until it replicates', async () => {
    let now = Date.now();
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const token = await tokenFor(h, t);
        const created = await emulatorFetch(h, '/v1.0/applications', { token, method: 'POST', body: { displayName: 'Lagging' } });
        assert.equal(created.status, 201);
        const app = created.body;
        assert.equal((await emulatorFetch(h, `/v1.0/applications/${app.id}`, { token })).status, 404);
        const list = await emulatorFetch(h, `/v1.0/applications?$filter=appId eq '${app.appId}'`, { token });
        assert.deepEqual(list.body.value, []);
        const sp = await emulatorFetch(h, '/v1.0/servicePrincipals', { token, method: 'POST', body: { appId: app.appId } });
        assert.equal(sp.status, 400);
        assert.equal(sp.body.error.details[0].code, 'NoBackingApplicationObject');
        // writes to it 404 too, as in Entra (see emulator-lag.test.ts)
        assert.equal((await emulatorFetch(h, `/v1.0/applications/${app.id}`, { token, method: 'PATCH', body: { tags: ['x'] } })).status, 404);
        now += 1000;
        assert.equal((await emulatorFetch(h, `/v1.0/applications/${app.id}`, { token })).status, 200);
        assert.equal((await emulatorFetch(h, `/v1.0/applications/${app.id}`, { token, method: 'PATCH', body: { tags: ['x'] } })).status, 204);
        assert.equal((await emulatorFetch(h, '/v1.0/servicePrincipals', { token, method: 'POST', body: { appId: app.appId } })).status, 201);
      },
      { faults: 'lag=1000', clock: { now: () => now } },
    );
  });

  it('drop-after-write commits the n-th write, then drops the connection without an answer', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const token = await tokenFor(h, t);
        assert.equal((await emulatorFetch(h, '/v1.0/applications', { token, method: 'POST', body: { displayName: 'first' } })).status, 201);
        await assert.rejects(emulatorFetch(h, '/v1.0/applications', { token, method: 'POST', body: { displayName: 'second (dropped)' } }));
        const list = await emulatorFetch(h, `/v1.0/applications?$filter=displayName eq 'second (dropped)'`, { token });
        assert.equal(list.body.value.length, 1, 'the dropped write was committed');
        assert.equal(h.requests.filter((r) => r.status === 0 && r.write).length, 1);
        assert.equal((await emulatorFetch(h, '/v1.0/applications', { token, method: 'POST', body: { displayName: 'third' } })).status, 201);
      },
      { faults: 'drop-after-write=2' },
    );
  });

  it('adds latency to every request', async () => {
    await withEmulator(
      async (h) => {
        await emulatorFetch(h, `/${h.tenants[0]!.id}/v2.0/.well-known/openid-configuration`);
        assert.ok(h.requests[0]!.durationMs >= 140, `took ${h.requests[0]!.durationMs} ms`); // timers may fire a hair early
      },
      { faults: 'latency=150' },
    );
  });
});
