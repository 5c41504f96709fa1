/**
 * The emulator models Graph's limit on reads that select keyCredentials (150 a minute per tenant,
 * https://learn.microsoft.com/graph/api/application-get): over it, 429 with Retry-After; batch items
 * count one by one; other reads are not limited; `key-reads=0` turns it off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmulator } from '../helpers/emulator.js';
import { emulatorFetch, tokenFor } from '../helpers/emulator.js';

test('over the allowance: 429 with Retry-After; batch items count one by one; other reads are free; 0 turns it off', async () => {
  await withEmulator(
    async (emu) => {
      const tenant = emu.tenants[0]!;
      const token = await tokenFor(emu, tenant);
      const keyRead = '/v1.0/applications?$select=id,keyCredentials';
      for (let i = 0; i < 3; i++) assert.equal((await emulatorFetch(emu, keyRead, { token })).status, 200);
      const over = await emulatorFetch(emu, keyRead, { token });
      assert.equal(over.status, 429);
      assert.equal(over.body.error.code, 'TooManyRequests');
      assert.match(over.body.error.message, /limit is 3 a minute per tenant/);
      const retryAfter = Number(over.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal((await emulatorFetch(emu, '/v1.0/applications?$select=id,displayName', { token })).status, 200, 'a read without keyCredentials is not limited');
      const batch = await emulatorFetch(emu, '/v1.0/$batch', {
        token,
        method: 'POST',
        body: { requests: [{ id: '1', method: 'GET', url: '/applications?$select=keyCredentials' }, { id: '2', method: 'GET', url: '/applications?$select=id' }] },
      });
      assert.equal(batch.status, 200);
      const byId = Object.fromEntries((batch.body.responses as { id: string; status: number }[]).map((r) => [r.id, r.status]));
      assert.deepEqual(byId, { '1': 429, '2': 200 });
    },
    { faults: 'key-reads=3' },
  );
  await withEmulator(
    async (emu) => {
      const token = await tokenFor(emu, emu.tenants[0]!);
      for (let i = 0; i < 5; i++) assert.equal((await emulatorFetch(emu, '/v1.0/applications?$select=keyCredentials', { token })).status, 200);
    },
    { faults: 'key-reads=0' },
  );
});
