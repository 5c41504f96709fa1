/**
 * A table of hostile inputs — configs from git, certificate and PFX files, stores, links, FIFOs,
 * devices, arguments and environment — each run through the CLI in-process. Every case must exit
 * 64 or 65 (never 1, never 2, never a hang or a crash), say where or what (file:line:col, or the
 * name of the file, option or host), and leave the folder byte-identical with no new file.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateSelfSigned } from '../../src/certs/generate.js';
import { writePfx } from '../../src/certs/pfx.js';
import { snapshot } from '../fixtures/snapshot.js';
import { runMain, withTempDir } from '../helpers/cli.js';

type FileSpec = string | Buffer | { link: string } | { fifo: true } | { dir: true };

interface Case {
  name: string;
  files: Record<string, FileSpec>;
  args?: string[];
  env?: Record<string, string>;
  input?: string;
  code: 64 | 65;
  /** where (file:line:col) or what (a file, option or host name) */
  says: RegExp;
}

const CONFIG = 'entra-portal.json5';
const STORE = '.xdg/entra-portal/store';

/** A valid Worldwide config, with `extra` lines inside the root object. */
const config = (extra = '') => `{
  // a config from git
  version: 1,
  tenant: 'contoso.onmicrosoft.com',
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },${extra}
}
`;
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const withCert = (file: string, thumbprint = 'A'.repeat(40)) => config(`\n  certificate: { thumbprint: '${thumbprint}', file: '${file}' },`);
const custom = (login: string, graph: string) => config(`\n  endpoints: { login: '${login}', graph: '${graph}' },`);
const huge = (n: number) => Buffer.alloc(n, 0x20);

let pfx: Buffer;
let cer: Buffer;
let thumbprint: string;
before(async () => {
  const g = await generateSelfSigned({ subject: 'CN=Hostile Table' });
  cer = Buffer.from(g.info.derBase64, 'base64');
  thumbprint = g.info.thumbprint;
  pfx = await writePfx({ keyPem: g.keyPem, certsDer: [cer], password: 'right password' });
});

