/**
 * The emulator state file: a restart on the same file continues where
 * it stopped (same CA, tenants, credentials and objects), concurrent writers lose nothing, a corrupt
 * file is an error naming it, one emulator per file; plus ensureTenant and the VB365 REST stand-in.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, LockedError } from '../../src/errors.js';
import { startEmulator } from '../../src/emulator/index.js';
import { withTempDir } from '../helpers/cli.js';
import { dispatcherFor, emulatorFetch, graphClientFor, tokenFor, withEmulator } from '../helpers/emulator.js';
import { testPki } from '../helpers/pki.js';

describe('emulator state', () => {
  it('continues after a restart on the same file, and loses none of many concurrent writes', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'nested', 'emulator-state.json');
      const first = await startEmulator({ statePath, pki: testPki });
      const t = first.tenants[0]!;
      const g = graphClientFor(first, t);
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => g.api('/applications').post({ displayName: `concurrent-${i}` })));
      await first.stop();
      assert.equal((await stat(statePath)).mode & 0o777, 0o600);
      assert.equal(first.caFile, join(dir, 'nested', 'emulator-state-ca.pem'));

      const second = await startEmulator({ statePath });
      try {
        assert.equal(second.caPem, first.caPem, 'the CA is kept, so clients keep trusting it');
        assert.deepEqual(second.tenants, first.tenants);
        const g2 = graphClientFor(second, second.tenants[0]!);
        const list = await g2.api('/applications').filter(`startsWith(displayName,'concurrent-')`).get();
        assert.deepEqual(
          list.value.map((a: { id: string }) => a.id).sort(),
          created.map((a) => a.id).sort(),
        );
      } finally {
        await second.stop();
      }
    });
  });

  it('refuses a corrupt state file with an error naming it', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'state.json');
      await writeFile(statePath, '{"format": "entra-portal-emulator-state", truncated');
      await assert.rejects(startEmulator({ statePath }), (e: Error) => e instanceof InputError && e.message.includes(statePath));
      await writeFile(statePath, '{"hello": 1}');
      await assert.rejects(startEmulator({ statePath }), (e: Error) => e instanceof InputError && e.message.includes(statePath));
      assert.equal(await readFile(statePath, 'utf8'), '{"hello": 1}', 'never silently reset');
    });
  });

  it('lets one emulator at a time hold a state file', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'state.json');
      const a = await startEmulator({ statePath, pki: testPki });
      try {
        await assert.rejects(startEmulator({ statePath }), LockedError);
      } finally {
        await a.stop();
      }
      const b = await startEmulator({ statePath });
      await b.stop();
    });
  });

  it('creates tenants on demand with their own operator', async () => {
    await withEmulator(
      async (h) => {
        assert.deepEqual(h.tenants.map((t) => t.domain).sort(), ['contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com', 'tailspin.onmicrosoft.com']);
        const again = await h.ensureTenant('TAILSPIN.onmicrosoft.com');
        assert.equal(again.id, h.tenants.find((t) => t.domain === 'tailspin.onmicrosoft.com')!.id);
        const byId = await h.ensureTenant('11111111-2222-4333-8444-555555555555');
        assert.equal(byId.id, '11111111-2222-4333-8444-555555555555');
        const r = await graphClientFor(h, byId).api('/applications').post({ displayName: 'in a new tenant' });
        assert.ok(r.id);
        assert.equal(h.tenants.length, 4);
      },
      { tenants: ['tailspin.onmicrosoft.com'] },
    );
  });
});

describe('VB365 REST stand-in', () => {
  it('serves GET /v8/RestorePortalSettings over HTTPS with a certificate from the emulator CA', async () => {
    const settings = {
      applicationId: '4c0c5b0e-0000-4000-8000-000000000001',
      msalAuthorityUri: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      restorePortalUri: 'https://127.0.0.1:4443',
      isEnabled: true,
    };
    await withEmulator(
      async (h) => {
        assert.match(h.restoreApiUrl!, /^https:\/\/127\.0\.0\.1:\d+$/);
        const res = await fetch(`${h.restoreApiUrl}/v8/RestorePortalSettings`, { dispatcher: dispatcherFor(h) } as RequestInit);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), settings);
        const missing = await fetch(`${h.restoreApiUrl}/v8/Nothing`, { dispatcher: dispatcherFor(h) } as RequestInit);
        assert.equal(missing.status, 404);
        // the Graph side is unaffected
        assert.equal((await emulatorFetch(h, '/v1.0/applications', { token: await tokenFor(h, h.tenants[0]!) })).status, 200);
      },
      { restoreApi: { port: 0, settings: () => settings } },
    );
  });
});
