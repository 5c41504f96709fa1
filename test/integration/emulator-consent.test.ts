/**
 * Delegated tokens follow consent (docs/emulator.md "Delegated tokens"):
 * - an unknown client is AADSTS700016
 *   (https://learn.microsoft.com/entra/identity-platform/reference-error-codes: "Application with
 *   identifier … was not found in the directory");
 * - `scp` holds what the client was consented for in the tenant; a scope never consented is AADSTS65001
 *   ("The user or administrator has not consented to use the application");
 * - `wids` only for a user who holds a directory role
 *   (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference);
 * - a user without roles reads and registers applications and manages the ones they own, nothing more
 *   (https://learn.microsoft.com/entra/fundamentals/users-default-permissions).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceCodeCredential } from '@azure/identity';
import { type EmulatorHandle, type EmulatorTenant } from '../../src/emulator/index.js';
import { credentialOptions, dispatcherFor, emulatorFetch, graphClientFor, rejectsWith, withEmulator } from '../helpers/emulator.js';
import { testPki as pki } from '../helpers/pki.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const GRAPH = '00000003-0000-0000-c000-000000000000';

/** A device-code credential whose user signs in at the emulator's /devicelogin as `upn`. */
function signInAs(h: EmulatorHandle, t: EmulatorTenant, upn: string, clientId = AZURE_CLI): DeviceCodeCredential {
  return new DeviceCodeCredential({
    tenantId: t.id,
    clientId,
    userPromptCallback: (info) => {
      if (!info.userCode) return; // the client was refused (msal-node calls back anyway)
      void fetch(`${info.verificationUri}?code=${info.userCode}&user=${encodeURIComponent(upn)}`, { dispatcher: dispatcherFor(h) } as RequestInit);
    },
    ...credentialOptions(h),
  });
}

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('emulator delegated tokens and consent', () => {
  it('an unknown client is AADSTS700016; a scope never consented is AADSTS65001', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const stranger = 'a5b6c7d8-0000-4000-8000-000000000001';
        await assert.rejects(signInAs(h, t, `admin@${t.domain}`, stranger).getToken(`${h.url}/.default`), /unauthorized_client/);
        await assert.rejects(signInAs(h, t, `admin@${t.domain}`).getToken(`${h.url}/Mail.Read`), /invalid_grant/);
        // the codes on the wire
        const form = (o: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(o).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
        const refused = await emulatorFetch(h, `/${t.id}/oauth2/v2.0/devicecode`, form({ client_id: stranger, scope: `${h.url}/.default` }));
        assert.deepEqual([refused.status, refused.body.error_codes], [400, [700016]]);
        assert.match(refused.body.error_description, /^AADSTS700016: Application with identifier 'a5b6c7d8-0000-4000-8000-000000000001' was not found in the directory/);
        const code = await emulatorFetch(h, `/${t.id}/oauth2/v2.0/devicecode`, form({ client_id: AZURE_CLI, scope: `${h.url}/Mail.Read` }));
        await emulatorFetch(h, `/devicelogin?code=${code.body.user_code}&user=admin@${t.domain}`);
        const token = await emulatorFetch(h, `/${t.id}/oauth2/v2.0/token`, form({ client_id: AZURE_CLI, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: code.body.device_code }));
        assert.deepEqual([token.status, token.body.error_codes], [400, [65001]]);
      },
      { pki, deviceLogin: 'manual' },
    );
  });

  it('scp is what the client was consented for; wids only for the Global Administrator', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const admin = claims((await signInAs(h, t, `admin@${t.domain}`).getToken(`${h.url}/.default`)).token);
        assert.match(String(admin.scp), /\bDirectory\.AccessAsUser\.All\b/);
        assert.deepEqual(admin.wids, ['62e90394-69f5-4237-9190-012177145e10']);
        assert.equal(admin.upn, `admin@${t.domain}`);
        const user = claims((await signInAs(h, t, `user@${t.domain}`).getToken(`${h.url}/.default`)).token);
        assert.equal(user.upn, `user@${t.domain}`);
        assert.equal(user.wids, undefined, 'no role, no wids');
        assert.equal(user.scp, admin.scp, 'the same client, the same consent');

        // an application of the tenant, consented tenant-wide for User.Read and for one user for Mail.Read
        const g = graphClientFor(h, t);
        const app = await g.api('/applications').post({ displayName: 'public client', isFallbackPublicClient: true });
        const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
        const graph = (await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()).value[0];
        await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' });
        const userId = String(user.oid);
        await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'Principal', principalId: userId, resourceId: graph.id, scope: 'Mail.Read' });
        const forUser = claims((await signInAs(h, t, `user@${t.domain}`, app.appId).getToken(`${h.url}/.default`)).token);
        assert.deepEqual(String(forUser.scp).split(' ').sort(), ['Mail.Read', 'User.Read']);
        const forAdmin = claims((await signInAs(h, t, `admin@${t.domain}`, app.appId).getToken(`${h.url}/.default`)).token);
        assert.equal(forAdmin.scp, 'User.Read');
      },
      { pki, deviceLogin: 'manual' },
    );
  });

  it('a user without roles reads, registers and manages their own applications, and nothing more', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const operator = graphClientFor(h, t);
        const theirs = await operator.api('/applications').post({ displayName: 'not the user’s' });
        const u = graphClientFor(h, t, signInAs(h, t, `user@${t.domain}`));
        assert.ok((await u.api('/applications').get()).value.length > 0, 'reads');
        const mine = await u.api('/applications').post({ displayName: 'the user’s' });
        await u.api(`/applications/${mine.id}`).patch({ notes: 'mine' });
        await rejectsWith(u.api(`/applications/${theirs.id}`).patch({ notes: 'not mine' }), 403, 'Authorization_RequestDenied');
        const sp = await operator.api('/servicePrincipals').post({ appId: mine.appId });
        const graph = (await operator.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()).value[0];
        await rejectsWith(u.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' }), 403);
        const a = graphClientFor(h, t, signInAs(h, t, `admin@${t.domain}`));
        const grant = await a.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' });
        assert.ok(grant.id, 'the Global Administrator grants consent');
      },
      { pki, deviceLogin: 'manual' },
    );
  });
});
