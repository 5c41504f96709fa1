/**
 * Replication lag (the `lag` fault) on reads, writes and references, driven by an injected clock
 * (no sleeping). Entra is eventually consistent and documents no bound:
 * - reads of a new object 404 for a while (https://github.com/Azure/azure-cli/issues/1332);
 * - so do writes to it: a PATCH or addPassword right after the POST
 *   (https://github.com/byte5ai/omadia/issues/916);
 * - a service principal for a new application is refused with NoBackingApplicationObject
 *   (https://github.com/hashicorp/vault-plugin-secrets-azure/issues/8);
 * - oauth2PermissionGrants recently created, updated or deleted replicate late
 *   (https://learn.microsoft.com/graph/api/oauth2permissiongrant-list).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type EmulatorClock } from '../../src/emulator/index.js';
import { graphClientFor, rejectsWith, withEmulator } from '../helpers/emulator.js';
import { testPki as pki } from '../helpers/pki.js';

const LAG = 3000;
const GRAPH = '00000003-0000-0000-c000-000000000000';

function manualClock(): EmulatorClock & { advance(ms: number): void } {
  let now = Date.now();
  return { now: () => now, advance: (ms) => (now += ms) };
}

describe('emulator replication lag', () => {
  it('a new application: reads, writes and references are refused for the lag, then succeed', async () => {
    const clock = manualClock();
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        const app = await g.api(`/applications(uniqueName='lagged')`).header('Prefer', 'create-if-missing').patch({ displayName: 'lagged' });
        await rejectsWith(g.api(`/applications/${app.id}`).patch({ notes: 'x' }), 404, 'Request_ResourceNotFound');
        await rejectsWith(g.api(`/applications(appId='${app.appId}')/addPassword`).post({}), 404);
        await rejectsWith(g.api(`/applications(uniqueName='lagged')`).patch({ displayName: 'lagged' }), 404, 'Request_ResourceNotFound');
        await rejectsWith(g.api('/servicePrincipals').post({ appId: app.appId }), 400, 'Request_BadRequest', /does not reference a valid application object/);
        // the upsert meets it on the primary, where its unique key is enforced: an update, never a second application
        const again = await g.api(`/applications(uniqueName='lagged')`).header('Prefer', 'create-if-missing').patch({ displayName: 'lagged' });
        assert.equal(again, undefined, '204: updated');
        clock.advance(LAG);
        await g.api(`/applications/${app.id}`).patch({ notes: 'x' });
        const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
        await rejectsWith(g.api(`/servicePrincipals/${sp.id}`).patch({ tags: ['a'] }), 404);
        const graph = (await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()).value[0];
        await rejectsWith(g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' }), 404);
        const role = graph.appRoles[0];
        await rejectsWith(g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graph.id, appRoleId: role.id }), 404);
        clock.advance(LAG);
        await g.api(`/servicePrincipals/${sp.id}`).patch({ tags: ['a'] });
        const apps = await g.api('/applications').filter(`displayName eq 'lagged'`).get();
        assert.equal(apps.value.length, 1, 'exactly one application');
      },
      { faults: `lag=${LAG}`, clock, pki },
    );
  });

  it('grants: a new one is missing from reads, a changed one reads as before, a deleted one is still listed', async () => {
    const clock = manualClock();
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        const app = await g.api('/applications').post({ displayName: 'grants lag' });
        clock.advance(LAG);
        const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
        const graph = (await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()).value[0];
        clock.advance(LAG);
        const list = async () => (await g.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}'`).get()).value as { id: string; scope: string }[];
        const grant = await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' });
        assert.deepEqual(await list(), []);
        await rejectsWith(g.api(`/oauth2PermissionGrants/${grant.id}`).get(), 404);
        // the primary knows it: a second create conflicts
        await rejectsWith(g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' }), 409);
        clock.advance(LAG);
        assert.equal((await list())[0]?.scope, 'User.Read');

        await g.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: 'User.Read openid' });
        assert.equal((await list())[0]?.scope, 'User.Read', 'the former version for the lag');
        assert.equal((await g.api(`/servicePrincipals/${sp.id}/oauth2PermissionGrants`).get()).value[0].scope, 'User.Read');
        clock.advance(LAG);
        assert.equal((await list())[0]?.scope, 'User.Read openid');

        await g.api(`/oauth2PermissionGrants/${grant.id}`).delete();
        assert.equal((await list()).length, 1, 'still listed for the lag');
        clock.advance(LAG);
        assert.deepEqual(await list(), []);
      },
      { faults: `lag=${LAG},grant-lag=${LAG}`, clock, pki },
    );
  });
});