/** Built after `before` (the PFX and certificate exist then). */
function cases(): Case[] {
  const storeKeyMode = JSON.stringify({ version: 1, protection: 'store-key' });
  return [
    // --- encoding: strict UTF-8, located, with how to convert
    { name: 'Windows-1252 byte in a comment', files: { [CONFIG]: bytes('{\n  version: 1, // Caf', [0xe9], '\n}\n') }, code: 65, says: /entra-portal\.json5:2:21: byte 0xE9 is not UTF-8 \('é' in Windows-1252\)/ },
    { name: 'Latin-1 byte in a value', files: { [CONFIG]: bytes("{\n  version: 1,\n  tenant: 'caf", [0xe9], "',\n}\n") }, code: 65, says: /entra-portal\.json5:3:15: byte 0xE9/ },
    { name: 'UTF-16LE with BOM', files: { [CONFIG]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(config(), 'utf16le')]) }, code: 65, says: /entra-portal\.json5:1:1: UTF-16 byte-order mark/ },
    { name: 'UTF-16BE with BOM', files: { [CONFIG]: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(config(), 'utf16le').swap16()]) }, code: 65, says: /entra-portal\.json5:1:1: UTF-16/ },
    { name: 'stray continuation byte', files: { [CONFIG]: bytes([0x80], config()) }, code: 65, says: /entra-portal\.json5:1:1: byte 0x80/ },
    { name: 'overlong encoding of "/"', files: { [CONFIG]: bytes('{ version: 1, tenant: ', [0xc0, 0xaf], ' }') }, code: 65, says: /entra-portal\.json5:1:23: byte 0xC0/ },
    { name: 'UTF-8-encoded surrogate', files: { [CONFIG]: bytes("{ version: 1, tenant: '", [0xed, 0xa0, 0x80], "' }") }, code: 65, says: /entra-portal\.json5:1:24: byte 0xED/ },
    { name: 'multibyte character cut at the end', files: { [CONFIG]: bytes('{ version: 1 } // ', [0xe2, 0x98]) }, code: 65, says: /entra-portal\.json5:1:19: byte 0xE2/ },
    // --- size and depth caps before parsing
    { name: '3000 levels of arrays', files: { [CONFIG]: `{ version: 1, x: ${'['.repeat(3000)}${']'.repeat(3000)} }` }, code: 65, says: /entra-portal\.json5:1:49: nesting deeper than 32 levels/ },
    { name: '3000 levels of objects', files: { [CONFIG]: `{ version: 1, x: ${'{a:'.repeat(3000)}1${'}'.repeat(3000)} }` }, code: 65, says: /entra-portal\.json5:1:\d+: nesting deeper than 32/ },
    { name: '3000 levels of arrays (test-portal: 65, not "the portal is down")', files: { [CONFIG]: `{ version: 1, x: ${'['.repeat(3000)}${']'.repeat(3000)} }` }, args: ['test-portal', '--timeout', '1'], code: 65, says: /entra-portal\.json5:1:49: nesting deeper than 32 levels/ },
    { name: 'lone surrogate (test-portal)', files: { [CONFIG]: config().replace("'Veeam Restore Portal'", "'Caf\\uD800'") }, args: ['test-portal', '--timeout', '1'], code: 65, says: /entra-portal\.json5:5:24: application\.name: contains a lone surrogate/ },
    { name: 'a 20 MB string', files: { [CONFIG]: `{ version: 1, tenant: '${'x'.repeat(20 * 1024 * 1024)}' }` }, code: 65, says: /entra-portal\.json5 is 20 MiB; the limit is 1 MiB/ },
    { name: 'just over 1 MiB of white space', files: { [CONFIG]: Buffer.concat([Buffer.from('{ version: 1 }'), huge(1024 * 1024)]) }, code: 65, says: /entra-portal\.json5 is 1 MiB; the limit is 1 MiB/ },
    // --- strings that are not text
    { name: 'lone high surrogate in the name', files: { [CONFIG]: config().replace("'Veeam Restore Portal'", "'Caf\\uD800'") }, code: 65, says: /entra-portal\.json5:5:24: application\.name: contains a lone surrogate/ },
    { name: 'lone low surrogate in uniqueName', files: { [CONFIG]: config().replace("'veeam-restore-portal'", "'x\\uDC00'") }, code: 65, says: /entra-portal\.json5:5:60: application\.uniqueName: contains a lone surrogate/ },
    { name: 'OSC escape in the name', files: { [CONFIG]: config().replace("'Veeam Restore Portal'", "'P\\u001b]0;pwned\\u0007'") }, code: 65, says: /entra-portal\.json5:5:24: application\.name: contains a control character \(U\+001B\)/ },
    { name: 'NUL in a key', files: { [CONFIG]: config("\n  'a\\u0000b': 1,") }, code: 65, says: /entra-portal\.json5:7:3: a key contains a control character \(U\+0000\)/ },
    { name: 'BEL in the portal URL', files: { [CONFIG]: config().replace('portal.abc.com:4443', 'portal.abc.com\\u0007:4443') }, code: 65, says: /entra-portal\.json5:6:18: portal\.url: contains a control character/ },
    // --- syntax and schema
    { name: 'unclosed string', files: { [CONFIG]: "{\n  version: 1,\n  tenant: 'contoso,\n}\n" }, code: 65, says: /entra-portal\.json5:3:\d+: syntax error/ },
    { name: 'missing comma', files: { [CONFIG]: "{\n  version: 1\n  tenant: 'contoso.onmicrosoft.com'\n}\n" }, code: 65, says: /entra-portal\.json5:3:3: syntax error: expected ','/ },
    { name: 'empty file', files: { [CONFIG]: '' }, code: 65, says: /entra-portal\.json5:\d+:\d+: syntax error/ },
    { name: 'an array, not an object', files: { [CONFIG]: '[1, 2]\n' }, code: 65, says: /entra-portal\.json5:1:1: the config must be an object/ },
    { name: 'version 2', files: { [CONFIG]: config().replace('version: 1', 'version: 2') }, code: 65, says: /entra-portal\.json5:3:12: version/ },
    { name: 'the file trying to trust its own endpoints', files: { [CONFIG]: config("\n  trustedEndpoints: ['login.evil.example'],") }, code: 65, says: /entra-portal\.json5:7:3: trustedEndpoints/ },
    { name: 'duplicate key', files: { [CONFIG]: config("\n  tenant: 'fabrikam.onmicrosoft.com',") }, code: 65, says: /entra-portal\.json5:7:3: tenant: duplicate key/ },
    { name: 'http portal URL', files: { [CONFIG]: config().replace('https://portal', 'http://portal') }, code: 65, says: /entra-portal\.json5:6:18: portal\.url/ },
    { name: 'region Germany', files: { [CONFIG]: config("\n  region: 'Germany',") }, code: 65, says: /entra-portal\.json5:7:11: region/ },
    { name: 'unknown region', files: { [CONFIG]: config("\n  region: 'Atlantis',") }, code: 65, says: /entra-portal\.json5:7:11: region/ },
    { name: 'thumbprint not hex', files: { [CONFIG]: withCert('certs/x.cer', 'ZZ'.repeat(20)), 'certs/x.cer': cer }, code: 65, says: /entra-portal\.json5:7:30: certificate\.thumbprint/ },
    // --- the config file itself
    { name: 'config is a folder', files: { [CONFIG]: { dir: true } }, code: 65, says: /entra-portal\.json5 is a folder, not a regular file/ },
    { name: 'config is a FIFO (never waits on it)', files: { [CONFIG]: { fifo: true } }, code: 65, says: /entra-portal\.json5 is a named pipe \(FIFO\)/ },
    { name: 'config is a link to /dev/zero', files: { [CONFIG]: { link: '/dev/zero' } }, code: 65, says: /entra-portal\.json5 is a device/ },
    { name: '-c /dev/zero', files: {}, args: ['apply', '--what-if', '-c', '/dev/zero'], code: 65, says: /\/dev\/zero is a device/ },
    { name: '-c naming a missing file', files: {}, args: ['apply', '--what-if', '-c', 'nowhere.json5'], code: 65, says: /nowhere\.json5 does not exist/ },
    { name: 'config lock is a link (never written through)', files: { [CONFIG]: config(), 'victim.txt': 'precious', [`${CONFIG}.lock`]: { link: 'victim.txt' } }, args: ['set-portal-url', 'https://new.abc.com:4443'], code: 65, says: /entra-portal\.json5\.lock is a symbolic link/ },
    { name: 'config lock is a FIFO', files: { [CONFIG]: config(), [`${CONFIG}.lock`]: { fifo: true } }, args: ['set-portal-url', 'https://new.abc.com:4443'], code: 65, says: /entra-portal\.json5\.lock is a named pipe/ },
    // --- custom endpoints: credentials only where the run trusts
    { name: 'untrusted custom endpoints (apply --what-if)', files: { [CONFIG]: custom('https://login.evil.example', 'https://graph.evil.example') }, env: { AZURE_CLIENT_SECRET: 'ci-secret' }, code: 65, says: /not trusted: login\.evil\.example, graph\.evil\.example/ },
    { name: 'untrusted custom endpoints (test-portal)', files: { [CONFIG]: custom('https://login.evil.example', 'https://graph.evil.example') }, args: ['test-portal', '--timeout', '1'], code: 65, says: /not trusted: login\.evil\.example/ },
    { name: 'untrusted custom endpoints (set-portal-url --apply)', files: { [CONFIG]: custom('https://login.evil.example', 'https://graph.evil.example') }, args: ['set-portal-url', 'https://portal.abc.com:4443', '--apply', '--what-if'], code: 65, says: /not trusted: login\.evil\.example/ },
    { name: 'trusting another port is not trusting this one', files: { [CONFIG]: custom('https://login.evil.example:8443', 'https://login.evil.example:8443') }, args: ['apply', '--what-if', '--trust-endpoint', 'login.evil.example:443'], code: 65, says: /not trusted: login\.evil\.example:8443/ },
    { name: 'custom endpoint over http', files: { [CONFIG]: custom('http://login.evil.example', 'https://graph.evil.example') }, code: 65, says: /endpoints\.login/ },
    { name: 'custom endpoint with user info', files: { [CONFIG]: custom('https://user:pw@login.evil.example', 'https://graph.evil.example') }, code: 65, says: /endpoints\.login/ },
    { name: 'a bad $ENTRA_PORTAL_TRUSTED_ENDPOINTS entry', files: { [CONFIG]: custom('https://login.evil.example', 'https://graph.evil.example') }, env: { ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'https://login.evil.example/path' }, code: 64, says: /\$ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'https:\/\/login\.evil\.example\/path' is not a host name/ },
    // --- certificate.file
    { name: 'certificate.file: /dev/zero', files: { [CONFIG]: withCert('/dev/zero') }, code: 65, says: /\/dev\/zero is a device/ },
    { name: 'certificate.file: a FIFO', files: { [CONFIG]: withCert('certs/fifo.cer'), 'certs/fifo.cer': { fifo: true } }, code: 65, says: /fifo\.cer is a named pipe/ },
    { name: 'certificate.file: 2 MiB', files: { [CONFIG]: withCert('certs/big.cer'), 'certs/big.cer': huge(2 * 1024 * 1024) }, code: 65, says: /big\.cer is 2 MiB; the limit is 1 MiB/ },
    { name: 'certificate.file: a folder', files: { [CONFIG]: withCert('certs'), 'certs/x': 'x' }, code: 65, says: /certs is a folder/ },
    { name: 'certificate.file: garbage', files: { [CONFIG]: withCert('certs/junk.cer'), 'certs/junk.cer': 'not a certificate' }, code: 65, says: /junk\.cer: not an X\.509 certificate/ },
    { name: 'certificate.file: missing', files: { [CONFIG]: withCert('certs/gone.cer') }, code: 65, says: /gone\.cer/ },
    { name: 'certificate.file holds another certificate', files: { [CONFIG]: withCert('certs/x.cer'), 'certs/x.cer': cer }, code: 65, says: /certificate\.thumbprint/ },
    // --- PFX files (install-cert --pfx)
    { name: '--pfx /dev/zero', files: { [CONFIG]: config() }, args: ['install-cert', '--pfx', '/dev/zero'], code: 65, says: /\/dev\/zero is a device/ },
    { name: '--pfx a FIFO', files: { [CONFIG]: config(), 'in.pfx': { fifo: true } }, args: ['install-cert', '--pfx', 'in.pfx'], code: 65, says: /in\.pfx is a named pipe/ },
    { name: '--pfx 2 MiB', files: { [CONFIG]: config(), 'big.pfx': huge(2 * 1024 * 1024) }, args: ['install-cert', '--pfx', 'big.pfx'], code: 65, says: /big\.pfx is 2 MiB/ },
    { name: '--pfx a folder', files: { [CONFIG]: config(), 'd.pfx/x': 'x' }, args: ['install-cert', '--pfx', 'd.pfx'], code: 65, says: /d\.pfx is a folder/ },
    { name: '--pfx missing', files: { [CONFIG]: config() }, args: ['install-cert', '--pfx', 'nowhere.pfx'], code: 65, says: /nowhere\.pfx/ },
    { name: '--pfx garbage', files: { [CONFIG]: config(), 'junk.pfx': 'not a pfx at all' }, args: ['install-cert', '--pfx', 'junk.pfx', '--password-env', 'PW'], env: { PW: 'x' }, code: 65, says: /junk\.pfx/ },
    { name: '--pfx truncated', files: { [CONFIG]: config(), 'cut.pfx': pfx.subarray(0, pfx.length >> 1) }, args: ['install-cert', '--pfx', 'cut.pfx', '--password-env', 'PW'], env: { PW: 'right password' }, code: 65, says: /cut\.pfx/ },
    { name: '--pfx wrong password', files: { [CONFIG]: config(), 'in.pfx': pfx }, args: ['install-cert', '--pfx', 'in.pfx', '--password-env', 'PW'], env: { PW: 'wrong' }, code: 65, says: /in\.pfx/ },
    { name: '--pfx encrypted, no password source and no terminal', files: { [CONFIG]: config(), 'in.pfx': pfx }, args: ['install-cert', '--pfx', 'in.pfx'], code: 64, says: /in\.pfx is password-protected/ },
    { name: '--password-stdin with 100 KiB on stdin', files: { [CONFIG]: config(), 'in.pfx': pfx }, args: ['install-cert', '--pfx', 'in.pfx', '--password-stdin'], input: 'y\n'.repeat(50 * 1024), code: 65, says: /--password-stdin: stdin holds more than 64 KiB/ },
    { name: '--password-env naming an unset variable', files: { [CONFIG]: config(), 'in.pfx': pfx }, args: ['install-cert', '--pfx', 'in.pfx', '--password-env', 'NOT_SET'], code: 64, says: /NOT_SET/ },
    { name: '--password-env not a variable name', files: { [CONFIG]: config(), 'in.pfx': pfx }, args: ['install-cert', '--pfx', 'in.pfx', '--password-env', 'pw=1'], code: 64, says: /--password-env/ },
    // --- the certificate store
    { name: 'store/.store-key is a link', files: { [CONFIG]: config(), 'victim.txt': 'shared', [`${STORE}/store.json`]: storeKeyMode, [`${STORE}/.store-key`]: { link: '../../../victim.txt' } }, args: ['install-cert', '--generate'], code: 65, says: /\.store-key is a symbolic link/ },
    { name: 'store/store.json is a link to /dev/zero', files: { [CONFIG]: config(), [`${STORE}/store.json`]: { link: '/dev/zero' } }, args: ['install-cert', '--generate'], code: 65, says: /store\.json is a symbolic link/ },
    { name: 'store/store.json is garbage', files: { [CONFIG]: config(), [`${STORE}/store.json`]: '{ not json' }, args: ['install-cert', '--generate'], code: 65, says: /store\.json is not a valid store description/ },
    { name: 'store/<T>.pfx is a link', files: { [CONFIG]: config(), 'victim.pfx': pfx, [`${STORE}/store.json`]: storeKeyMode, [`${STORE}/.store-key`]: 'k', [`${STORE}/${thumbprint}.pfx`]: { link: '../../../victim.pfx' } }, args: ['install-cert', '--thumbprint', thumbprint], code: 65, says: new RegExp(`${thumbprint}\\.pfx is a symbolic link`) },
    // --- arguments
    { name: 'unknown verb', files: {}, args: ['aply'], code: 64, says: /aply/ },
    { name: 'unknown option', files: { [CONFIG]: config() }, args: ['apply', '--what-if', '--purge'], code: 64, says: /--purge|purge/ },
    { name: '--propagation-timeout abc', files: { [CONFIG]: config() }, args: ['apply', '--propagation-timeout', 'abc'], code: 64, says: /--propagation-timeout/ },
    { name: '--propagation-timeout 0', files: { [CONFIG]: config() }, args: ['apply', '--propagation-timeout', '0'], code: 64, says: /--propagation-timeout/ },
    { name: '--trust-endpoint with a path', files: { [CONFIG]: config() }, args: ['apply', '--what-if', '--trust-endpoint', 'https://h.example/x'], code: 64, says: /--trust-endpoint: 'https:\/\/h\.example\/x' is not a host name/ },
    { name: '-c empty', files: { [CONFIG]: config() }, args: ['apply', '-c', ''], code: 64, says: /-c\/--config is empty/ },
    { name: 'test-portal --timeout soon', files: { [CONFIG]: config() }, args: ['test-portal', '--timeout', 'soon'], code: 64, says: /--timeout/ },
    { name: 'install-cert --key-size 1024', files: { [CONFIG]: config() }, args: ['install-cert', '--generate', '--key-size', '1024'], code: 64, says: /--key-size/ },
    { name: 'install-cert --thumbprint not hex', files: { [CONFIG]: config() }, args: ['install-cert', '--thumbprint', 'xyz'], code: 64, says: /--thumbprint "xyz"/ },
    { name: 'install-cert --generate and --pfx', files: { [CONFIG]: config(), 'in.pfx': pfx }, args: ['install-cert', '--generate', '--pfx', 'in.pfx'], code: 64, says: /--generate|--pfx/ },
    { name: 'set-portal-url http', files: { [CONFIG]: config() }, args: ['set-portal-url', 'http://portal.abc.com:4443'], code: 64, says: /http:\/\/portal\.abc\.com:4443/ },
    { name: 'set-portal-url with an escape sequence', files: { [CONFIG]: config() }, args: ['set-portal-url', 'https://portal\x1b]0;x\x07.com:4443'], code: 64, says: /\\x1b\]0;x\\x07/ },
    { name: 'new-app --name with an escape sequence', files: { [CONFIG]: config() }, args: ['new-app', '--name', 'Evil\x1b[2J', '--force'], code: 64, says: /--name contains a control character \(U\+001B\)/ },
    { name: 'set-app --app-id not a GUID', files: { [CONFIG]: config() }, args: ['set-app', '--app-id', 'not-a-guid'], code: 64, says: /not-a-guid/ },
    // --- the embedded emulator's own files (never followed)
    { name: 'emulator state is a link to /dev/zero', files: { [CONFIG]: config("\n  region: 'Emulator',"), '.entra-portal/emulator-state.json': { link: '/dev/zero' } }, code: 65, says: /emulator-state\.json is a symbolic link/ },
  ];
}

