import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { withTempDir } from '../helpers/cli.js';
import { openssl, opensslFingerprint } from '../helpers/pfx.js';
import { certificateInfoFromDer, normalizeThumbprint, readCertificateFile, thumbprintOf } from '../../src/certs/index.js';
import { parseDn } from '../../src/certs/dn.js';
import { InputError, UsageError } from '../../src/errors.js';

test('thumbprints equal openssl x509 -fingerprint -sha1/-sha256, from PEM and from DER', async () => {
  await withTempDir(async (dir) => {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '10', '-subj', '/C=US/O=Acme, Inc./CN=Thumb Test'], dir);
    await openssl(['x509', '-in', 'c.pem', '-outform', 'der', '-out', 'c.cer'], dir);
    const sha1 = await opensslFingerprint('c.pem', 'sha1', dir);
    const sha256 = await opensslFingerprint('c.pem', 'sha256', dir);
    assert.match(sha1, /^[0-9A-F]{40}$/);
    for (const file of ['c.pem', 'c.cer']) {
      const info = await readCertificateFile(join(dir, file));
      assert.equal(info.thumbprint, sha1, file);
      assert.equal(info.thumbprintSha256, sha256, file);
      assert.equal(info.subject, 'CN=Thumb Test, O=Acme\\, Inc., C=US');
      assert.equal(info.issuer, info.subject);
      assert.ok(info.notAfter.getTime() - info.notBefore.getTime() === 10 * 86_400_000);
      const x = new X509Certificate(await readFile(join(dir, 'c.cer')));
      assert.equal(info.derBase64, x.raw.toString('base64'));
      assert.equal(new X509Certificate(info.certPem).fingerprint256.replace(/:/g, ''), sha256);
    }
    assert.equal(thumbprintOf(await readFile(join(dir, 'c.cer'))), sha1);
  });
});

test('readCertificateFile rejects a missing file and non-certificates with InputError (65)', async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(readCertificateFile(join(dir, 'nope.cer')), (e: unknown) => e instanceof InputError && /not found/.test(e.message));
    await writeFile(join(dir, 'junk.cer'), 'hello');
    await assert.rejects(readCertificateFile(join(dir, 'junk.cer')), (e: unknown) => e instanceof InputError && e.exitCode === 65 && /not an X\.509 certificate/.test(e.message));
    await writeFile(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    await assert.rejects(readCertificateFile(join(dir, 'key.pem')), /without a "BEGIN CERTIFICATE" block/);
    assert.throws(() => certificateInfoFromDer(Buffer.from([0x30, 0x03, 1, 2, 3])));
  });
});

test('normalizeThumbprint accepts colons, spaces, any case, and refuses the rest', () => {
  const t = '9F3A5B7C9D1E2F30415263748596A7B8C9D0E1F2';
  assert.equal(normalizeThumbprint(t.toLowerCase()), t);
  assert.equal(normalizeThumbprint(t.replace(/(..)(?!$)/g, '$1:')), t);
  assert.equal(normalizeThumbprint(t.toLowerCase().replace(/(..)(?!$)/g, '$1 ')), t);
  assert.equal(normalizeThumbprint(`\u200e${t}`), t); // Windows' certificate dialog copies a left-to-right mark
  assert.equal(normalizeThumbprint(t.slice(2)), undefined);
  assert.equal(normalizeThumbprint(`${t}00`), undefined);
  assert.equal(normalizeThumbprint(t.replace('9', 'G')), undefined);
});

test('parseDn: RFC 4514 order, escapes, bare names refused, unknown attributes named', () => {
  assert.deepEqual(parseDn('CN=Portal, O=Acme\\, Inc., C=us'), [
    { type: 'CN', value: 'Portal' },
    { type: 'O', value: 'Acme, Inc.' },
    { type: 'C', value: 'us' },
  ]);
  assert.deepEqual(parseDn('cn=a+ou=b'), [{ type: 'CN', value: 'a' }, { type: 'OU', value: 'b' }]);
  assert.throws(() => parseDn('Portal'), UsageError);
  assert.throws(() => parseDn('CN=a, XX=b'), /unknown attribute "XX=b"/);
  assert.throws(() => parseDn('O=Acme'), /has no CN/);
  assert.throws(() => parseDn('CN=a, C=USA'), /two-letter country code/);
  assert.throws(() => parseDn('CN='), /has no value/);
});
