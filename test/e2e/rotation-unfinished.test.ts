/**
 * A rotation started because the certificate expires soon, and not finished: VB365 may still sign
 * in with the outgoing key. While that key nears its end, apply and test-portal warn (naming the
 * step that is left) instead of calling the certificates healthy; once finished, nothing to say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult as Check } from '../../src/checks/types.js';
import { runMain, withTempDir } from '../helpers/cli.js';


test('an unfinished rotation whose outgoing certificate expires within --warn-days warns in apply and test-portal; finished, it passes', async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, 'entra-portal.json5'),
      "{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Unfinished', uniqueName: 'unfinished', multiTenant: false }, portal: { url: 'https://127.0.0.1:9', restApiPort: 9 } }\n",
    );
    const run = (...args: string[]) => runMain(args, { cwd: dir });
    assert.equal((await run('install-cert', '--generate', '--validity-days', '10')).code, 0);
    assert.equal((await run('apply')).code, 0);
    assert.equal((await run('rotate-cert', '--generate', '--apply')).code, 0);

    const drift = await run('apply', '--what-if', '--detailed-exitcode');
    assert.equal(drift.code, 0, 'a warning, not drift');
    assert.match(drift.stderr, /warning: .*rotation is not finished: the outgoing certificate [0-9A-F]{40} .*expires in 9 days/);

    const entra = async () => (JSON.parse((await run('test-portal', '--json', '--timeout', '1')).stdout).checks as Check[]).find((c) => c.id === 'entra.certificate')!;
    const warned = await entra();
    assert.equal(warned.status, 'warn', warned.message);
    assert.match(warned.message, /rotation is not finished/);
    assert.match(warned.remedy ?? '', /export-vb365.*rotate-cert --finish --apply/);

    assert.equal((await run('rotate-cert', '--finish', '--apply')).code, 0);
    assert.equal((await entra()).status, 'pass');
  });
});
