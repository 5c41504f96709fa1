import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';

const CONFIG = `// mine
{
  version: 1,
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' }, // inline
  portal: {
    url: 'https://old.abc.com:4443',
  },
}
`;

test('set-portal-url records the normalised URL and the REST API port; --json is the result', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'entra-portal.json5'), CONFIG);
    const r = await runMain(['set-portal-url', 'HTTPS://Portal.ABC.com:4443/', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(doc).sort(), ['changed', 'changes', 'config', 'created', 'diff', 'exitCode', 'extraRedirectUris', 'generatedAt', 'portal', 'previousUrl', 'schemaVersion', 'toolVersion', 'verb', 'warnings', 'whatIf']);
    assert.equal(doc.previousUrl, 'https://old.abc.com:4443');
    assert.match(doc.warnings.join('\n'), /https:\/\/old\.abc\.com:4443 is no longer the portal URL: .*apply --prune/);
    assert.equal(doc.verb, 'set-portal-url');
    assert.equal(doc.config, join(dir, 'entra-portal.json5'));
    assert.deepEqual(doc.portal, { url: 'https://portal.abc.com:4443', restApiPort: 4443, host: 'portal.abc.com', hostKind: 'dns' });
    assert.deepEqual(doc.changes, [
      { path: 'portal.url', before: 'https://old.abc.com:4443', after: 'https://portal.abc.com:4443' },
      { path: 'portal.restApiPort', after: 4443 },
    ]);
    assert.equal(
      await readFile(join(dir, 'entra-portal.json5'), 'utf8'),
      CONFIG.replace("    url: 'https://old.abc.com:4443',\n", "    url: 'https://portal.abc.com:4443',\n    restApiPort: 4443,\n"),
    );
    // idempotent: the same run again changes nothing
    const again = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--json'], { cwd: dir });
    assert.equal(again.code, 0);
    assert.equal(JSON.parse(again.stdout).changed, false);
  });
});

test('human output says what changed in which file; warnings go to stderr', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['set-portal-url', 'https://192.168.1.20:4443'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created entra-portal\.json5\n/);
    assert.match(r.stdout, /\+ portal\.url: 'https:\/\/192\.168\.1\.20:4443'/);
    assert.match(r.stderr, /warning: 192\.168\.1\.20 is a private address/);
    const again = await runMain(['set-portal-url', 'https://192.168.1.20:4443', '--quiet'], { cwd: dir });
    assert.match(again.stdout, /already up to date/);
  });
});

test('--rest-api-port: the URL must use it; it is recorded', async () => {
  await withTempDir(async (dir) => {
    const r = await runMain(['set-portal-url', 'https://portal.abc.com:9443', '--rest-api-port', '9443', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(join(dir, 'entra-portal.json5'), 'utf8'), /url: 'https:\/\/portal\.abc\.com:9443',\n {4}restApiPort: 9443,/);
    // the recorded port is used when none is given
    const next = await runMain(['set-portal-url', 'https://other.abc.com:9443'], { cwd: dir });
    assert.equal(next.code, 0, next.stderr);
    const mismatch = await runMain(['set-portal-url', 'https://other.abc.com:4443'], { cwd: dir });
    assert.equal(mismatch.code, 65, 'a well-formed URL the file refuses: its port is not the recorded REST API port');
    assert.match(mismatch.stderr, /not the REST API port \(9443\)/);
  });
});

test('bad URLs on the command line exit 64 with a corrected example; the file stays byte-identical', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, CONFIG);
    for (const [url, reason] of [
      ['http://portal.abc.com:4443', /HTTPS only/],
      ['https://1.2.3:4443', /not an IPv4 address/],
      ['https://portal.abc.com', /no port/],
      ['https://my_portal.abc.com:4443', /contains '_'/],
      ['https://[::1]:4443', /IPv6/],
      ['https://portal.abc.com:4443/restore', /path/],
      // hosts WHATWG's URL refuses: named as the fault (they were "port 4443 is not the REST API port (443)")
      ['https://portal\u0007.abc.com:4443', /the host name 'portal\\x07\.abc\.com' contains '\\x07'/],
      ['https://portal\u202e.abc.com:4443', /'portal\\u202e\.abc\.com' is not a valid internationalised domain name/],
    ] as const) {
      const r = await runMain(['set-portal-url', url], { cwd: dir });
      assert.equal(r.code, 64, `${url}: ${r.stderr}`);
      assert.match(r.stderr, reason);
      assert.match(r.stderr, /hint: For example: https:\/\//);
      assert.equal(r.stdout, '');
    }
    const json = await runMain(['set-portal-url', 'ftp://x.y:4443', '--json'], { cwd: dir });
    assert.equal(json.code, 64);
    assert.equal(JSON.parse(json.stdout).error.code, 'invalid-url');
    assert.equal(await readFile(file, 'utf8'), CONFIG);
    assert.deepEqual(await readdir(dir), ['entra-portal.json5']);
  });
});

