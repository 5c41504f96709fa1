import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { makeFixtures, openssl, opensslFingerprint, type Fixtures } from '../helpers/pfx.js';
import { generateSelfSigned, readPfx, writePfx } from '../../src/certs/index.js';
import { InputError } from '../../src/errors.js';

let fx: Fixtures;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-portal-pfx-'));
  fx = await makeFixtures(dir);
});
after(async () => rm(dir, { recursive: true, force: true }));

const read = async (file: string, pw = fx.password) => readPfx(await readFile(file), pw, file.split('/').pop()!);

async function rejects(file: string, pw: string, code: string, message: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await read(file, pw);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
  assert.equal(caught.exitCode, 65);
  assert.equal(caught.code, code);
  assert.match(caught.message, message);
  assert.ok(!caught.message.includes(fx.password) && !(caught.remedy ?? '').includes(fx.password), 'the password never appears');
  return caught;
}

test('reads OpenSSL 3 default, -legacy, no-MAC and empty-password PFX files', async () => {
  const want = await opensslFingerprint(fx.certPem, 'sha1', dir);
  for (const [file, pw] of [[fx.modern, fx.password], [fx.legacy, fx.password], [fx.nomac, fx.password], [fx.empty, '']] as const) {
    const p = await read(file, pw);
    assert.equal(p.info.thumbprint, want, file);
    assert.equal(p.info.subject, 'CN=Fixture Portal, O=Entra Portal Tests');
    assert.equal(p.keyBits, 2048);
    assert.deepEqual(p.chain, []);
    assert.ok(new X509Certificate(p.info.certPem).checkPrivateKey(createPrivateKey(p.keyPem)));
    assert.match(p.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  }
  // the legacy file really is legacy (what node's TLS cannot read)
  const info = await openssl(['pkcs12', '-in', fx.legacy, '-info', '-noout', '-passin', `pass:${fx.password}`, '-legacy'], dir).catch((e: { stderr?: string }) => e.stderr ?? '');
  assert.ok(typeof info === 'string');
});

test('a chain: the leaf is the certificate that matches the key, in any order', async () => {
  const leaf = await opensslFingerprint(fx.chainLeafPem, 'sha1', dir);
  for (const file of [fx.chain, fx.chainLeafLast]) {
    const p = await read(file);
    assert.equal(p.info.thumbprint, leaf, file);
    assert.equal(p.info.subject, 'CN=Fixture Leaf, O=Entra Portal Tests');
    assert.equal(p.info.issuer, 'CN=Fixture Intermediate CA, O=Entra Portal Tests');
    assert.deepEqual(p.chain.map((c) => c.subject.split(',')[0]).sort(), ['CN=Fixture Intermediate CA', 'CN=Fixture Root CA']);
  }
});

test('wrong password: "PKCS#12 MAC could not be verified", without the password', async () => {
  await rejects(fx.modern, 'not the password', 'pfx-wrong-password', /wrong password \(PKCS#12 MAC could not be verified\)/);
  await rejects(fx.legacy, 'nope', 'pfx-wrong-password', /MAC could not be verified/);
  await rejects(fx.nomac, 'nope', 'pfx-wrong-password', /has no MAC and could not be decrypted/);
  await rejects(fx.nomac, '', 'pfx-wrong-password', /has no MAC and could not be decrypted\); the file is password-protected/);
  const e = await rejects(fx.modern, '', 'pfx-wrong-password', /password-protected/);
  assert.match(e.remedy ?? '', /--password-env/);
});

test('no private key, non-RSA, weak RSA', async () => {
  await rejects(fx.nokey, fx.password, 'pfx-no-key', /holds no private key \(1 certificate only\)/);
  await rejects(fx.ec, fx.password, 'pfx-not-rsa', /private key is EC \(prime256v1\), not RSA/);
  await rejects(fx.weak, fx.password, 'pfx-weak-key', /1024 bits; Entra requires at least 2048/);
});

test('not a PFX: PEM and DER certificates say how to convert; truncated and junk files are named as such', async () => {
  let e = await rejects(fx.certPem, fx.password, 'not-pfx', /PEM file \(CERTIFICATE\), not a PFX/);
  assert.match(e.remedy ?? '', /openssl pkcs12 -export -in cert\.pem -inkey key\.pem -out cert\.pfx/);
  e = await rejects(fx.pemBundle, fx.password, 'not-pfx', /PEM file \(CERTIFICATE \+ PRIVATE KEY\)/);
  assert.match(e.remedy ?? '', /openssl pkcs12 -export -in bundle\.pem -out cert\.pfx/);
  e = await rejects(fx.certDer, fx.password, 'not-pfx', /DER certificate \(\.cer\), not a PFX/);
  assert.match(e.remedy ?? '', /openssl x509 -inform der/);
  await rejects(fx.truncated, fx.password, 'pfx-corrupt', /truncated \(\d+ bytes; its header announces \d+\)/);
  const junk = join(dir, 'junk.pfx');
  await writeFile(junk, 'PK\u0003\u0004 a zip file');
  await rejects(junk, fx.password, 'not-pfx', /not a PFX \(PKCS#12\) file/);
  const empty = join(dir, 'empty-file.pfx');
  await writeFile(empty, '');
  await rejects(empty, '', 'pfx-corrupt', /the file is empty/);
  // a DER SEQUENCE that is no PFX
  const seq = join(dir, 'seq.pfx');
  await writeFile(seq, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]));
  await rejects(seq, '', 'pfx-corrupt', /not a readable PKCS#12\/PFX file/);
});

test('expired and not-yet-valid certificates are read (the cmdlet rejects them with dates)', async () => {
  const p = await read(fx.expired);
  assert.ok(p.info.notAfter.getTime() < Date.now());
  const f = await read(fx.notYetValid);
  assert.ok(f.info.notBefore.getTime() > Date.now());
});

test('writePfx: AES-256 PFX that openssl reads back with the same thumbprint and key (non-ASCII password too)', async () => {
  const g = await generateSelfSigned({ subject: 'CN=Round Trip' });
  const pfx = await writePfx({ keyPem: g.keyPem, certsDer: [Buffer.from(g.info.derBase64, 'base64')], password: 'pw 1 ä€', friendlyName: 'Round Trip' });
  const file = join(dir, 'rt.pfx');
  await writeFile(file, pfx);
  const text = await openssl(['pkcs12', '-in', file, '-passin', 'pass:pw 1 ä€', '-nodes', '-info'], dir).catch((e) => {
    throw new Error(`openssl could not read it: ${(e as { stderr?: string }).stderr}`);
  });
  assert.match(text, /friendlyName: Round Trip/);
  assert.match(text, /-----BEGIN PRIVATE KEY-----/);
  await writeFile(join(dir, 'rt.pem'), text);
  assert.equal(await opensslFingerprint('rt.pem', 'sha1', dir), g.info.thumbprint);
  const back = await readPfx(pfx, 'pw 1 ä€', 'rt.pfx');
  assert.equal(back.info.thumbprint, g.info.thumbprint);
  assert.equal(createPrivateKey(back.keyPem).export({ format: 'jwk' }).n, createPrivateKey(g.keyPem).export({ format: 'jwk' }).n);
});

test('the native PKCS#12 KDF gives forge\'s bytes (passwords: none, empty, ASCII, non-ASCII; SHA-1/256/512; several lengths)', async () => {
  const forge = (await import('node-forge')).default;
  const { pkcs12Kdf } = await import('../../src/certs/forge.js');
  const mds = { sha1: () => forge.md.sha1.create(), sha256: () => forge.md.sha256.create(), sha512: () => forge.md.sha512.create() };
  const gen = (forge.pki as unknown as { pbe: { generatePkcs12Key: (...a: unknown[]) => { getBytes(): string } } }).pbe.generatePkcs12Key;
  for (const password of [null, '', 'pw', 'pässwörd ☃ 𝄞']) {
    for (const [name, md] of Object.entries(mds)) {
      for (const [id, n, iter, saltLen] of [[3, 20, 2048, 8], [1, 24, 7, 8], [2, 8, 1, 20], [1, 70, 3, 0]] as const) {
        const salt = Buffer.from(Array.from({ length: saltLen }, (_, i) => (i * 37 + 11) & 0xff));
        const want = Buffer.from(gen(password, forge.util.createBuffer(salt.toString('binary')), id, iter, n, md()).getBytes(), 'binary');
        const got = pkcs12Kdf(password, salt, id, iter, n, name, md().blockLength);
        assert.equal(got.toString('hex'), want.toString('hex'), `${JSON.stringify(password)} ${name} id=${id} n=${n} iter=${iter} salt=${saltLen}`);
      }
    }
  }
});
