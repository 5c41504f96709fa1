import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtures, openssl, PFX_PASSWORD, type Fixtures } from '../helpers/pfx.js';
import { readPfx, writePfx } from '../../src/certs/index.js';
import { readPfxNatively } from '../../src/certs/pfx-native.js';
import { InputError } from '../../src/errors.js';

// readPfxNatively reads the layout of the store's entries (plain data contents, PBES2 key) with
// node:crypto; everything else goes to forge. Both must give readPfx the same result.
let fx: Fixtures;
let dir: string;
/** the fixtures' certificate and key again, with the certificates in the clear (what native reads) */
const clear: Record<string, string> = {};
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-portal-pfx-native-'));
  fx = await makeFixtures(dir);
  const pack = (out: string, extra: string[]) =>
    openssl(['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', out, '-passout', `pass:${PFX_PASSWORD}`, '-certpbe', 'NONE', ...extra], dir).then(() => join(dir, out));
  clear.sha256 = await pack('clear.pfx', []);
  clear.sha512 = await pack('clear-sha512.pfx', ['-macalg', 'sha512', '-keypbe', 'AES-128-CBC']);
  clear.sha1 = await pack('clear-sha1.pfx', ['-macalg', 'sha1']);
  await openssl(['pkcs12', '-export', '-in', 'leaf.pem', '-inkey', 'leaf.key', '-certfile', 'chain-extra.pem', '-out', 'chain-clear.pfx', '-passout', `pass:${PFX_PASSWORD}`, '-certpbe', 'NONE'], dir);
  clear.chain = join(dir, 'chain-clear.pfx');
  clear.keyBag = await pack('clear-keybag.pfx', ['-keypbe', 'NONE']);
});
after(async () => rm(dir, { recursive: true, force: true }));

const bytes = (file: string) => readFile(file);
const read = async (file: string, pw = PFX_PASSWORD) => readPfx(await bytes(file), pw, 'x.pfx');

test('the layouts node reads natively give what forge gives for the same certificate and key', async () => {
  for (const file of [clear.sha256!, clear.sha512!, clear.sha1!, clear.keyBag!, fx.chainLeafLast]) {
    const parts = readPfxNatively(await bytes(file), PFX_PASSWORD);
    assert.ok(parts, `${file} is read natively`);
    assert.ok(parts.keys.length === 1 && parts.certs.length >= 1, file);
  }
  // fx.modern and fx.chain: the same contents, certificates encrypted (OpenSSL 3's default): forge reads them
  assert.deepEqual(await read(clear.sha256!), await read(fx.modern));
  assert.deepEqual(await read(clear.sha512!), await read(fx.modern));
  assert.deepEqual(await read(clear.keyBag!), await read(fx.modern));
  assert.deepEqual(await read(clear.chain!), await read(fx.chain));
});

test('what the store writes is read natively, a non-ASCII password included', async () => {
  const key = await readFile(fx.keyPem, 'utf8');
  const der = await readFile(fx.certDer);
  for (const password of [PFX_PASSWORD, 'plain', 'ключ 🔑']) {
    const pfx = await writePfx({ keyPem: key, certsDer: [der], password, friendlyName: 'store entry' });
    assert.ok(readPfxNatively(pfx, password), password);
    assert.deepEqual(await readPfx(pfx, password, 'x.pfx'), await read(fx.modern));
    assert.equal(readPfxNatively(pfx, `${password}x`), undefined, 'a wrong password is left to forge');
  }
  // the legacy profile (PKCS#12 3DES key encryption) is forge's
  const legacy = await writePfx({ keyPem: key, certsDer: [der], password: PFX_PASSWORD, profile: 'legacy' });
  assert.equal(readPfxNatively(legacy, PFX_PASSWORD), undefined);
  assert.deepEqual(await readPfx(legacy, PFX_PASSWORD, 'x.pfx'), await read(fx.modern));
});

test('every other layout, a wrong password and damaged bytes are left to forge, with its errors', async () => {
  for (const file of [fx.modern, fx.legacy, fx.nomac, fx.chain, fx.nokey, fx.truncated]) {
    assert.equal(readPfxNatively(await bytes(file), PFX_PASSWORD), undefined, file);
  }
  assert.equal(readPfxNatively(await bytes(fx.empty), ''), undefined);
  const good = await bytes(clear.sha256!);
  for (const at of [0, 3, 40, Math.floor(good.length / 2), good.length - 40, good.length - 1]) {
    const bad = Buffer.from(good);
    bad[at] = bad[at]! ^ 0x01;
    assert.equal(readPfxNatively(bad, PFX_PASSWORD), undefined, `byte ${at}`);
  }
  assert.equal(readPfxNatively(Buffer.concat([good, Buffer.from([0])]), PFX_PASSWORD), undefined, 'trailing bytes');
  await writeFile(join(dir, 'bad.pfx'), good);
  await assert.rejects(read(join(dir, 'bad.pfx'), 'wrong'), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.code, 'pfx-wrong-password');
    assert.match(err.message, /PKCS#12 MAC could not be verified/);
    return true;
  });
});
