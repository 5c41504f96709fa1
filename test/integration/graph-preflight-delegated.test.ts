/**
 * The delegated preflight against real consent: a device-code sign-in through @azure/identity to the
 * emulator, whose tokens carry the scopes the client was consented for and `wids` only for role
 * holders. A Global Administrator passes; a user without a role is refused before any write (exit 77)
 * although the Azure CLI's token carries Directory.AccessAsUser.All — which is only what the user may do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceCodeCredential } from '@azure/identity';
import { PermissionError } from '../../src/errors.js';
import { checkOperatorRights } from '../../src/graph/preflight.js';
import type { GraphSession } from '../../src/graph/session.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { testPki } from '../helpers/pki.js';
import { credentialOptions, dispatcherFor, withEmulator } from '../helpers/emulator.js';
import { recordingLogger } from '../helpers/graph-fakes.js';

function deviceCodeSession(h: EmulatorHandle, upn: string): GraphSession {
  const t = h.tenants[0]!;
  const credential = new DeviceCodeCredential({
    tenantId: t.id,
    // @azure/identity's default public client (the Azure CLI's): Microsoft's, known in every tenant
    clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    userPromptCallback: (info) => {
      if (info.userCode) void fetch(`${info.verificationUri}?code=${info.userCode}&user=${encodeURIComponent(upn)}`, { dispatcher: dispatcherFor(h) } as RequestInit);
    },
    ...credentialOptions(h),
  });
  // the preflight reads the session's credential and scope only
  return { credential, tenant: t.id, endpoints: { scope: `${h.url}/.default` } } as unknown as GraphSession;
}

test('delegated preflight: the Global Administrator may apply; a user without a role is refused (77) before any write', async () => {
  await withEmulator(
    async (h) => {
      const t = h.tenants[0]!;
      const ctx = { log: recordingLogger() };
      const admin = await checkOperatorRights(deviceCodeSession(h, `admin@${t.domain}`), ctx);
      assert.equal(admin.kind, 'user');
      assert.deepEqual(admin.missing, []);
      await assert.rejects(checkOperatorRights(deviceCodeSession(h, `user@${t.domain}`), ctx), (e: unknown) => {
        assert.ok(e instanceof PermissionError);
        assert.equal(e.exitCode, 77);
        assert.match(e.message, new RegExp(`user user@${t.domain.replace(/\./g, '\\.')} .* lacks a directory role that can grant admin consent`));
        return true;
      });
      // a read-only drift check needs no role
      const reader = await checkOperatorRights(deviceCodeSession(h, `user@${t.domain}`), ctx, { need: 'read' });
      assert.deepEqual(reader.missing, []);
      assert.equal(h.requests.filter((r) => r.write).length, 0, 'nothing was written');
    },
    { pki: testPki, deviceLogin: 'manual' },
  );
});
