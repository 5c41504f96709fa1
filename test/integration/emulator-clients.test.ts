/**
 * What other clients (the Azure CLI) need beyond this tool's own calls, without `az` itself
 * (azure-cli.test.ts runs the CLI where it is installed): the ADFS-style authority `/adfs`, the
 * resource manager's subscription and tenant lists, `/me`, `/organization`, application owners
 * (https://learn.microsoft.com/graph/api/application-post-owners) and `$expand=owners`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSecretCredential, DeviceCodeCredential } from '@azure/identity';
import { credentialOptions, emulatorFetch, graphClientFor, rejectsWith, tokenFor, withEmulator } from '../helpers/emulator.js';
import { testPki } from '../helpers/pki.js';

describe('emulator for other clients', () => {
  it('an ADFS-style authority /adfs is the first tenant; the resource manager lists no subscriptions', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const meta = await emulatorFetch(h, '/adfs/.well-known/openid-configuration');
        assert.equal(meta.status, 200);
        assert.match(meta.body.token_endpoint, new RegExp(`/${t.id}/oauth2/v2.0/token$`));
        const adfs = new ClientSecretCredential('adfs', t.operator.clientId, t.operator.clientSecret, credentialOptions(h));
        const token = (await adfs.getToken(`${h.url}/.default`)).token;
        assert.equal(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).tid, t.id);
        const subs = await emulatorFetch(h, '/subscriptions?api-version=2022-12-01', { token });
        assert.deepEqual([subs.status, subs.body.value], [200, []]);
        const tenants = await emulatorFetch(h, '/tenants?api-version=2022-12-01', { token });
        assert.equal(tenants.body.value[0].tenantId, t.id);
        assert.equal((await emulatorFetch(h, '/subscriptions')).status, 401);
      },
      { pki: testPki },
    );
  });

  it('/me for a user (an application gets 400), /organization, owners and $expand=owners', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const g = graphClientFor(h, t);
        await rejectsWith(g.api('/me').get(), 400, 'Request_BadRequest', /only valid with delegated authentication flow/);
        const org = await g.api('/organization').get();
        assert.equal(org.value[0].id, t.id);
        assert.equal(org.value[0].verifiedDomains[0].name, t.domain);

        const user = graphClientFor(h, t, new DeviceCodeCredential({ tenantId: t.id, userPromptCallback: () => undefined, ...credentialOptions(h) }));
        const me = await user.api('/me').get();
        assert.equal(me.userPrincipalName, `admin@${t.domain}`);
        const made = await user.api('/applications').post({ displayName: 'owned by the admin' });
        const owners = await g.api(`/applications/${made.id}/owners`).get();
        assert.deepEqual(owners.value.map((o: { '@odata.type': string; id: string }) => [o['@odata.type'], o.id]), [['#microsoft.graph.user', me.id]]);

        const sp = (await g.api('/servicePrincipals').filter(`appId eq '${t.operator.clientId}'`).get()).value[0];
        await g.api(`/applications/${made.id}/owners/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${sp.id}` });
        await rejectsWith(g.api(`/applications/${made.id}/owners/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${sp.id}` }), 400);
        const expanded = await g.api(`/applications/${made.id}`).expand('owners').get();
        assert.deepEqual(expanded.owners.map((o: { id: string }) => o.id).sort(), [me.id, sp.id].sort());
        const listed = await g.api('/applications').filter(`id eq '${made.id}'`).expand('owners').get();
        assert.equal(listed.value[0].owners.length, 2);
        await g.api(`/applications/${made.id}/owners/${me.id}/$ref`).delete();
        assert.deepEqual((await g.api(`/applications/${made.id}/owners`).get()).value.map((o: { id: string }) => o.id), [sp.id]);
        const r = await emulatorFetch(h, `/v1.0/applications?$expand=keyCredentials`, { token: await tokenFor(h, t) });
        assert.equal(r.status, 400);
      },
      { pki: testPki },
    );
  });
});
