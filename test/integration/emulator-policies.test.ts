/**
 * App management policies, set as an administrator sets them (PATCH /policies/defaultAppManagementPolicy
 * with Policy.ReadWrite.ApplicationConfiguration; https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-update),
 * enforced on the credentials an application gets, with Entra's error body
 * (https://github.com/OfficeDev/microsoft-365-agents-toolkit/issues/10998). CISA's SCuBA baseline asks
 * for certificates of at most 365 days (MS.AAD.5.7, https://github.com/cisagov/ScubaGear/issues/1963).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emulatorFetch, graphClientFor, makeTestCertificate, rejectsWith, tokenFor, withEmulator } from '../helpers/emulator.js';
import { testPki as pki } from '../helpers/pki.js';

const DAY = 86_400_000;
const certFor = (days: number) => makeTestCertificate({ notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + days * DAY) });
const keyOf = (c: { derBase64: string }) => ({ type: 'AsymmetricX509Cert', usage: 'Verify', key: c.derBase64 });

describe('emulator app management policies', () => {
  it('reads and sets the tenant default with the policy permissions', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const g = graphClientFor(h, t);
        const p = await g.api('/policies/defaultAppManagementPolicy').get();
        assert.equal(p.id, '00000000-0000-0000-0000-000000000000');
        assert.equal(p.isEnabled, false);
        assert.deepEqual(p.applicationRestrictions, { passwordCredentials: [], keyCredentials: [] });
        await rejectsWith(graphClientFor(h, t, 'unprivileged').api('/policies/defaultAppManagementPolicy').get(), 403, 'Authorization_RequestDenied');
        await rejectsWith(g.api('/policies/defaultAppManagementPolicy').patch({ applicationRestrictions: { keyCredentials: [{ restrictionType: 'asymmetricKeyLifetime', maxLifetime: 'a year' }] } }), 400);
        await g.api('/policies/defaultAppManagementPolicy').patch({
          isEnabled: true,
          applicationRestrictions: { keyCredentials: [{ restrictionType: 'asymmetricKeyLifetime', maxLifetime: 'P365D', restrictForAppsCreatedAfterDateTime: null }] },
        });
        const after = await g.api('/policies/defaultAppManagementPolicy').get();
        assert.equal(after.isEnabled, true);
        assert.equal(after.applicationRestrictions.keyCredentials[0].maxLifetime, 'P365D');
      },
      { pki },
    );
  });

  it('refuses a certificate longer than the policy allows, with Entra’s body; per-app policies override', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const g = graphClientFor(h, t);
        await g.api('/policies/defaultAppManagementPolicy').patch({
          isEnabled: true,
          applicationRestrictions: { keyCredentials: [{ restrictionType: 'asymmetricKeyLifetime', maxLifetime: 'P365D', restrictForAppsCreatedAfterDateTime: '2019-01-01T00:00:00Z' }] },
        });
        const app = await g.api('/applications').post({ displayName: 'restricted' });
        const long = await certFor(730);
        const r = await emulatorFetch(h, `/v1.0/applications/${app.id}`, { token: await tokenFor(h, t), method: 'PATCH', body: { keyCredentials: [keyOf(long)] } });
        assert.equal(r.status, 400);
        const message = "Credential lifetime exceeds the max value allowed as per assigned policy '00000000-0000-0000-0000-000000000000'.";
        assert.deepEqual(
          { code: r.body.error.code, message: r.body.error.message, details: r.body.error.details },
          { code: 'CredentialInvalidLifetimeAsPerAppPolicy', message, details: [{ code: 'InvalidKeyEndDate', message, target: 'EndDate' }] },
        );
        await g.api(`/applications/${app.id}`).patch({ keyCredentials: [keyOf(await certFor(300))] });
        // a shorter end date on the long certificate is within the policy
        await g.api(`/applications/${app.id}`).patch({ keyCredentials: [{ ...keyOf(long), endDateTime: new Date(Date.now() + 200 * DAY).toISOString() }] });

        // a per-app policy replaces the tenant default for its application
        const strict = await g.api('/policies/appManagementPolicies').post({
          displayName: '30 days',
          isEnabled: true,
          restrictions: { keyCredentials: [{ restrictionType: 'asymmetricKeyLifetime', maxLifetime: 'P30D' }], passwordCredentials: [{ restrictionType: 'passwordAddition', maxLifetime: null }] },
        });
        await g.api(`/applications/${app.id}/appManagementPolicies/$ref`).post({ '@odata.id': `${h.url}/v1.0/policies/appManagementPolicies/${strict.id}` });
        assert.deepEqual((await g.api(`/applications/${app.id}/appManagementPolicies`).get()).value.map((p: { id: string }) => p.id), [strict.id]);
        await rejectsWith(g.api(`/applications/${app.id}`).patch({ keyCredentials: [keyOf(await certFor(300))] }), 400, 'CredentialInvalidLifetimeAsPerAppPolicy', new RegExp(strict.id));
        await rejectsWith(g.api(`/applications/${app.id}/addPassword`).post({}), 400, 'CredentialTypeNotAllowedAsPerAppPolicy');
        await g.api(`/applications/${app.id}/appManagementPolicies/${strict.id}/$ref`).delete();
        await g.api(`/applications/${app.id}/addPassword`).post({});
      },
      { pki },
    );
  });

  it('a restriction for applications created after a date leaves older ones alone', async () => {
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        const app = await g.api('/applications').post({ displayName: 'older' });
        await g.api('/policies/defaultAppManagementPolicy').patch({
          isEnabled: true,
          applicationRestrictions: { passwordCredentials: [{ restrictionType: 'passwordLifetime', maxLifetime: 'P90D', restrictForAppsCreatedAfterDateTime: new Date(Date.now() + DAY).toISOString() }] },
        });
        await g.api(`/applications/${app.id}/addPassword`).post({});
      },
      { pki },
    );
  });
});
