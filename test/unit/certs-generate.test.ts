import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey, sign, verify, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { withTempDir } from '../helpers/cli.js';
import { openssl, opensslFingerprint } from '../helpers/pfx.js';
import { generateSelfSigned } from '../../src/certs/index.js';

test('generateSelfSigned: RSA-2048, SHA-256, 365 days, the extensions Entra client assertions need', async () => {
  const before = Date.now();
  const { info, keyPem } = await generateSelfSigned({ subject: 'CN=Veeam Restore Portal' });
  const x = new X509Certificate(info.certPem);
  assert.equal(info.subject, 'CN=Veeam Restore Portal');
  assert.equal(info.issuer, info.subject);
  assert.ok(x.verify(x.publicKey), 'self-signature verifies');
  assert.ok(x.checkPrivateKey(createPrivateKey(keyPem)));
  assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(createPrivateKey(keyPem).asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(Math.abs(info.notBefore.getTime() - before) < 5_000);
  assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), 365 * 86_400_000);
  // the serial is positive (top bit of the first byte clear) and random
  assert.ok(parseInt(x.serialNumber.slice(0, 2), 16) < 0x80);
  assert.deepEqual(x.keyUsage, ['1.3.6.1.5.5.7.3.2']); // node reports extended key usage here: clientAuth

  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'c.pem'), info.certPem);
    const text = await openssl(['x509', '-in', 'c.pem', '-noout', '-text'], dir);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /Key Usage: critical\s+Digital Signature, Key Encipherment/);
    assert.match(text, /Extended Key Usage:\s+TLS Web Client Authentication/);
    assert.match(text, /Subject Key Identifier/);
    assert.equal(await opensslFingerprint('c.pem', 'sha1', dir), info.thumbprint);
    await openssl(['verify', '-CAfile', 'c.pem', '-purpose', 'sslclient', 'c.pem'], dir);
  });
});

test('generateSelfSigned: a DN subject, 3072 bits, a chosen notBefore and validity', async () => {
  const notBefore = new Date('2026-01-02T03:04:05.678Z');
  const { info, keyPem } = await generateSelfSigned({ subject: 'CN=Portal é, O=Contoso\\, Ltd, C=DE', keySize: 3072, validityDays: 10, notBefore });
  assert.equal(info.subject, 'CN=Portal é, O=Contoso\\, Ltd, C=DE');
  assert.equal(info.notBefore.toISOString(), '2026-01-02T03:04:05.000Z');
  assert.equal(info.notAfter.toISOString(), '2026-01-12T03:04:05.000Z');
  assert.equal(createPrivateKey(keyPem).asymmetricKeyDetails?.modulusLength, 3072);
  const bare = await generateSelfSigned({ subject: 'Name, with comma' });
  assert.equal(bare.info.subject, 'CN=Name\\, with comma');
  await assert.rejects(generateSelfSigned({ subject: 'CN=x', keySize: 1024 as never }), RangeError);
  await assert.rejects(generateSelfSigned({ subject: 'CN=x', validityDays: 0 }), RangeError);
});

test('the generated key signs what the certificate verifies (client assertions: RS256 and PS256)', async () => {
  const { info, keyPem } = await generateSelfSigned({ subject: 'CN=Signer' });
  const data = randomBytes(200);
  const pub = new X509Certificate(info.certPem).publicKey;
  assert.ok(verify('sha256', data, pub, sign('sha256', data, keyPem)));
  const pss = { key: keyPem, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 };
  assert.ok(verify('sha256', data, { key: pub, padding: 6, saltLength: 32 }, sign('sha256', data, pss)));
  assert.deepEqual(createPublicKey(keyPem).export({ format: 'jwk' }), pub.export({ format: 'jwk' }));
});

test('the generated certificate authenticates a TLS client (clientAuth) to a server that trusts it', async () => {
  const client = await generateSelfSigned({ subject: 'CN=Restore Portal client' });
  const server = await generateSelfSigned({ subject: 'CN=localhost' });
  const srv = tls.createServer({ key: server.keyPem, cert: server.info.certPem, requestCert: true, rejectUnauthorized: true, ca: [client.info.certPem] });
  const seen = new Promise<{ authorized: boolean; fingerprint: string }>((resolve) =>
    srv.on('secureConnection', (s) => {
      resolve({ authorized: s.authorized, fingerprint: s.getPeerCertificate().fingerprint.replace(/:/g, '') });
      s.end('ok');
    }),
  );
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  try {
    const port = (srv.address() as AddressInfo).port;
    const sock = tls.connect({ host: '127.0.0.1', port, key: client.keyPem, cert: client.info.certPem, rejectUnauthorized: false });
    const [data] = (await once(sock, 'data')) as [Buffer];
    sock.destroy();
    assert.equal(data.toString(), 'ok');
    const peer = await seen;
    assert.equal(peer.authorized, true);
    assert.equal(peer.fingerprint, client.info.thumbprint);
  } finally {
    srv.close();
  }
});

test('the signature is byte for byte what forge\'s own RSA key would produce (PKCS#1 v1.5 is deterministic)', async () => {
  const forge = (await import('node-forge')).default;
  const { info, keyPem } = await generateSelfSigned({ subject: 'CN=Deterministic' });
  const cert = forge.pki.certificateFromPem(info.certPem);
  const md = forge.md.sha256.create();
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: unknown): Parameters<typeof forge.asn1.toDer>[0] }).getTBSCertificate(cert);
  md.update(forge.asn1.toDer(tbs).getBytes());
  const forgeSignature = forge.pki.privateKeyFromPem(keyPem).sign(md);
  assert.equal(Buffer.from(forgeSignature, 'binary').toString('hex'), Buffer.from(cert.signature as string, 'binary').toString('hex'));
  assert.equal(cert.siginfo.algorithmOid, forge.pki.oids.sha256WithRSAEncryption);
});
