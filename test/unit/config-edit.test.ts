import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { editConfig, NEW_CONFIG_TEXT } from '../../src/config/index.js';
import { createContext } from '../../src/context.js';
import { InputError } from '../../src/errors.js';
import { withTempDir } from '../helpers/cli.js';

const quietCtx = (cwd: string) => createContext({ cwd, env: {}, stderr: { write: () => true } });

/** Write `before`, run the edit, return the file's text afterwards. */
async function edited(before: string, edit: Parameters<typeof editConfig>[2]): Promise<string> {
  return withTempDir(async (dir) => {
    await writeFile(join(dir, 'c.json5'), before);
    await editConfig('c.json5', quietCtx(dir), edit);
    return readFile(join(dir, 'c.json5'), 'utf8');
  });
}

const HAND_WRITTEN = `// entra-portal for the EU datacentre
{
  version: 1,
  region: 'Worldwide', // where the tenant lives

  /* the app */
  "application": {
    'name': "Veeam Restore Portal",
    uniqueName: 'veeam-restore-portal',
    multiTenant: false,
    extraRedirectUris: [ 'https://b.example:4443', ],
  },
  portal: {
    url: 'https://old.abc.com:4443', // set by set-portal-url
    restApiPort: 4443,
  },
}
`;

test('changing one value changes exactly that line; comments, quoting, blank lines, trailing commas stay', async () => {
  const after = await edited(HAND_WRITTEN, (d) => d.set(['portal', 'url'], 'https://new.abc.com:4443'));
  assert.equal(after, HAND_WRITTEN.replace("url: 'https://old.abc.com:4443'", "url: 'https://new.abc.com:4443'"));
});

test('a double-quoted value keeps its double quotes', async () => {
  const after = await edited(HAND_WRITTEN, (d) => d.set(['application', 'name'], 'New "Name"'));
  assert.equal(after, HAND_WRITTEN.replace('\'name\': "Veeam Restore Portal"', '\'name\': "New \\"Name\\""'));
});

test('new keys take their neighbours\' style: unquoted keys, single quotes, indentation, trailing comma', async () => {
  const after = await edited(HAND_WRITTEN, (d) => {
    d.set(['application', 'appId'], '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c');
    d.set(['certificate', 'thumbprint'], '9F3A0C1B2D3E4F5061728394A5B6C7D8E9F00112');
  });
  assert.equal(
    after,
    HAND_WRITTEN.replace(
      "extraRedirectUris: [ 'https://b.example:4443', ],\n",
      "extraRedirectUris: [ 'https://b.example:4443', ],\n    appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c',\n",
    ).replace("    restApiPort: 4443,\n  },\n}", "    restApiPort: 4443,\n  },\n  certificate: {\n    thumbprint: '9F3A0C1B2D3E4F5061728394A5B6C7D8E9F00112',\n  },\n}"),
  );
});

test('double-quoted JSON with tabs and no trailing commas stays that way', async () => {
  const before = '{\n\t"version": 1,\n\t"portal": {\n\t\t"url": "https://a.example:4443"\n\t}\n}\n';
  const after = await edited(before, (d) => {
    d.set(['portal', 'restApiPort'], 4443);
    d.set(['tenant', ], 'contoso.onmicrosoft.com');
  });
  assert.equal(after, '{\n\t"version": 1,\n\t"portal": {\n\t\t"url": "https://a.example:4443",\n\t\t"restApiPort": 4443\n\t},\n\t"tenant": "contoso.onmicrosoft.com"\n}\n');
  JSON.parse(after); // still plain JSON
});

test('CRLF line endings and a BOM survive an edit', async () => {
  const before = `\uFEFF{\r\n  // c\r\n  version: 1,\r\n  portal: {\r\n    url: 'https://a.example:4443',\r\n  },\r\n}\r\n`;
  const after = await edited(before, (d) => d.set(['portal', 'restApiPort'], 4443));
  assert.equal(after, `\uFEFF{\r\n  // c\r\n  version: 1,\r\n  portal: {\r\n    url: 'https://a.example:4443',\r\n    restApiPort: 4443,\r\n  },\r\n}\r\n`);
});

