import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, resolveConfigPath } from '../../src/config/index.js';
import { InputError, formatProblem } from '../../src/errors.js';
import { withTempDir } from '../helpers/cli.js';

async function loadText(text: string): Promise<InputError | Awaited<ReturnType<typeof loadConfig>>> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'entra-portal.json5');
    await writeFile(file, text);
    try {
      return await loadConfig(file);
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
  });
}

function problems(err: unknown): string[] {
  assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
  assert.equal(err.exitCode, 65);
  return err.problems.map((p) => formatProblem({ ...p, ...(p.location ? { location: { ...p.location, file: 'f' } } : {}) }));
}

test('a valid JSON5 file loads: comments, single quotes, unquoted keys, trailing commas', async () => {
  const r = await loadText(`// header
{
  version: 1,
  region: 'usgov', /* an alias */
  tenant: "contoso.onmicrosoft.com",
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal', multiTenant: false, extraRedirectUris: ['https://b.example:4443', 'http://localhost:3000',], },
  certificate: { thumbprint: '9F3A0C1B2D3E4F5061728394A5B6C7D8E9F00112', file: 'certs/9F3A0C1B2D3E4F5061728394A5B6C7D8E9F00112.cer' },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443, },
}
`);
  assert.ok(!(r instanceof InputError), String(r));
  assert.equal(r.config.region, 'usgov');
  assert.equal(r.config.portal?.restApiPort, 4443);
  assert.deepEqual(r.config.application?.extraRedirectUris, ['https://b.example:4443', 'http://localhost:3000']);
});

test('every schema problem is reported at file:line:col', async () => {
  const text = [
    '{', //                                               1
    '  version: 2,', //                                   2
    "  region: 'Germany',", //                            3
    '  application: {', //                                4
    "    appId: 'not-a-guid',", //                        5
    "    colour: 'blue',", //                             6
    '    extraRedirectUris: [\'ftp://x\', \'https://a.b\', \'https://a.b\'],', // 7
    '  },', //                                            8
    "  certificate: { thumbprint: '9f:3a' },", //         9
    "  portal: { url: 'http://portal.abc.com:4443', restApiPort: 'x' },", // 10
    '}', //                                               11
  ].join('\n');
  const got = problems(await loadText(text));
  const expect = [
    /^f:2:12: version: must be 1$/,
    /^f:3:11: region: Microsoft Cloud Deutschland .*closed on 2021-10-29.*; tenants that were there moved to the Worldwide region: use Worldwide instead$/,
    /^f:5:12: application\.appId: must be a GUID/,
    /^f:6:5: application\.colour: unknown key 'colour' in application$/,
    /^f:7:25: application\.extraRedirectUris\[0\]: must be an https:\/\/ URI/,
    /^f:7:24: application\.extraRedirectUris: must not repeat an entry/,
    /^f:9:30: certificate\.thumbprint: must be a SHA-1 thumbprint/,
    /^f:10:18: portal\.url: must use https/,
    /^f:10:61: portal\.restApiPort: must be a port number from 1 to 65535/,
  ];
  for (const re of expect) assert.ok(got.some((g) => re.test(g)), `missing ${re}\nin:\n${got.join('\n')}`);
  assert.equal(got.length, expect.length, got.join('\n'));
});

test('a rule beyond the schema reads as one sentence: the message, then what to do (no "region: region", no "(For example: …)")', async () => {
  const got = problems(await loadText("{ version: 1, region: 'Mars', portal: { url: 'https://a.b.com', restApiPort: 4443 } }"));
  assert.deepEqual(got, [
    "f:1:23: region: unknown region 'Mars'; use one of: Worldwide (global, public), USGovernment (usgov, gcchigh), USDefence (usdefense, dod), China (21vianet), Emulator",
    "f:1:46: portal.url: portal URL 'https://a.b.com': it has no port: the portal is served on the REST API port (4443); for example: https://a.b.com:4443",
  ]);
});

