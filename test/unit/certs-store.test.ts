import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { withTempDir } from '../helpers/cli.js';
import { openssl } from '../helpers/pfx.js';
import { createContext, type Context } from '../../src/context.js';
import { generateSelfSigned, listStore, loadFromStore, resolveStoreDir, saveToStore, STORE_PASSWORD_ENV } from '../../src/certs/index.js';
import { InputError } from '../../src/errors.js';

function ctxWith(env: NodeJS.ProcessEnv, cwd = '/somewhere'): Context & { err: () => string } {
  let text = '';
  const ctx = createContext({ env, cwd, stderr: { write: (s: string) => (text += s) }, stdout: { write: () => true } });
  return Object.assign(ctx, { err: () => text });
}
const mode = async (p: string) => (await stat(p)).mode & 0o777;

test('resolveStoreDir: --store, then $ENTRA_PORTAL_STORE, then $XDG_DATA_HOME, then ~/.local/share', () => {
  const env = { HOME: '/home/u', XDG_DATA_HOME: '/xdg', ENTRA_PORTAL_STORE: 'rel/store' };
  assert.equal(resolveStoreDir({ cwd: '/w', env }, 'mine'), '/w/mine');
  assert.equal(resolveStoreDir({ cwd: '/w', env }, '/abs/store'), '/abs/store');
  assert.equal(resolveStoreDir({ cwd: '/w', env }), '/w/rel/store');
  assert.equal(resolveStoreDir({ cwd: '/w', env: { HOME: '/home/u', XDG_DATA_HOME: '/xdg' } }), '/xdg/entra-portal/store');
  assert.equal(resolveStoreDir({ cwd: '/w', env: { HOME: '/home/u', XDG_DATA_HOME: 'relative' } }), '/home/u/.local/share/entra-portal/store');
  assert.equal(resolveStoreDir({ cwd: '/w', env: { HOME: '/home/u' } }), '/home/u/.local/share/entra-portal/store');
});

test('store-key mode: modes 0700/0600, an ordinary PFX openssl opens with the store key, round trip, idempotent', async () => {
  await withTempDir(async (tmp) => {
    const dir = join(tmp, 'a', 'store');
    const ctx = ctxWith({});
    const g = await generateSelfSigned({ subject: 'CN=Stored' });
    const e = await saveToStore(dir, { ...g, friendlyName: 'Stored' }, ctx);
    assert.equal(e.created, true);
    assert.equal(await mode(dir), 0o700);
    assert.equal(await mode(e.pfxPath), 0o600);
    assert.equal(await mode(e.cerPath), 0o644);
    assert.equal(await mode(join(dir, '.store-key')), 0o600);
    assert.equal(await mode(join(dir, 'store.json')), 0o600);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')), { version: 1, protection: 'store-key' });
    assert.deepEqual((await readdir(dir)).sort(), ['.store-key', `${g.info.thumbprint}.cer`, `${g.info.thumbprint}.pfx`, 'store.json']);
    assert.equal((await readFile(join(dir, '.store-key'), 'utf8')).trim().length, 43); // 32 bytes base64url

    const pem = await openssl(['pkcs12', '-in', e.pfxPath, '-passin', `file:${join(dir, '.store-key')}`, '-nodes'], tmp);
    assert.match(pem, /BEGIN PRIVATE KEY/);
    await assert.rejects(openssl(['pkcs12', '-in', e.pfxPath, '-passin', 'pass:', '-nodes'], tmp));

    const before = await readFile(e.pfxPath);
    const again = await saveToStore(dir, g, ctx);
    assert.equal(again.created, false);
    assert.ok((await readFile(e.pfxPath)).equals(before), 'an existing entry is kept byte for byte');

    const loaded = await loadFromStore(dir, g.info.thumbprint.toLowerCase().replace(/(..)(?!$)/g, '$1:'), ctx);
    assert.ok(loaded);
    assert.equal(loaded.info.thumbprint, g.info.thumbprint);
    assert.equal(createPrivateKey(loaded.keyPem).export({ format: 'jwk' }).d, createPrivateKey(g.keyPem).export({ format: 'jwk' }).d);
    assert.equal(await loadFromStore(dir, 'AB'.repeat(20), ctx), undefined);
    assert.equal(await loadFromStore(join(tmp, 'no-store'), g.info.thumbprint, ctx), undefined);
    await assert.rejects(loadFromStore(dir, 'xyz', ctx), (err: unknown) => err instanceof InputError && /not a SHA-1 thumbprint/.test(err.message));
    assert.deepEqual((await listStore(dir)).map((c) => c.subject), ['CN=Stored']);

    // a lost store key is named, not a cryptic PKCS#12 error
    await rm(join(dir, '.store-key'));
    await assert.rejects(loadFromStore(dir, g.info.thumbprint, ctx), (err: unknown) => err instanceof InputError && err.code === 'store-key-missing');
  });
});