async function lay(dir: string, files: Record<string, FileSpec>): Promise<void> {
  for (const [rel, spec] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) await writeFile(path, spec);
    else if ('link' in spec) await symlink(spec.link, path);
    else if ('fifo' in spec) execFileSync('mkfifo', [path]);
    else await mkdir(path, { recursive: true });
  }
  // a store is 0700 (a wider one would be tightened, which is a change)
  await chmod(join(dir, STORE), 0o700).catch(() => undefined);
}

test('hostile inputs: 64 or 65, a location or a name in the message, and the folder untouched', { timeout: 300_000 }, async () => {
  const table = cases();
  assert.ok(table.length >= 60, `${table.length} cases`);
  const failures: string[] = [];
  for (const c of table) {
    await withTempDir(async (dir) => {
      await lay(dir, c.files);
      const before = await snapshot(dir);
      const r = await runMain(c.args ?? ['apply', '--what-if'], { cwd: dir, env: c.env ?? {}, ...(c.input !== undefined ? { input: c.input } : {}) });
      const said = `${r.stderr}${r.stdout}`;
      const problems = [
        r.code !== c.code && `exit ${r.code}, expected ${c.code}`,
        !c.says.test(said) && `message does not match ${c.says}`,
        /    at |RangeError|stack overflow|URI malformed/.test(said) && 'a stack or a crash in the output',
      ].filter(Boolean);
      const after = await snapshot(dir);
      if (JSON.stringify([...after]) !== JSON.stringify([...before])) {
        const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
        problems.push(`the folder changed: ${changed.join(', ')}`);
      }
      if (problems.length) failures.push(`${c.name}: ${problems.join('; ')}\n    ${said.trim().split('\n').slice(0, 4).join('\n    ')}`);
    });
  }
  assert.deepEqual(failures, [], `${failures.length} of ${table.length} cases failed:\n${failures.join('\n')}`);
});
