/**
 * Soft delete as Entra does it (sources in docs/emulator.md "Soft delete"):
 * - a deleted application goes to deleted items for 30 days, keeps id and appId, and keeps its
 *   uniqueName and identifierUris reserved (https://learn.microsoft.com/graph/api/application-delete;
 *   uniqueName: https://github.com/microsoftgraph/msgraph-bicep-types/issues/137);
 * - its home-tenant service principal is deleted with it and NOT restored with it
 *   (https://learn.microsoft.com/graph/api/directory-deleteditems-restore); restored on its own it
 *   comes back with its configuration (grants, app role assignments);
 * - a purged application frees its names; its service principal cannot be restored without it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startEmulator, type EmulatorClock } from '../../src/emulator/index.js';
import { withTempDir } from '../helpers/cli.js';
import { graphClientFor, rejectsWith, withEmulator } from '../helpers/emulator.js';
import { testPki as pki } from '../helpers/pki.js';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const DAY = 86_400_000;

describe('emulator soft delete', () => {
  it('a deleted application is in deleted items, its names reserved; restore keeps id and appId', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const g = graphClientFor(h, t);
        const app = await g
          .api(`/applications(uniqueName='portal-sd')`)
          .header('Prefer', 'create-if-missing')
          .patch({ displayName: 'Portal', identifierUris: [`api://portal-sd.${t.domain}`] });
        const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
        const graphSp = (await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()).value[0];
        const grant = await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' });

        await g.api(`/applications/${app.id}`).delete();
        await rejectsWith(g.api(`/applications/${app.id}`).get(), 404, 'Request_ResourceNotFound');
        await rejectsWith(g.api(`/applications(uniqueName='portal-sd')`).patch({ displayName: 'Portal' }), 404);
        // the upsert of a reserved uniqueName: 400, as for any taken one
        await rejectsWith(
          g.api(`/applications(uniqueName='portal-sd')`).header('Prefer', 'create-if-missing').patch({ displayName: 'Portal again' }),
          400,
          'Request_BadRequest',
          /Another object with the same value for property uniqueName already exists\./,
        );
        await rejectsWith(g.api('/applications').post({ displayName: 'x', identifierUris: [`api://portal-sd.${t.domain}`] }), 400, 'Request_BadRequest', /identifierUris/);

        const byAppId = await g.api('/directory/deletedItems/microsoft.graph.application').filter(`appId eq '${app.appId}'`).get();
        assert.equal(byAppId.value.length, 1);
        assert.match(byAppId['@odata.context'], /\$metadata#directory\/deletedItems\/microsoft\.graph\.application$/);
        assert.match(byAppId.value[0].deletedDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        const byName = await g.api('/directory/deletedItems/microsoft.graph.application').filter(`uniqueName eq 'portal-sd'`).get();
        assert.equal(byName.value[0].id, app.id);
        const one = await g.api(`/directory/deletedItems/${app.id}`).get();
        assert.equal(one['@odata.type'], '#microsoft.graph.application');
        // the service principal went with it (and its grant is not listed)
        await rejectsWith(g.api(`/servicePrincipals/${sp.id}`).get(), 404);
        const deletedSps = await g.api('/directory/deletedItems/microsoft.graph.servicePrincipal').filter(`appId eq '${app.appId}'`).get();
        assert.equal(deletedSps.value[0].id, sp.id);
        const grants = await g.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}'`).get();
        assert.equal(grants.value.length, 0);
        await rejectsWith(g.api('/directory/deletedItems').get(), 400);

        const restored = await g.api(`/directory/deletedItems/${app.id}/restore`).post({});
        assert.equal(restored.id, app.id);
        assert.equal(restored.appId, app.appId);
        assert.equal(restored.deletedDateTime, null);
        assert.equal((await g.api(`/applications(uniqueName='portal-sd')`).get()).id, app.id);
        // restoring the application did not restore its service principal
        await rejectsWith(g.api(`/servicePrincipals(appId='${app.appId}')`).get(), 404);
        const spBack = await g.api(`/directory/deletedItems/${sp.id}/restore`).post({});
        assert.equal(spBack.id, sp.id);
        const back = await g.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}'`).get();
        assert.deepEqual(back.value.map((x: { id: string }) => x.id), [grant.id], 'its grant came back with it');
      },
      { pki },
    );
  });

  it('purge frees the names; a service principal cannot be restored without its application; 30 days, then gone', async () => {
    let now = Date.now();
    const clock: EmulatorClock = { now: () => now };
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        const upsert = (name: string) => g.api(`/applications(uniqueName='${name}')`).header('Prefer', 'create-if-missing').patch({ displayName: name });
        const a = await upsert('purged');
        const sp = await g.api('/servicePrincipals').post({ appId: a.appId });
        await g.api(`/applications/${a.id}`).delete();
        await g.api(`/directory/deletedItems/${a.id}`).delete();
        await rejectsWith(g.api(`/directory/deletedItems/${a.id}`).get(), 404);
        const again = await upsert('purged');
        assert.notEqual(again.appId, a.appId, 'a new application');
        await rejectsWith(g.api(`/directory/deletedItems/${sp.id}/restore`).post({}), 400, 'Request_BadRequest');

        const b = await upsert('expiring');
        await g.api(`/applications/${b.id}`).delete();
        now += 30 * DAY - 1000;
        assert.equal((await g.api(`/directory/deletedItems/${b.id}`).get()).id, b.id, 'still restorable on day 30');
        now += 1000;
        await rejectsWith(g.api(`/directory/deletedItems/${b.id}`).get(), 404);
        assert.notEqual((await upsert('expiring')).id, b.id, 'the name is free once it was purged');
      },
      { pki, clock },
    );
  });

  it('deleted items need the application permissions, and survive a restart', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'state.json');
      const h = await startEmulator({ statePath, pki });
      let id: string;
      try {
        const g = graphClientFor(h, h.tenants[0]!);
        id = (await g.api('/applications').post({ displayName: 'kept deleted' })).id;
        await g.api(`/applications/${id}`).delete();
        const weak = graphClientFor(h, h.tenants[0]!, 'unprivileged');
        await rejectsWith(weak.api('/directory/deletedItems/microsoft.graph.application').get(), 403, 'Authorization_RequestDenied');
        await rejectsWith(weak.api(`/directory/deletedItems/${id}/restore`).post({}), 403);
      } finally {
        await h.stop();
      }
      const again = await startEmulator({ statePath });
      try {
        const g = graphClientFor(again, again.tenants[0]!);
        assert.equal((await g.api(`/directory/deletedItems/${id}`).get()).displayName, 'kept deleted');
      } finally {
        await again.stop();
      }
    });
  });
});
