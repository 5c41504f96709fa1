/**
 * The emulator's token service and Graph token checks, driven by the real @azure/identity and Graph
 * clients over HTTPS (docs/graph.md, "The token endpoint and client assertions"), plus plain fetch
 * for the error paths.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceCodeCredential } from '@azure/identity';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { signJwt } from '../../src/emulator/jwt.js';
import {
  certificateCredentialFor,
  credentialOptions,
  emulatorFetch,
  graphClientFor,
  makeTestCertificate,
  secretCredentialFor,
  tokenFor,
} from '../helpers/emulator.js';
import { testPki } from '../helpers/pki.js';

let h: EmulatorHandle;
let dir: string;
let signing: { kid: string; keyPem: string };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-identity-'));
  h = await startEmulator({ statePath: join(dir, 'state.json'), pki: testPki });
  signing = (JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { signing: typeof signing }).signing;
});
after(async () => {
  await h.stop();
  await rm(dir, { recursive: true, force: true });
});

const contoso = () => h.tenants.find((t) => t.domain === 'contoso.onmicrosoft.com')!;
const fabrikam = () => h.tenants.find((t) => t.domain === 'fabrikam.onmicrosoft.com')!;

describe('emulator identity endpoints', () => {
  it('serves openid-configuration by tenant id and domain, with the issuer on the requested host', async () => {
    const t = contoso();
    for (const seg of [t.id, t.domain]) {
      const r = await emulatorFetch(h, `/${seg}/v2.0/.well-known/openid-configuration`);
      assert.equal(r.status, 200);
      assert.equal(r.body.issuer, `${h.url}/${t.id}/v2.0`);
      assert.equal(r.body.token_endpoint, `${h.url}/${t.id}/oauth2/v2.0/token`);
      assert.ok(r.body.jwks_uri && r.body.authorization_endpoint);
    }
    const missing = await emulatorFetch(h, '/nowhere.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error_codes, [90002]);
  });

  it('serves instance discovery', async () => {
    const r = await emulatorFetch(h, `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${h.url}/${contoso().id}/oauth2/v2.0/authorize`)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.metadata[0].preferred_network, new URL(h.url).host);
  });

  it('issues an RS256 token with aud, tid, appid and the operator roles to ClientSecretCredential', async () => {
    const token = await tokenFor(h, contoso());
    const [header, payload] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    assert.equal(header.alg, 'RS256');
    assert.equal(payload.aud, h.url);
    assert.equal(payload.tid, contoso().id);
    assert.equal(payload.appid, contoso().operator.clientId);
    assert.deepEqual(
      [...payload.roles].sort(),
      [
        'AppRoleAssignment.ReadWrite.All',
        'Application.Read.All',
        'Application.ReadWrite.All',
        'DelegatedPermissionGrant.ReadWrite.All',
        'Policy.Read.All',
        'Policy.ReadWrite.ApplicationConfiguration',
      ],
    );
    assert.ok(payload.exp > Date.now() / 1000);
  });

  it('refuses a wrong client secret with AADSTS7000215 (surfaced by @azure/identity)', async () => {
    const t = contoso();
    const { ClientSecretCredential } = await import('@azure/identity');
    const cred = new ClientSecretCredential(t.id, t.operator.clientId, 'not-the-secret', credentialOptions(h));
    await assert.rejects(cred.getToken(`${h.url}/.default`), /AADSTS7000215/);
    const r = await fetchForm(`/${t.id}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: t.operator.clientId, client_secret: 'x', scope: `${h.url}/.default` });
    assert.equal(r.status, 401);
    assert.equal(r.body.error, 'invalid_client');
    assert.deepEqual(r.body.error_codes, [7000215]);
    assert.ok(r.body.trace_id && r.body.correlation_id && r.body.timestamp);
  });

  it('refuses an unknown client, a bad scope and an unknown resource', async () => {
    const t = contoso();
    const post = (o: Record<string, string>) => fetchForm(`/${t.id}/oauth2/v2.0/token`, o);
    const unknown = await post({ grant_type: 'client_credentials', client_id: randomUUID(), client_secret: 'x', scope: `${h.url}/.default` });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.error_codes, [700016]);
    const scope = await post({ grant_type: 'client_credentials', client_id: t.operator.clientId, client_secret: t.operator.clientSecret, scope: 'User.Read' });
    assert.equal(scope.body.error, 'invalid_scope');
    const resource = await post({ grant_type: 'client_credentials', client_id: t.operator.clientId, client_secret: t.operator.clientSecret, scope: 'https://nothing.example/.default' });
    assert.deepEqual(resource.body.error_codes, [500011]);
    const grant = await post({ grant_type: 'password', client_id: t.operator.clientId });
    assert.equal(grant.body.error, 'unsupported_grant_type');
  });

  it('accepts ClientCertificateCredential (PS256, x5t#S256) once the certificate is a keyCredential, and refuses it before', async () => {
    const t = contoso();
    const g = graphClientFor(h, t);
    const app = await g.api('/applications').post({ displayName: 'cert sign-in' });
    await g.api('/servicePrincipals').post({ appId: app.appId });
    const cert = await makeTestCertificate();
    const cred = certificateCredentialFor(h, t.id, app.appId, cert.keyPem + cert.certPem);
    await assert.rejects(cred.getToken(`${h.url}/.default`), /AADSTS700027/);
    await g.api(`/applications/${app.id}`).patch({ keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64 }] });
    const fresh = certificateCredentialFor(h, t.id, app.appId, cert.keyPem + cert.certPem);
    const token = await fresh.getToken(`${h.url}/.default`);
    const payload = JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString());
    assert.equal(payload.appid, app.appId);
    assert.equal(payload.appidacr, '2');
    assert.equal(payload.roles, undefined, 'a new app holds no roles');
    // it can sign in but holds no role: Graph says 403
    await assert.rejects(graphClientFor(h, t, fresh).api('/applications').get(), (e: { statusCode: number; code: string }) => e.statusCode === 403 && e.code === 'Authorization_RequestDenied');

    // RS256 with x5t (SHA-1), as older MSAL versions send; then the assertion failures
    const endpoint = `${h.url}/${t.id}/oauth2/v2.0/token`;
    const sha1 = createHash('sha1').update(Buffer.from(cert.derBase64, 'base64')).digest('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: endpoint, iss: app.appId, sub: app.appId, jti: randomUUID(), nbf: now, exp: now + 600 };
    const assertWith = (assertion: string) =>
      fetchForm(`/${t.id}/oauth2/v2.0/token`, {
        grant_type: 'client_credentials',
        client_id: app.appId,
        scope: `${h.url}/.default`,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
    assert.equal((await assertWith(signJwt(claims, cert.keyPem, { alg: 'RS256', x5t: sha1 }))).status, 200);
    const expired = await assertWith(signJwt({ ...claims, nbf: now - 1200, exp: now - 600 }, cert.keyPem, { alg: 'RS256', x5t: sha1 }));
    assert.deepEqual(expired.body.error_codes, [700024]);
    const wrongAud = await assertWith(signJwt({ ...claims, aud: `${h.url}/${fabrikam().id}/oauth2/v2.0/token` }, cert.keyPem, { alg: 'RS256', x5t: sha1 }));
    assert.deepEqual(wrongAud.body.error_codes, [700027]);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await assertWith(signJwt(claims, other, { alg: 'RS256', x5t: sha1 }));
    assert.equal(forged.status, 401);
    assert.match(forged.body.error_description, /AADSTS700027: Client assertion failed signature validation/);
  });

  it('rejects Graph calls with a missing, forged, expired, wrong-audience or wrong-tenant token (401)', async () => {
    const t = contoso();
    const good = await tokenFor(h, t);
    const payload = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString());
    const forge = (p: Record<string, unknown>, key = signing.keyPem) => signJwt({ ...payload, ...p }, key, { kid: signing.kid });
    const call = async (token?: string) => {
      const r = await emulatorFetch(h, '/v1.0/applications', token ? { token } : {});
      return r;
    };
    assert.equal((await call(good)).status, 200);
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['garbage', 'not-a-jwt'],
      ['forged signature', forge({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)],
      ['expired', forge({ exp: Math.floor(Date.now() / 1000) - 10 })],
      ['wrong audience', forge({ aud: 'https://graph.microsoft.com' })],
      ['unknown tenant', forge({ tid: randomUUID() })],
      ['issuer of another tenant', forge({ iss: `https://sts.windows.net/${fabrikam().id}/` })],
      ['issuer in the v2.0 form (Graph takes v1.0 tokens)', forge({ iss: `${h.url}/${h.tenants[0]!.id}/v2.0` })],
    ];
    for (const [what, token] of cases) {
      const r = await call(token);
      assert.equal(r.status, 401, what);
      assert.equal(r.body.error.code, 'InvalidAuthenticationToken', what);
      assert.ok(r.body.error.innerError['request-id'], what);
    }
  });

  it('issues a token for another resource (Exchange) that Graph refuses as the wrong audience', async () => {
    const t = contoso();
    const token = await secretCredentialFor(h, t).getToken('00000002-0000-0ff1-ce00-000000000000/.default');
    const r = await emulatorFetch(h, '/v1.0/applications', { token: token.token });
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /Invalid audience/);
  });

  it('keeps tenants apart: fabrikam does not see contoso applications', async () => {
    const gc = graphClientFor(h, contoso());
    const gf = graphClientFor(h, fabrikam());
    const app = await gc.api('/applications').post({ displayName: 'contoso only' });
    await assert.rejects(gf.api(`/applications/${app.id}`).get(), (e: { statusCode: number }) => e.statusCode === 404);
  });

  it('gives the unprivileged operator 403 Authorization_RequestDenied', async () => {
    const g = graphClientFor(h, contoso(), 'unprivileged');
    for (const path of ['/applications', '/servicePrincipals', '/oauth2PermissionGrants']) {
      await assert.rejects(g.api(path).get(), (e: { statusCode: number; code: string; message: string }) => {
        assert.equal(e.statusCode, 403);
        assert.equal(e.code, 'Authorization_RequestDenied');
        assert.equal(e.message, 'Insufficient privileges to complete the operation.');
        return true;
      });
    }
  });

  it('runs the device-code flow, approved as the tenant administrator', async () => {
    const t = contoso();
    let prompt = '';
    const cred = new DeviceCodeCredential({
      tenantId: t.id,
      clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      userPromptCallback: (info) => {
        prompt = info.message;
      },
      ...credentialOptions(h),
    });
    const g = graphClientFor(h, t, cred);
    const app = await g.api('/applications').post({ displayName: 'made by the admin' });
    assert.ok(app.id);
    assert.match(prompt, /approves it as admin@/);
    // an application of the tenant must allow public client flows
    const confidential = new DeviceCodeCredential({ tenantId: t.id, clientId: app.appId, userPromptCallback: () => undefined, ...credentialOptions(h) });
    await assert.rejects(confidential.getToken(`${h.url}/.default`), /invalid_client/);
    await g.api(`/applications/${app.id}`).patch({ isFallbackPublicClient: true });
    // …and be consented for what it asks (emulator-consent.test.ts)
    const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
    const graph = (await g.api('/servicePrincipals').filter(`appId eq '00000003-0000-0000-c000-000000000000'`).get()).value[0];
    await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' });
    const pub = new DeviceCodeCredential({ tenantId: t.id, clientId: app.appId, userPromptCallback: () => undefined, ...credentialOptions(h) });
    assert.ok((await pub.getToken(`${h.url}/.default`)).token);
  });
});

async function fetchForm(path: string, o: Record<string, string>) {
  return emulatorFetch(h, path, {
    method: 'POST',
    body: new URLSearchParams(o).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}