test('deleting a key takes its same-line comment with it and leaves the rest', async () => {
  const before = "{\n  version: 1,\n  application: {\n    // pinned by set-app\n    appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', // the old one\n    name: 'x',\n  },\n}\n";
  const after = await edited(before, (d) => d.delete(['application', 'appId']));
  assert.equal(after, "{\n  version: 1,\n  application: {\n    // pinned by set-app\n    name: 'x',\n  },\n}\n");
});

test('setting a value the file already holds leaves every byte (idempotent)', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, HAND_WRITTEN);
    const r = await editConfig('c.json5', quietCtx(dir), (d) => {
      d.set(['portal', 'url'], 'https://old.abc.com:4443');
      d.set(['application', 'multiTenant'], false);
    });
    assert.equal(r.changed, false);
    assert.equal(r.diff, '');
    assert.deepEqual(r.changes, []);
    assert.equal(await readFile(file, 'utf8'), HAND_WRITTEN);
  });
});

test('an empty {} file gets the new-file layout', async () => {
  const after = await edited('{}\n', (d) => {
    d.set(['version'], 1);
    d.set(['portal', 'url'], 'https://a.example:4443');
  });
  assert.equal(after, "{\n  version: 1,\n  portal: {\n    url: 'https://a.example:4443',\n  },\n}\n");
});

test('create: a missing file starts with the comment header and version 1', async () => {
  await withTempDir(async (dir) => {
    const r = await editConfig('sub/new.json5', quietCtx(dir), (d) => d.set(['portal', 'url'], 'https://a.example:4443'), { create: true });
    assert.equal(r.created, true);
    const text = await readFile(join(dir, 'sub/new.json5'), 'utf8');
    assert.ok(text.startsWith("// entra-portal configuration — desired state of the Restore Portal's Entra application.\n"));
    assert.ok(text.startsWith(NEW_CONFIG_TEXT.slice(0, NEW_CONFIG_TEXT.indexOf('{'))));
    assert.match(text, /\{\n {2}version: 1,\n {2}portal: \{\n {4}url: 'https:\/\/a\.example:4443',\n {2}\},\n\}\n$/);
    assert.deepEqual(r.changes, [{ path: 'version', after: 1 }, { path: 'portal.url', after: 'https://a.example:4443' }]);
    // without create, a missing file is an input error
    await assert.rejects(editConfig('other.json5', quietCtx(dir), () => undefined), (e: unknown) => e instanceof InputError && /does not exist/.test(e.message));
  });
});

test('what-if returns the diff and writes nothing (no lock either)', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, HAND_WRITTEN);
    const r = await editConfig('c.json5', quietCtx(dir), (d) => d.set(['application', 'multiTenant'], true), { whatIf: true });
    assert.equal(r.whatIf, true);
    assert.equal(r.changed, true);
    assert.match(r.diff, /^--- a\/c\.json5\n\+\+\+ b\/c\.json5\n@@ -7,7 \+7,7 @@\n/);
    assert.match(r.diff, /\n- {4}multiTenant: false,\n\+ {4}multiTenant: true,\n/);
    assert.equal(await readFile(file, 'utf8'), HAND_WRITTEN);
    assert.deepEqual((await readdir(dir)).sort(), ['c.json5']);
    const created = await editConfig('n.json5', quietCtx(dir), (d) => d.set(['tenant'], 'a.b'), { whatIf: true, create: true });
    assert.equal(created.created, true);
    assert.match(created.diff, /^--- \/dev\/null\n\+\+\+ b\/n\.json5\n@@ -0,0 \+1,6 @@\n/);
    assert.deepEqual((await readdir(dir)).sort(), ['c.json5']);
  });
});

test('an edit that would make the file invalid is refused and the file is byte-identical', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, HAND_WRITTEN);
    await assert.rejects(
      editConfig('c.json5', quietCtx(dir), (d) => d.set(['portal', 'restApiPort'], 70000)),
      (e: unknown) => e instanceof InputError && e.problems.some((p) => p.path === 'portal.restApiPort' && !p.location),
    );
    await assert.rejects(editConfig('c.json5', quietCtx(dir), () => {
      throw new Error('boom in the middle of an edit');
    }), /boom/);
    assert.equal(await readFile(file, 'utf8'), HAND_WRITTEN);
    assert.deepEqual((await readdir(dir)).sort(), ['c.json5'], 'no temporary or lock file left behind');
  });
});