test('usage errors exit 64: a non-numeric port, a missing URL, an unknown option', async () => {
  await withTempDir(async (dir) => {
    const nan = await runMain(['set-portal-url', 'https://a.b:4443', '--rest-api-port', 'abc'], { cwd: dir });
    assert.equal(nan.code, 64);
    assert.match(nan.stderr, /--rest-api-port must be a port number from 1 to 65535, not "abc"/);
    const twice = await runMain(['set-portal-url', 'https://a.b:4443', '--rest-api-port', '1', '--rest-api-port', '2'], { cwd: dir });
    assert.equal(twice.code, 64);
    assert.equal((await runMain(['set-portal-url'], { cwd: dir })).code, 64);
    assert.equal((await runMain(['set-portal-url', 'https://a.b:4443', '--bogus'], { cwd: dir })).code, 64);
    const range = await runMain(['set-portal-url', 'https://a.b:70000', '--rest-api-port', '70000'], { cwd: dir });
    assert.equal(range.code, 64, 'a value the option does not take is a usage error, whatever its form');
    assert.deepEqual(await readdir(dir), [], 'nothing created');
  });
});

test('--what-if prints a unified diff and writes nothing', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, CONFIG);
    const r = await runMain(['set-portal-url', 'https://new.abc.com:4443', '--what-if'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/entra-portal\.json5\n\+\+\+ b\/entra-portal\.json5\n@@ /);
    assert.match(r.stdout, /\n- {4}url: 'https:\/\/old\.abc\.com:4443',\n\+ {4}url: 'https:\/\/new\.abc\.com:4443',\n\+ {4}restApiPort: 4443,\n/);
    assert.match(r.stderr, /nothing was written/);
    assert.equal(await readFile(file, 'utf8'), CONFIG);
    const json = JSON.parse((await runMain(['set-portal-url', 'https://new.abc.com:4443', '--what-if', '--json'], { cwd: dir })).stdout);
    assert.equal(json.whatIf, true);
    assert.equal(json.changed, true);
    assert.match(json.diff, /^--- a\/entra-portal\.json5/);
    assert.equal(await readFile(file, 'utf8'), CONFIG);
    assert.deepEqual(await readdir(dir), ['entra-portal.json5']);
  });
});

test('-c and $ENTRA_PORTAL_CONFIG choose the file', async () => {
  await withTempDir(async (dir) => {
    const a = await runMain(['set-portal-url', 'https://a.example:4443', '-c', 'conf/a.json5'], { cwd: dir });
    assert.equal(a.code, 0, a.stderr);
    assert.match(await readFile(join(dir, 'conf/a.json5'), 'utf8'), /a\.example/);
    const b = await runMain(['set-portal-url', 'https://b.example:4443'], { cwd: dir, env: { ENTRA_PORTAL_CONFIG: 'b.json5' } });
    assert.equal(b.code, 0, b.stderr);
    assert.match(await readFile(join(dir, 'b.json5'), 'utf8'), /b\.example/);
  });
});

test('an invalid config file is reported at file:line:col and left alone', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    const bad = "{\n  version: 1,\n  portal: { url: 'https://a.example:4443', colour: 'red' },\n}\n";
    await writeFile(file, bad);
    const r = await runMain(['set-portal-url', 'https://b.example:4443'], { cwd: dir });
    assert.equal(r.code, 65);
    assert.match(r.stderr, /entra-portal\.json5:3:44: portal\.colour: unknown key 'colour' in portal/);
    assert.equal(await readFile(file, 'utf8'), bad);
  });
});

test('--apply against the embedded emulator; --what-if --apply plans with the would-be file and writes nothing', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    const opts = { cwd: dir, timeoutMs: 180_000 };
    const created = await runMain(['new-app', '--name', 'Portal E2E', '--region', 'Emulator', '--apply', '--json'], opts);
    assert.equal(created.code, 0, created.stderr);
    assert.match(JSON.parse(created.stdout).apply.config, /entra-portal\.json5$/);
    const before = await readFile(file, 'utf8');
    assert.match(before, /appId: '[0-9a-f-]{36}'/, 'apply recorded the appId through editConfig');

    const planned = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--apply', '--what-if', '--json'], opts);
    assert.equal(planned.code, 0, planned.stderr);
    const doc = JSON.parse(planned.stdout);
    assert.equal(doc.whatIf, true);
    assert.equal(doc.apply.inSync, false, 'apply saw the new portal URL although the file was not written');
    assert.equal(doc.apply.config, file);
    assert.match(JSON.stringify(doc.apply), /https:\/\/portal\.abc\.com:4443/);
    assert.equal(await readFile(file, 'utf8'), before);
    assert.ok(!(await readdir(dir)).some((f) => f.includes('what-if')), 'the temporary copy is removed');

    const applied = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--apply', '--json'], opts);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(JSON.parse(applied.stdout).changed, true);
    const again = await runMain(['set-portal-url', 'https://portal.abc.com:4443', '--apply', '--json'], opts);
    assert.equal(again.code, 0, again.stderr);
    const last = JSON.parse(again.stdout);
    assert.equal(last.changed, false);
    assert.equal(last.apply.inSync, true);
  });
});