test('password mode: $ENTRA_PORTAL_STORE_PASSWORD protects every PFX; the store refuses to open without it or with another', async () => {
  await withTempDir(async (tmp) => {
    const dir = join(tmp, 'store');
    const secret = 'correct horse ☃ battery';
    const ctx = ctxWith({ [STORE_PASSWORD_ENV]: secret });
    const g = await generateSelfSigned({ subject: 'CN=Pw' });
    await saveToStore(dir, g, ctx);
    const meta = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8'));
    assert.equal(meta.protection, 'password');
    assert.equal(meta.check.kdf, 'scrypt');
    assert.ok(!JSON.stringify(meta).includes(secret));
    assert.ok(!(await readdir(dir)).includes('.store-key'));
    assert.ok(await loadFromStore(dir, g.info.thumbprint, ctx));
    await assert.rejects(loadFromStore(dir, g.info.thumbprint, ctxWith({})), (err: unknown) => err instanceof InputError && err.code === 'store-locked' && /ENTRA_PORTAL_STORE_PASSWORD/.test(err.message));
    await assert.rejects(loadFromStore(dir, g.info.thumbprint, ctxWith({ [STORE_PASSWORD_ENV]: 'Wr0ngPa55' })), (err: unknown) => {
      assert.ok(err instanceof InputError && err.code === 'store-wrong-password');
      assert.ok(!err.message.includes('Wr0ngPa55') && !err.message.includes(secret));
      return true;
    });
    // and a store-key store refuses a password rather than silently ignoring it
    const other = join(tmp, 'other');
    await saveToStore(other, g, ctxWith({}));
    await assert.rejects(saveToStore(other, g, ctxWith({ [STORE_PASSWORD_ENV]: 'x' })), (err: unknown) => err instanceof InputError && err.code === 'store-mode-mismatch');
  });
});

test('openssl opens a password-mode entry with the store password', async () => {
  await withTempDir(async (tmp) => {
    const dir = join(tmp, 'store');
    const g = await generateSelfSigned({ subject: 'CN=Pw2' });
    const e = await saveToStore(dir, g, ctxWith({ [STORE_PASSWORD_ENV]: 'pässwort' }));
    await writeFile(join(tmp, 'pw.txt'), 'pässwort\n');
    assert.match(await openssl(['pkcs12', '-in', e.pfxPath, '-passin', `file:${join(tmp, 'pw.txt')}`, '-nodes'], tmp), /BEGIN PRIVATE KEY/);
  });
});

test('a store folder others can read is tightened on write and reported (not changed) on read', async () => {
  await withTempDir(async (tmp) => {
    const dir = join(tmp, 'store');
    const g = await generateSelfSigned({ subject: 'CN=Loose' });
    await saveToStore(dir, g, ctxWith({}));
    await chmod(dir, 0o755);
    const reader = ctxWith({});
    assert.ok(await loadFromStore(dir, g.info.thumbprint, reader));
    assert.equal(await mode(dir), 0o755);
    assert.match(reader.err(), /is mode 755; it should be 700/);
    const writer = ctxWith({});
    await saveToStore(dir, g, writer);
    assert.equal(await mode(dir), 0o700);
    assert.match(writer.err(), /was mode 755; set it to 700/);
  });
});

test('two concurrent first saves into a new store agree on one store key', async () => {
  await withTempDir(async (tmp) => {
    const dir = join(tmp, 'store');
    const [a, b] = await Promise.all([generateSelfSigned({ subject: 'CN=A' }), generateSelfSigned({ subject: 'CN=B' })]);
    await Promise.all([saveToStore(dir, a, ctxWith({})), saveToStore(dir, b, ctxWith({}))]);
    assert.ok(await loadFromStore(dir, a.info.thumbprint, ctxWith({})));
    assert.ok(await loadFromStore(dir, b.info.thumbprint, ctxWith({})));
    assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
  });
});
