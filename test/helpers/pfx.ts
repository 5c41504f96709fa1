/**
 * PFX and certificate fixtures made by `openssl` during test setup (never committed blobs):
 * OpenSSL 3 defaults, -legacy, empty password, no MAC, a chain, no key, EC, weak RSA, PEM, DER,
 * truncated, expired and not-yet-valid. Async execFile only (an in-process server would deadlock
 * under execFileSync: docs/dependencies.md).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSelfSigned, writePfx } from '../../src/certs/index.js';

const run = promisify(execFile);

export async function openssl(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('openssl', args, { cwd, maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

/** `openssl x509 -fingerprint -sha1|-sha256` as 40/64 uppercase hex digits. */
export async function opensslFingerprint(certFile: string, alg: 'sha1' | 'sha256', cwd: string, inform: 'pem' | 'der' = 'pem'): Promise<string> {
  const out = await openssl(['x509', '-inform', inform, '-in', certFile, '-noout', '-fingerprint', `-${alg}`], cwd);
  return out.trim().split('=')[1]!.replace(/:/g, '').toUpperCase();
}

export const PFX_PASSWORD = 'S3cret pfx pässword!';

export interface Fixtures {
  dir: string;
  password: string;
  /** RSA-2048 self-signed, PEM */
  certPem: string;
  keyPem: string;
  certDer: string;
  /** OpenSSL 3 defaults: AES-256-CBC, PBKDF2, SHA-256 MAC */
  modern: string;
  /** -legacy: RC2-40 certificates, 3DES key, SHA-1 MAC */
  legacy: string;
  /** empty password */
  empty: string;
  /** no MAC (integrity only from the encryption) */
  nomac: string;
  /** leaf + intermediate + root, by openssl */
  chain: string;
  /** the same chain written with the leaf LAST (by forge) */
  chainLeafLast: string;
  chainLeafPem: string;
  /** certificates only */
  nokey: string;
  /** prime256v1 key */
  ec: string;
  /** RSA-1024 */
  weak: string;
  truncated: string;
  expired: string;
  notYetValid: string;
  /** a PEM file holding certificate + key (a common mistake for a PFX) */
  pemBundle: string;
}

export async function makeFixtures(dir: string): Promise<Fixtures> {
  const p = (n: string) => join(dir, n);
  const pw = `pass:${PFX_PASSWORD}`;
  const o = (args: string[]) => openssl(args, dir);
  const subj = (cn: string) => ['-subj', `/O=Entra Portal Tests/CN=${cn}`];

  await o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '400', ...subj('Fixture Portal')]);
  await o(['x509', '-in', 'cert.pem', '-outform', 'der', '-out', 'cert.der']);
  const exp = (out: string, extra: string[], pass = pw) =>
    o(['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', out, '-passout', pass, '-name', 'fixture', ...extra]);
  await Promise.all([
    exp('modern.pfx', []),
    exp('legacy.pfx', ['-legacy']),
    exp('empty.pfx', [], 'pass:'),
    exp('nomac.pfx', ['-nomac']),
    o(['pkcs12', '-export', '-nokeys', '-in', 'cert.pem', '-out', 'nokey.pfx', '-passout', pw]),
  ]);

  // a chain: root → intermediate → leaf
  await o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '400', ...subj('Fixture Root CA'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', ...subj('Fixture Intermediate CA')]);
  await writeFile(p('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  await o(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '400', '-extfile', 'ca.ext']);
  await o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', ...subj('Fixture Leaf')]);
  await writeFile(p('leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  await o(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '300', '-extfile', 'leaf.ext']);
  await writeFile(p('chain-extra.pem'), (await readFile(p('int.pem'), 'utf8')) + (await readFile(p('root.pem'), 'utf8')));
  await o(['pkcs12', '-export', '-in', 'leaf.pem', '-inkey', 'leaf.key', '-certfile', 'chain-extra.pem', '-out', 'chain.pfx', '-passout', pw]);
  const der = async (pemFile: string) => Buffer.from((await readFile(p(pemFile), 'utf8')).replace(/-----[^-]+-----|\s/g, ''), 'base64');
  await writeFile(
    p('chain-leaf-last.pfx'),
    await writePfx({ keyPem: await readFile(p('leaf.key'), 'utf8'), certsDer: [await der('int.pem'), await der('root.pem'), await der('leaf.pem')], password: PFX_PASSWORD }),
  );

  // EC and weak RSA keys
  await o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ec.key', '-out', 'ec.pem', '-days', '30', ...subj('EC')]);
  await o(['pkcs12', '-export', '-in', 'ec.pem', '-inkey', 'ec.key', '-out', 'ec.pfx', '-passout', pw]);
  await o(['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', 'weak.key', '-out', 'weak.pem', '-days', '30', ...subj('Weak')]);
  await o(['pkcs12', '-export', '-in', 'weak.pem', '-inkey', 'weak.key', '-out', 'weak.pfx', '-passout', pw]);

  // expired / not yet valid: forge-made certificates (openssl 3.0 cannot backdate), packed by openssl
  const day = 86_400_000;
  for (const [name, notBefore] of [['expired', new Date(Date.now() - 400 * day)], ['future', new Date(Date.now() + 10 * day)]] as const) {
    const g = await generateSelfSigned({ subject: `CN=${name}`, validityDays: 30, notBefore });
    await writeFile(p(`${name}.pem`), g.info.certPem);
    await writeFile(p(`${name}.key`), g.keyPem, { mode: 0o600 });
    await o(['pkcs12', '-export', '-in', `${name}.pem`, '-inkey', `${name}.key`, '-out', `${name}.pfx`, '-passout', pw]);
  }

  const modern = await readFile(p('modern.pfx'));
  await writeFile(p('truncated.pfx'), modern.subarray(0, Math.floor(modern.length / 2)));
  await writeFile(p('bundle.pem'), (await readFile(p('cert.pem'), 'utf8')) + (await readFile(p('key.pem'), 'utf8')));

  return {
    dir,
    password: PFX_PASSWORD,
    certPem: p('cert.pem'),
    keyPem: p('key.pem'),
    certDer: p('cert.der'),
    modern: p('modern.pfx'),
    legacy: p('legacy.pfx'),
    empty: p('empty.pfx'),
    nomac: p('nomac.pfx'),
    chain: p('chain.pfx'),
    chainLeafLast: p('chain-leaf-last.pfx'),
    chainLeafPem: p('leaf.pem'),
    nokey: p('nokey.pfx'),
    ec: p('ec.pfx'),
    weak: p('weak.pfx'),
    truncated: p('truncated.pfx'),
    expired: p('expired.pfx'),
    notYetValid: p('future.pfx'),
    pemBundle: p('bundle.pem'),
  };
}
