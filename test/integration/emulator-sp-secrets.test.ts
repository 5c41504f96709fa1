/**
 * A client secret on the service principal signs in as the application in that tenant, like one on
 * the application (https://learn.microsoft.com/graph/api/serviceprincipal-addpassword): the emulator
 * models it so the drift check's judgement of it is tested against something real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSecretCredential } from '@azure/identity';
import { credentialOptions, emulatorFetch, tokenFor, withEmulator } from '../helpers/emulator.js';

test('addPassword on a service principal: the secret signs in as the application; removePassword takes it away', async () => {
  await withEmulator(async (emu) => {
    const tenant = emu.tenants[0]!;
    const token = await tokenFor(emu, tenant);
    const app = (await emulatorFetch(emu, '/v1.0/applications', { token, method: 'POST', body: { displayName: 'sp secret target' } })).body as { appId: string };
    const sp = (await emulatorFetch(emu, '/v1.0/servicePrincipals', { token, method: 'POST', body: { appId: app.appId } })).body as { id: string };
    const added = await emulatorFetch(emu, `/v1.0/servicePrincipals/${sp.id}/addPassword`, { token, method: 'POST', body: { passwordCredential: { displayName: 'sp secret' } } });
    assert.equal(added.status, 200, added.text);
    const { keyId, secretText, hint } = added.body as { keyId: string; secretText: string; hint: string };
    assert.equal(hint, secretText.slice(0, 3));
    const read = await emulatorFetch(emu, `/v1.0/servicePrincipals/${sp.id}?$select=id,passwordCredentials`, { token });
    assert.deepEqual((read.body.passwordCredentials as { keyId: string; secretText: unknown }[]).map((p) => [p.keyId, p.secretText]), [[keyId, null]], 'the secret itself is never read back');

    const signIn = () => new ClientSecretCredential(tenant.id, app.appId, secretText, credentialOptions(emu)).getToken(`${emu.url}/.default`);
    assert.ok((await signIn()).token, 'the service principal’s secret signs in as the application');

    const removed = await emulatorFetch(emu, `/v1.0/servicePrincipals/${sp.id}/removePassword`, { token, method: 'POST', body: { keyId } });
    assert.equal(removed.status, 204);
    await assert.rejects(signIn(), /AADSTS7000215/);
  });
});