test('a file with a syntax error is not edited; its error is located', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    const bad = '{\n  version: 1\n  region: "China",\n}\n';
    await writeFile(file, bad);
    await assert.rejects(editConfig('c.json5', quietCtx(dir), (d) => d.set(['tenant'], 'a.b')), (e: unknown) =>
      e instanceof InputError && e.problems[0]?.location?.line === 3,
    );
    assert.equal(await readFile(file, 'utf8'), bad);
  });
});

test('an application pinned in one cloud cannot change region', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    const text = "{ version: 1, region: 'china', application: { appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c' } }";
    await writeFile(file, text);
    await assert.rejects(editConfig('c.json5', quietCtx(dir), (d) => d.set(['region'], 'Worldwide')), (e: unknown) =>
      e instanceof InputError && e.code === 'region-change' && /lives in the China cloud/.test(e.message),
    );
    // the same cloud by another alias is no change of cloud
    await editConfig('c.json5', quietCtx(dir), (d) => d.set(['region'], '21vianet'));
    // pinning another application at the same time is allowed
    await editConfig('c.json5', quietCtx(dir), (d) => {
      d.set(['region'], 'Worldwide');
      d.set(['application', 'appId'], '11111111-2222-3333-4444-555555555555');
    });
    assert.match(await readFile(file, 'utf8'), /region: 'Worldwide'.*appId: '11111111/s);
  });
});

test('the file mode is kept across the atomic replace', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, HAND_WRITTEN);
    await chmod(file, 0o640);
    await editConfig('c.json5', quietCtx(dir), (d) => d.set(['tenant'], 'contoso.onmicrosoft.com'));
    assert.equal((await stat(file)).mode & 0o777, 0o640);
  });
});

test('an empty file is filled like a new one (create); without create it is a located syntax error', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, '');
    await assert.rejects(editConfig('c.json5', quietCtx(dir), (d) => d.set(['tenant'], 'a.b')), (e: unknown) =>
      e instanceof InputError && /unexpected end of the file/.test(e.problems[0]?.message ?? ''),
    );
    const r = await editConfig('c.json5', quietCtx(dir), (d) => d.set(['tenant'], 'a.b'), { create: true });
    assert.equal(r.created, true);
    assert.equal(await readFile(file, 'utf8'), NEW_CONFIG_TEXT.replace('  version: 1,\n', "  version: 1,\n  tenant: 'a.b',\n"));
  });
});

test('deleting the last entry keeps the closing brace, the final newline and the comma style', async () => {
  const cases: Array<[string, string[], string]> = [
    ['{\n  "version": 1,\n  "tenant": "a.b"\n}\n', ['tenant'], '{\n  "version": 1\n}\n'],
    ["{\n  version: 1,\n  tenant: 'a.b', // the tenant\n}\n", ['tenant'], '{\n  version: 1,\n}\n'],
    ["{ version: 1, tenant: 'a.b' }\n", ['tenant'], '{ version: 1 }\n'],
    ["{ version: 1, tenant: 'a.b', region: 'China' }\n", ['tenant'], "{ version: 1, region: 'China' }\n"],
    ["{\r\n  version: 1,\r\n  application: {\r\n    name: 'x',\r\n    appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c',\r\n  },\r\n}\r\n", ['application', 'appId'], "{\r\n  version: 1,\r\n  application: {\r\n    name: 'x',\r\n  },\r\n}\r\n"],
  ];
  for (const [before, path, expected] of cases) {
    assert.equal(await edited(before, (d) => d.delete(path)), expected, JSON.stringify(before));
  }
});

test('a no-op edit on an invalid file still reports the file\'s problems', async () => {
  await withTempDir(async (dir) => {
    const bad = "{ version: 1, tenant: 'a.b', colour: 'red' }\n";
    await writeFile(join(dir, 'c.json5'), bad);
    await assert.rejects(editConfig('c.json5', quietCtx(dir), (d) => d.set(['tenant'], 'a.b')), (e: unknown) =>
      e instanceof InputError && e.problems.length === 1 && e.problems[0]!.location?.column === 30,
    );
    // an edit that removes the problem is welcome
    await editConfig('c.json5', quietCtx(dir), (d) => d.delete(['colour']));
    assert.equal(await readFile(join(dir, 'c.json5'), 'utf8'), "{ version: 1, tenant: 'a.b' }\n");
  });
});
