/**
 * Environment variables that stand in for options count as the command line: a bad value is a usage
 * error (64) that names the variable, on every verb that reads it — never 65 ("fix the file") and
 * never test-portal's 2 ("a check failed"), which a monitor would take for the portal's fault.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMatchesSchema } from '../helpers/json-schemas.js';
import { runMain, withTempDir } from '../helpers/cli.js';

const emulatorConfig = `{
  version: 1,
  region: 'Emulator',
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },
}
`;
const customConfig = `{
  version: 1,
  tenant: 'contoso.onmicrosoft.com',
  endpoints: { login: 'https://login.contoso-proxy.example', graph: 'https://graph.contoso-proxy.example' },
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal' },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },
}
`;

const cases: { name: string; config: string; env: NodeJS.ProcessEnv; argv: string[]; says: RegExp }[] = [
  {
    name: 'a bad $ENTRA_PORTAL_TRUSTED_ENDPOINTS (test-portal)',
    config: customConfig,
    env: { ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'https://login.contoso-proxy.example/path' },
    argv: ['test-portal', '--timeout', '1'],
    says: /\$ENTRA_PORTAL_TRUSTED_ENDPOINTS: 'https:\/\/login\.contoso-proxy\.example\/path' is not a host name/,
  },
  {
    name: 'a bad $ENTRA_PORTAL_EMULATOR_FAULTS (apply, embedded emulator)',
    config: emulatorConfig,
    env: { ENTRA_PORTAL_EMULATOR_FAULTS: 'bogus=1' },
    argv: ['apply', '--what-if', '--detailed-exitcode'],
    says: /\$ENTRA_PORTAL_EMULATOR_FAULTS: invalid emulator fault 'bogus=1': unknown fault/,
  },
  {
    name: 'a bad $ENTRA_PORTAL_EMULATOR_FAULTS (test-portal, embedded emulator)',
    config: emulatorConfig,
    env: { ENTRA_PORTAL_EMULATOR_FAULTS: 'throttle=2' },
    argv: ['test-portal', '--timeout', '1'],
    says: /\$ENTRA_PORTAL_EMULATOR_FAULTS: invalid emulator fault 'throttle=2'/,
  },
];

for (const c of cases) {
  test(`${c.name}: 64 naming the variable, one error envelope under --json`, { timeout: 60_000 }, async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'entra-portal.json5'), c.config);
      const human = await runMain(c.argv, { cwd: dir, env: c.env });
      assert.equal(human.code, 64, human.stdout + human.stderr);
      assert.match(human.stderr, c.says);
      const json = await runMain([...c.argv, '--json'], { cwd: dir, env: c.env });
      assert.equal(json.code, 64, json.stderr);
      const doc = JSON.parse(json.stdout);
      assertMatchesSchema('envelope.schema.json', doc);
      assert.equal(doc.exitCode, 64);
      assert.match(doc.error.message, c.says);
    });
  });
}
