/**
 * Answers where Entra differs from what a tidy API would do, each with its public source.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { emulatorFetch, graphClientFor, makeTestCertificate, rejectsWith, tokenFor, withEmulator } from '../helpers/emulator.js';
import { testPki as pki } from '../helpers/pki.js';


describe('emulator edge answers', () => {
  // https://github.com/microsoftgraph/msgraph-bicep-types/issues/137 ("BadRequest … Another object with
  // the same value for property uniqueName already exists"); https://github.com/byte5ai/omadia/issues/916
  it('a uniqueName collision is 400 Request_BadRequest, not 409', async () => {
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        await g.api('/applications').post({ displayName: 'a', uniqueName: 'taken' });
        await rejectsWith(g.api('/applications').post({ displayName: 'b', uniqueName: 'taken' }), 400, 'Request_BadRequest', /^Another object with the same value for property uniqueName already exists\.$/);
        const other = await g.api('/applications').post({ displayName: 'c' });
        await rejectsWith(g.api(`/applications/${other.id}`).patch({ uniqueName: 'TAKEN' }), 400, 'Request_BadRequest');
      },
      { pki },
    );
  });

  // https://github.com/microsoftgraph/msgraph-sdk-python/issues/408: (appId='{app-id}') → 400 Request_BadRequest
  it('a malformed key is 400, not 404', async () => {
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        await rejectsWith(
          g.api(`/applications(appId='not-a-guid')`).get(),
          400,
          'Request_BadRequest',
          /^Invalid value specified for object reference property 'appId'\. Please ensure that this value has an appropriate syntax and length\.$/,
        );
        await rejectsWith(g.api(`/servicePrincipals(appId='not-a-guid')`).get(), 400, 'Request_BadRequest');
        await rejectsWith(g.api('/applications/not-a-guid').get(), 400, 'Request_BadRequest', /^Invalid object identifier 'not-a-guid'\.$/);
        await rejectsWith(g.api('/applications/00000000-0000-4000-8000-000000000000').get(), 404, 'Request_ResourceNotFound');
      },
      { pki },
    );
  });

  // The Azure CLI uploads a PEM certificate's body with its line breaks (it strips only the armor:
  // Azure/azure-cli src/azure-cli/azure/cli/command_modules/role/custom.py), and Entra takes it.
  it('accepts keyCredentials.key as base64 wrapped at 64 characters, and returns it unwrapped', async () => {
    await withEmulator(
      async (h) => {
        const g = graphClientFor(h, h.tenants[0]!);
        const cert = await makeTestCertificate();
        const wrapped = cert.derBase64.replace(/(.{64})/g, '$1\n');
        assert.ok(wrapped.includes('\n'));
        const app = await g.api('/applications').post({ displayName: 'wrapped', keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: `${wrapped}\r\n` }] });
        const read = await g.api(`/applications/${app.id}`).select('keyCredentials').get();
        assert.equal(read.keyCredentials[0].key, cert.derBase64);
        assert.equal(read.keyCredentials[0].customKeyIdentifier, cert.thumbprint);
        // sending it back wrapped is "unchanged", not an update of the credential
        await g.api(`/applications/${app.id}`).patch({ keyCredentials: [{ ...read.keyCredentials[0], key: wrapped }] });
        await rejectsWith(g.api('/applications').post({ displayName: 'junk', keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: 'not base64!' }] }), 400, 'Request_BadRequest', /Edm\.Binary/);
      },
      { pki },
    );
  });

  // The discovery document advertises client_secret_basic; RFC 6749 §2.3.1 defines it
  // (https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1): id and secret form-urlencoded, then Basic.
  it('client_secret_basic: the client id and secret in an HTTP Basic header', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const meta = await emulatorFetch(h, `/${t.id}/v2.0/.well-known/openid-configuration`);
        assert.ok(meta.body.token_endpoint_auth_methods_supported.includes('client_secret_basic'));
        const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
        const basic = Buffer.from(`${enc(t.operator.clientId)}:${enc(t.operator.clientSecret)}`).toString('base64');
        const body = new URLSearchParams({ grant_type: 'client_credentials', scope: `${h.url}/.default` }).toString();
        const headers = { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' };
        const ok = await emulatorFetch(h, `/${t.id}/oauth2/v2.0/token`, { method: 'POST', body, headers });
        assert.equal(ok.status, 200, ok.text);
        assert.ok(ok.body.access_token);
        const wrong = Buffer.from(`${enc(t.operator.clientId)}:nope`).toString('base64');
        const bad = await emulatorFetch(h, `/${t.id}/oauth2/v2.0/token`, { method: 'POST', body, headers: { ...headers, Authorization: `Basic ${wrong}` } });
        assert.equal(bad.status, 401);
        assert.match(bad.body.error_description, /^AADSTS7000215/);
        const both = await emulatorFetch(h, `/${t.id}/oauth2/v2.0/token`, { method: 'POST', body: `${body}&client_secret=${enc(t.operator.clientSecret)}`, headers });
        assert.equal(both.status, 400, 'two client authentication methods at once');
      },
      { pki },
    );
  });

  // v1.0 access tokens (the kind Graph takes) carry iss https://sts.windows.net/{tid}/
  // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference); Entra's JWKS
  // publishes each key's certificate in x5c, x5t and kid naming it (RFC 7517 §4.7).
  it('v1.0 access tokens have the sts.windows.net issuer; the JWKS carries x5c', async () => {
    await withEmulator(
      async (h) => {
        const t = h.tenants[0]!;
        const token = await tokenFor(h, t);
        const [header, payload] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
        assert.equal(payload.ver, '1.0');
        assert.equal(payload.iss, `https://sts.windows.net/${t.id}/`);
        const keys = (await emulatorFetch(h, `/${t.id}/discovery/v2.0/keys`)).body.keys;
        const key = keys.find((k: { kid: string }) => k.kid === header.kid);
        assert.ok(key, 'the token names a published key');
        assert.equal(key.x5c.length, 1);
        const cert = new X509Certificate(Buffer.from(key.x5c[0], 'base64'));
        assert.equal(createHash('sha1').update(cert.raw).digest('base64url'), key.x5t);
        assert.equal(key.x5t, header.x5t);
        assert.equal(cert.publicKey.export({ format: 'jwk' }).n, key.n);
      },
      { pki },
    );
  });
});
