import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desiredState, loadDesired } from '../../src/reconcile/desired.js';
import { generateSelfSigned } from '../../src/certs/index.js';
import { InputError } from '../../src/errors.js';

test('desired state: audience from multiTenant (single-tenant when omitted, and said so), redirect URIs normalised and de-duplicated, nothing unmanaged', () => {
  const d = desiredState({
    version: 1,
    application: { name: 'Portal', uniqueName: 'portal', multiTenant: true, extraRedirectUris: ['https://Extra.ABC.com/', 'https://PORTAL.abc.com:4443/'] },
    portal: { url: 'HTTPS://Portal.abc.com:4443' },
  });
  assert.equal(d.signInAudience, 'AzureADMultipleOrgs');
  assert.deepEqual(d.redirectUris, ['https://portal.abc.com:4443', 'https://extra.abc.com']);
  assert.deepEqual(d.certificates, []);
  assert.equal(d.audienceDefaulted, false);
  const bare = desiredState({ version: 1, application: { uniqueName: 'x' } });
  assert.equal(bare.signInAudience, 'AzureADMyOrg');
  assert.equal(bare.audienceDefaulted, true);
  assert.deepEqual(bare.redirectUris, []);
  const single = desiredState({ version: 1, application: { multiTenant: false } });
  assert.equal(single.signInAudience, 'AzureADMyOrg');
  assert.equal(single.audienceDefaulted, false);
});

test('the certificate comes from certificate.file (relative to the config), dates and thumbprint from the certificate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-desired-'));
  try {
    const { info } = await generateSelfSigned({ subject: 'CN=Desired Test', validityDays: 30 });
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'certs', 'portal.cer'), info.certPem);
    const d = await loadDesired({ version: 1, certificate: { thumbprint: info.thumbprint.toLowerCase(), file: 'certs/portal.cer' } }, dir);
    assert.deepEqual(
      { t: d.certificates[0]?.thumbprint, s: d.certificates[0]?.subject, nb: d.certificates[0]?.notBefore, na: d.certificates[0]?.notAfter, k: d.certificates[0]?.derBase64 },
      { t: info.thumbprint, s: 'CN=Desired Test', nb: info.notBefore.toISOString(), na: info.notAfter.toISOString(), k: info.derBase64 },
    );
    await assert.rejects(loadDesired({ version: 1, certificate: { thumbprint: 'AB'.repeat(20), file: 'certs/portal.cer' } }, dir), (e: unknown) => e instanceof InputError && /certificate\.thumbprint says/.test(e.message));
    await assert.rejects(loadDesired({ version: 1, certificate: { file: 'certs/missing.cer' } }, dir), InputError);
    // a missing .cer (not committed, or deleted): the error says how to get it back
    await assert.rejects(loadDesired({ version: 1, certificate: { thumbprint: 'AB'.repeat(20), file: 'certs/missing.cer' } }, dir), (e: unknown) =>
      e instanceof InputError && /^certificate\.file: certificate file not found: /.test(e.message) && (e.remedy ?? '').includes(`entra-portal install-cert --thumbprint ${'AB'.repeat(20)}`),
    );
    await assert.rejects(loadDesired({ version: 1, certificate: { thumbprint: info.thumbprint } }, dir), (e: unknown) => e instanceof InputError && /certificate\.file/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
