/**
 * `--auth workload-identity` and a customer tenant's own variables, with the real @azure/identity
 * against the emulator: the token in AZURE_FEDERATED_TOKEN_FILE is sent as the client assertion —
 * no secret stored anywhere. The emulator does not federate with an outside issuer, so the file here
 * holds an assertion signed with a certificate registered on the operator application (the same
 * wire exchange: client_assertion from a file, re-read at each token request).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCredential } from '../../src/cloud/credentials.js';
import { customerCredential } from '../../src/cloud/tenant-credentials.js';
import { OperationError } from '../../src/errors.js';
import { withTempDir } from '../helpers/cli.js';
import { graphClientFor, makeTestCertificate, withEmulator, type EmulatorHandle, type EmulatorTenant } from '../helpers/emulator.js';
import { recordingLogger } from '../helpers/graph-fakes.js';

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A certificate on the tenant's operator application, and an assertion signed with it for the tenant's token endpoint. */
async function federatedToken(h: EmulatorHandle, tenant: EmulatorTenant): Promise<string> {
  const cert = await makeTestCertificate({ subject: 'federated test' });
  const g = graphClientFor(h, tenant);
  const app = (await g.api(`/applications(appId='${tenant.operator.clientId}')`).select('id,keyCredentials').get()) as { id: string; keyCredentials: unknown[] };
  await g.api(`/applications/${app.id}`).patch({ keyCredentials: [...app.keyCredentials, { type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64 }] });
  const der = Buffer.from(cert.derBase64, 'base64');
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5t: b64url(createHash('sha1').update(der).digest()) }));
  const body = b64url(JSON.stringify({ aud: `${h.url}/${tenant.id}/oauth2/v2.0/token`, iss: tenant.operator.clientId, sub: tenant.operator.clientId, jti: randomUUID(), nbf: now, exp: now + 600 }));
  return `${header}.${body}.${b64url(sign('sha256', Buffer.from(`${header}.${body}`), cert.keyPem))}`;
}

test('workload-identity: the federated token file is the client assertion; auto picks it when no secret is set; a missing file is a typed failure', async () => {
  await withEmulator(async (h) => {
    await withTempDir(async (dir) => {
      const contoso = h.tenants[0]!;
      const file = join(dir, 'token.jwt');
      await writeFile(file, `${await federatedToken(h, contoso)}\n`);
      const base = { tenant: contoso.id, authorityHost: h.url, isTTY: false, log: recordingLogger(), ca: h.caPem, disableInstanceDiscovery: true };
      const env = { AZURE_CLIENT_ID: contoso.operator.clientId, AZURE_FEDERATED_TOKEN_FILE: file };
      const token = await (await createCredential('workload-identity', { ...base, env })).getToken(`${h.url}/.default`);
      assert.equal(claims(token!.token).appid, contoso.operator.clientId);
      assert.equal(claims(token!.token).tid, contoso.id);

      const auto = await (await createCredential('auto', { ...base, env: { ...env, PATH: '/nonexistent' } })).getToken(`${h.url}/.default`);
      assert.equal(claims(auto!.token).appid, contoso.operator.clientId);

      // a customer's own variables: <PREFIX>_CLIENT_ID + <PREFIX>_FEDERATED_TOKEN_FILE
      const chosen = await customerCredential(
        { tenant: contoso.domain, credentialEnv: 'FED' },
        { authorityHost: h.url, env: { FED_CLIENT_ID: contoso.operator.clientId, FED_FEDERATED_TOKEN_FILE: file, AZURE_CLIENT_SECRET: 'not this one' }, log: recordingLogger(), ca: h.caPem, disableInstanceDiscovery: true },
      );
      assert.equal(chosen.source, 'FED_CLIENT_ID + FED_FEDERATED_TOKEN_FILE');
      assert.equal(claims((await chosen.credential.getToken(`${h.url}/.default`))!.token).appid, contoso.operator.clientId);

      const gone = await createCredential('workload-identity', { ...base, env: { ...env, AZURE_FEDERATED_TOKEN_FILE: join(dir, 'missing.jwt') } });
      await assert.rejects(gone.getToken(`${h.url}/.default`), (e: unknown) => e instanceof OperationError && /missing\.jwt|no such file/i.test(e.message));
      const unset = await createCredential('workload-identity', { ...base, env: { AZURE_CLIENT_ID: 'x' } });
      await assert.rejects(unset.getToken(`${h.url}/.default`), (e: unknown) => e instanceof OperationError && e.code === 'credential-unavailable' && /AZURE_FEDERATED_TOKEN_FILE/.test(e.message));
    });
  });
});
