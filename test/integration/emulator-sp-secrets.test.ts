/**
 * A client secret or a certificate on the service principal signs in as the application in that
 * tenant, like one on the application (https://learn.microsoft.com/graph/api/serviceprincipal-addpassword,
 * https://learn.microsoft.com/graph/api/serviceprincipal-update): the emulator models both so the
 * drift check's judgement of them is tested against something real. Also here: the rule for the
 * application's pre-authorized clients (their scope ids must exist before the PATCH).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSecretCredential } from '@azure/identity';
import { generateSelfSigned } from '../../src/certs/index.js';
import { certificateCredentialFor, credentialOptions, emulatorFetch, tokenFor, withEmulator, type EmulatorHandle } from '../helpers/emulator.js';

/** A new application and its service principal in the first tenant, made as its operator. */
async function appWithServicePrincipal(emu: EmulatorHandle, displayName: string) {
  const tenant = emu.tenants[0]!;
  const token = await tokenFor(emu, tenant);
  const app = (await emulatorFetch(emu, '/v1.0/applications', { token, method: 'POST', body: { displayName } })).body as { appId: string };
  const sp = (await emulatorFetch(emu, '/v1.0/servicePrincipals', { token, method: 'POST', body: { appId: app.appId } })).body as { id: string };
  return { tenant, token, app, sp };
}

test('addPassword on a service principal: the secret signs in as the application; removePassword takes it away', async () => {
  await withEmulator(async (emu) => {
    const { tenant, token, app, sp } = await appWithServicePrincipal(emu, 'sp secret target');
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

test('a certificate PATCHed onto a service principal signs in as the application; its key is read only with $select; emptying the list takes it away', async () => {
  await withEmulator(async (emu) => {
    const { tenant, token, app, sp } = await appWithServicePrincipal(emu, 'sp key target');
    const { info, keyPem } = await generateSelfSigned({ subject: 'CN=sp key', validityDays: 30 });
    const patched = await emulatorFetch(emu, `/v1.0/servicePrincipals/${sp.id}`, {
      token,
      method: 'PATCH',
      body: { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: info.derBase64, displayName: 'CN=sp key' }] },
    });
    assert.equal(patched.status, 204, patched.text);
    const plain = await emulatorFetch(emu, `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`, { token });
    const listed = (plain.body.value as { keyCredentials: { displayName: string; key: unknown }[] }[])[0]!.keyCredentials;
    assert.deepEqual(listed.map((k) => [k.displayName, k.key]), [['CN=sp key', null]], 'without $select: the certificate is listed, its key is not');
    const selected = await emulatorFetch(emu, `/v1.0/servicePrincipals/${sp.id}?$select=id,keyCredentials`, { token });
    assert.equal((selected.body.keyCredentials as { key: string }[])[0]!.key, info.derBase64);

    const signIn = () => certificateCredentialFor(emu, tenant.id, app.appId, `${keyPem}${info.certPem}`).getToken(`${emu.url}/.default`);
    assert.ok((await signIn()).token, 'the service principal’s certificate signs in as the application');

    const emptied = await emulatorFetch(emu, `/v1.0/servicePrincipals/${sp.id}`, { token, method: 'PATCH', body: { keyCredentials: [] } });
    assert.equal(emptied.status, 204, emptied.text);
    await assert.rejects(signIn(), /AADSTS700027/);
  });
});

test('api.preAuthorizedApplications: scope ids must name scopes the application already has (not ones added in the same PATCH)', async () => {
  await withEmulator(async (emu) => {
    const tenant = emu.tenants[0]!;
    const token = await tokenFor(emu, tenant);
    const app = (await emulatorFetch(emu, '/v1.0/applications', { token, method: 'POST', body: { displayName: 'pre-authorizing app' } })).body as { id: string };
    const scope = { id: '6a1d5c3e-2b4f-4e8a-9c7d-0f1e2d3c4b5a', value: 'access_as_user', type: 'Admin', isEnabled: true, adminConsentDisplayName: 'x', adminConsentDescription: 'y' };
    const client = { appId: '9e1f0b7a-1b2c-4d3e-8f40-5a6b7c8d9e0f', delegatedPermissionIds: [scope.id] };
    const together = await emulatorFetch(emu, `/v1.0/applications/${app.id}`, { token, method: 'PATCH', body: { api: { oauth2PermissionScopes: [scope], preAuthorizedApplications: [client] } } });
    assert.equal(together.status, 400, together.text);
    assert.match(together.text, /delegatedPermissionIds has a Permission Id that cannot be found/);
    const first = await emulatorFetch(emu, `/v1.0/applications/${app.id}`, { token, method: 'PATCH', body: { api: { oauth2PermissionScopes: [scope] } } });
    assert.equal(first.status, 204, first.text);
    const then = await emulatorFetch(emu, `/v1.0/applications/${app.id}`, { token, method: 'PATCH', body: { api: { preAuthorizedApplications: [client] } } });
    assert.equal(then.status, 204, then.text);
    const read = await emulatorFetch(emu, `/v1.0/applications/${app.id}?$select=api`, { token });
    const api = read.body.api as { preAuthorizedApplications: unknown[]; oauth2PermissionScopes: unknown[] };
    assert.deepEqual(api.preAuthorizedApplications, [client]);
    assert.equal(api.oauth2PermissionScopes.length, 1, 'a partial api object leaves the scopes as they were');
  });
});
