/**
 * The next steps the VB365 hand-off prints, as an operator with a config that is not
 * ./entra-portal.json5 copies them: each names that config (-c), the VB365 step appears when what
 * VB365 holds changed and not when only an old key left Entra, and apply's summary line reads right
 * when it changed nothing but kept an unmanaged item.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runMain, withTempDir } from '../helpers/cli.js';

test('rotation with -c servers/eu.json5: every next step names the config; retiring the old key asks nothing of VB365', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'servers'));
    await writeFile(
      join(dir, 'servers', 'eu.json5'),
      "{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Next EU', uniqueName: 'next-eu', multiTenant: false }, portal: { url: 'https://127.0.0.1:9', restApiPort: 9 } }\n",
    );
    const run = (...args: string[]) => runMain([...args, '-c', 'servers/eu.json5'], { cwd: dir, env: { PFX_PW: 'an export password' } });

    assert.equal((await run('install-cert', '--generate')).code, 0);
    const applied = await run('apply');
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Next, give VB365 the application and its certificate: entra-portal export-vb365 -c servers\/eu\.json5 --out vb365/);

    const rotated = await run('rotate-cert', '--generate', '--apply');
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /Next: give VB365 the new certificate \(entra-portal export-vb365 -c servers\/eu\.json5 --out <folder>/);
    assert.match(rotated.stdout, /then entra-portal rotate-cert -c servers\/eu\.json5 --finish --apply\./);

    const exported = await run('export-vb365', '--out', 'vb365', '--password-env', 'PFX_PW');
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /finish it with entra-portal rotate-cert -c servers\/eu\.json5 --finish --apply once VB365 uses it/);

    // finishing without --apply leaves the old key in Entra, unmanaged: apply keeps it and says so
    assert.equal((await run('rotate-cert', '--finish')).code, 0);
    const kept = await run('apply');
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /^Applied 0 changes \(appId [0-9a-f-]{36}\); 1 unmanaged item kept \(apply --prune removes it\)\.$/m);
    assert.doesNotMatch(kept.stdout, /Next, give VB365/);

    // a full rotation: the finish only removes the old key, which VB365 no longer uses
    assert.equal((await run('rotate-cert', '--generate', '--apply')).code, 0);
    const finished = await run('rotate-cert', '--finish', '--apply');
    assert.equal(finished.code, 0, finished.stderr);
    assert.match(finished.stdout, /Finished the rotation/);
    assert.doesNotMatch(finished.stdout, /Next, give VB365/, 'VB365 already holds the new certificate');
  });
});

test('apply that registers an application without a certificate: the next step is choosing one, not export-vb365 (which would refuse)', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    await writeFile(
      join(dir, 'entra-portal.json5'),
      "{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'No Cert Yet', uniqueName: 'no-cert-yet', multiTenant: false }, portal: { url: 'https://127.0.0.1:9', restApiPort: 9 } }\n",
    );
    const applied = await runMain(['apply'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Next, give the application a certificate: entra-portal install-cert --generate --apply \(or --pfx <file>, or --thumbprint <sha1>\), then entra-portal export-vb365 --out vb365 --password-env <VAR>/);
    assert.doesNotMatch(applied.stdout, /Next, give VB365/);
  });
});