test('a missing required key points at the parent object', async () => {
  const got = problems(await loadText("{\n  region: 'China',\n  endpoints: { graph: 'https://g.example' },\n}\n"));
  assert.ok(got.includes("f:1:1: missing required key 'version'"), got.join('\n'));
  assert.ok(got.some((g) => /^f:3:14: endpoints: missing required key 'login'$/.test(g)), got.join('\n'));
  assert.equal(got.length, 2, got.join('\n'));
});

test('JSON5 syntax errors are located', async () => {
  assert.deepEqual(problems(await loadText('{\n  version: 1,\n  region: "China"\n  tenant: "x.y",\n}')), [
    "f:4:3: syntax error: expected ',' before a name: is a comma missing after the previous value?",
  ]);
  const eof = problems(await loadText('{ version: 1, '));
  assert.equal(eof.length, 1);
  assert.match(eof[0]!, /^f:1:\d+: syntax error/);
});

test('syntax errors are said in the file\'s terms, not the parser\'s token names', async () => {
  const one = async (text: string) => problems(await loadText(text))[0] ?? '';
  assert.equal(await one("{\n  region: 'Emulator,\n  tenant: 'x',\n}\n"), "f:2:11: syntax error: a string opened with ' is not closed on this line");
  assert.match(await one("{\n  version: 1,\n  portal: {\n    url: 'x',\n}\n"), /the file ends too early \(expected ','\): is a '\}' or '\]' missing/);
  assert.equal(await one('{\n  version = 1,\n}\n'), "f:2:11: syntax error: unexpected '=': JSON5 writes key: value");
  assert.equal(await one('{ version: 1,, }'), "f:1:14: syntax error: expected a key, found ',': is there a doubled comma?");
  assert.equal(await one('{ version 1 }'), "f:1:11: syntax error: expected ':' after the key, found a number");
  for (const text of ['{ version: 1 }\n}\n', '{ a: [1 2] }', '{ version: , }']) assert.doesNotMatch(await one(text), /COMMA|IDENTIFIER|NUMBER|EOF|token/);
});

test('the portal URL rules apply inside the file, against its restApiPort', async () => {
  const bad = problems(await loadText("{ version: 1, portal: { url: 'https://1.2.3:9443', restApiPort: 9443 } }"));
  assert.equal(bad.length, 1);
  assert.match(bad[0]!, /^f:1:30: portal\.url: portal URL 'https:\/\/1\.2\.3:9443': '1\.2\.3' is not an IPv4 address/);
  const port = problems(await loadText("{ version: 1, portal: { url: 'https://a.example:4443', restApiPort: 9443 } }"));
  assert.match(port[0]!, /port 4443 is not the REST API port \(9443\)/);
  const ok = await loadText("{ version: 1, portal: { url: 'https://a.example:9443', restApiPort: 9443 } }");
  assert.ok(!(ok instanceof InputError));
});

test('duplicate keys, a non-object root and a missing file are input errors', async () => {
  assert.deepEqual(problems(await loadText('{ version: 1, version: 1 }')), ['f:1:15: version: duplicate key (the last one wins): remove one']);
  assert.match(problems(await loadText('[1]'))[0]!, /the config must be an object/);
  await withTempDir(async (dir) => {
    await assert.rejects(loadConfig(join(dir, 'nope.json5')), (err: unknown) => err instanceof InputError && /does not exist/.test(err.message));
  });
});

test('resolveConfigPath: explicit, then $ENTRA_PORTAL_CONFIG, then ./entra-portal.json5 against cwd', () => {
  assert.equal(resolveConfigPath({ cwd: '/w', env: {} }), '/w/entra-portal.json5');
  assert.equal(resolveConfigPath({ cwd: '/w', env: { ENTRA_PORTAL_CONFIG: 'c/x.json5' } }), '/w/c/x.json5');
  assert.equal(resolveConfigPath({ cwd: '/w', env: { ENTRA_PORTAL_CONFIG: 'c/x.json5' } }, '/abs/y.json5'), '/abs/y.json5');
  assert.equal(resolveConfigPath({ cwd: '/w', env: {} }, 'z.json5'), '/w/z.json5');
});
