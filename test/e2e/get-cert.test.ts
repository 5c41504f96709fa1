/**
 * get-cert through the CLI in-process: an empty store; entries with subject, dates, days left, key
 * size, private key, and which config certificate uses them (current, previous during a rotation);
 * --thumbprint; --json matches its schema; a terminal-hostile subject is escaped in the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';

test('get-cert: empty store, then current and previous marked, key sizes, days left; --thumbprint; --json schema', async () => {
  await withTempDir(async (dir) => {
    const run = (args: string[]) => runMain(args, { cwd: dir });
    const empty = await run(['get-cert']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^The store \.xdg\/entra-portal\/store holds no certificate\.\n$/);

    await writeFile(join(dir, 'entra-portal.json5'), "{ version: 1, application: { name: 'Listed Portal' } }\n");
    const first = JSON.parse((await run(['install-cert', '--generate', '--validity-days', '20', '--json'])).stdout).certificate.thumbprint as string;
    const second = JSON.parse((await run(['rotate-cert', '--generate', '--key-size', '3072', '--subject', 'CN=evil\u001b[2Jname', '--json'])).stdout).certificate.thumbprint as string;

    const r = await run(['get-cert', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assertMatchesSchema('envelope.schema.json', doc);
    assert.equal(doc.store, join(dir, '.xdg', 'entra-portal', 'store'));
    const config = join(dir, 'entra-portal.json5');
    const byThumbprint = Object.fromEntries((doc.certificates as { thumbprint: string; keySize: number; usedBy: unknown }[]).map((c) => [c.thumbprint, c]));
    assert.deepEqual(
      { ...byThumbprint[first], notBefore: undefined, notAfter: undefined },
      { thumbprint: first, subject: 'CN=Listed Portal', issuer: 'CN=Listed Portal', notBefore: undefined, notAfter: undefined, daysLeft: 19, keySize: 2048, hasPrivateKey: true, usedBy: [{ config, role: 'previous' }] },
    );
    assert.equal(byThumbprint[second]?.keySize, 3072);
    assert.deepEqual(byThumbprint[second]?.usedBy, [{ config, role: 'current' }]);

    const human = await run(['get-cert']);
    assert.match(human.stdout, /^Store \.xdg\/entra-portal\/store\nTHUMBPRINT +SUBJECT +NOT AFTER +DAYS +KEY +PRIVATE +USED BY\n/);
    assert.match(human.stdout, new RegExp(`${first}  CN=Listed Portal +\\d{4}-\\d\\d-\\d\\d +19  2048  yes +entra-portal\\.json5 \\(previous\\)`));
    assert.ok(/CN=evil\\(x1b|1B)\[2Jname/i.test(human.stdout), 'control characters escaped');
    assert.ok(!human.stdout.includes('\u001b'));

    const one = JSON.parse((await run(['get-cert', '--thumbprint', first.toLowerCase(), '--json'])).stdout);
    assert.deepEqual(one.certificates.map((c: { thumbprint: string }) => c.thumbprint), [first]);
    const missing = await run(['get-cert', '--thumbprint', 'AB'.repeat(20)]);
    assert.equal(missing.code, 65, missing.stderr);
    const namedMissing = await run(['get-cert', '-c', 'nope.json5']);
    assert.equal(namedMissing.code, 65, 'a named config that is missing is an error');
  });
});
