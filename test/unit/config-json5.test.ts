/**
 * The config's own JSON5 reader (src/config/json5.ts) and the edits made as splices of the text
 * (src/config/document.ts): values as the json5 package reads them, every edit's value as the
 * edits say, the layout of the neighbours, located errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import JSON5 from 'json5';
import { Json5ConfigDocument } from '../../src/config/document.js';
import { parseTree, treeValue } from '../../src/config/tree.js';
import { InputError } from '../../src/errors.js';

const edit = (text: string, fn: (d: Json5ConfigDocument) => void): string => {
  const d = new Json5ConfigDocument(parseTree(text, 'c.json5'));
  fn(d);
  return d.toString();
};

/** A small deterministic generator of configs in the styles people write. */
function* configs(count: number): Generator<string> {
  let seed = 7;
  const next = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  for (let n = 0; n < count; n++) {
    const [unit, q, kq, nl] = [pick(['  ', '    ', '\t']), pick(["'", '"']), pick(['', '"', "'"]), pick(['\n', '\r\n'])];
    const comma = next() < 0.5;
    const k = (name: string) => `${kq}${name}${kq}`;
    const s = (v: string) => `${q}${v}${q}`;
    const note = () => pick(['', '', ' // note', ' /* c */']);
    const block = (entries: Array<[string, string]>, ind: string): string => {
      if (next() < 0.2) return `{ ${entries.map(([key, v]) => `${k(key)}: ${v}`).join(', ')} }`;
      return `{${nl}${entries.map(([key, v], i) => `${ind}${unit}${k(key)}: ${v}${i < entries.length - 1 || comma ? ',' : ''}${note()}`).join(nl)}${nl}${ind}}`;
    };
    const app: Array<[string, string]> = [['name', s('Veeam Restore Portal')], ['multiTenant', pick(['true', 'false'])]];
    if (next() < 0.5) app.push(['extraRedirectUris', `[${s('https://b.example:4443')}, ${s('https://c.example')}]`]);
    const root: Array<[string, string]> = [['version', '1'], ['tenant', s('contoso.onmicrosoft.com')], ['application', block(app, unit)]];
    if (next() < 0.5) root.push(['portal', block([['url', s('https://old.abc.com:4443')]], unit)]);
    if (next() < 0.4) root.push(['customers', `[${nl}${unit}${unit}{ ${k('tenant')}: ${s('a.example')} },${nl}${unit}]`]);
    yield `${pick(['', `// header${nl}`, '\uFEFF'])}${block(root, '')}${nl}`;
  }
}

type Op = [path: string[], value: unknown];
const OPS: Op[][] = [
  [[['portal', 'url'], 'https://new.abc.com:4443'], [['portal', 'restApiPort'], 4443]],
  [[['application', 'appId'], '11111111-2222-3333-4444-555555555555'], [['application', 'name'], 'It\'s "new"']],
  [[['certificate', 'previous'], { thumbprint: 'AB', file: 'certs/ab.cer' }], [['tenant'], undefined]],
  [[['application', 'extraRedirectUris'], ['https://c.example', 'https://d.example']], [['region'], 'China']],
];

test('every config reads as the json5 package reads it, and after edits holds exactly what the edits set', () => {
  let n = 0;
  for (const text of configs(60)) {
    assert.deepEqual(treeValue(parseTree(text, 'c.json5')), JSON5.parse(text.replace(/^\uFEFF/, '')), text);
    const ops = OPS[n++ % OPS.length]!;
    const expected = structuredClone(JSON5.parse(text.replace(/^\uFEFF/, ''))) as Record<string, unknown>;
    for (const [path, value] of ops) {
      let at = expected;
      for (const seg of path.slice(0, -1)) at = (at[seg] ??= {}) as Record<string, unknown>;
      if (value === undefined) delete at[path.at(-1)!];
      else at[path.at(-1)!] = value;
    }
    const after = edit(text, (d) => ops.forEach(([path, value]) => d.set(path, value)));
    assert.deepEqual(JSON5.parse(after.replace(/^\uFEFF/, '')), expected, after);
    assert.equal(after.startsWith('\uFEFF'), text.startsWith('\uFEFF'));
    assert.equal(after.includes('\r\n'), text.includes('\r\n'), 'the line endings stay');
    // comments stay (a deleted key takes the comment on its line with it)
    const comments = (t: string) => (t.match(/\/\/ header|\/\/ note|\/\* c \*\//g) ?? []).length;
    if (ops.every(([, v]) => v !== undefined)) assert.equal(comments(after), comments(text), after);
  }
});

test('a " inside a single-quoted string is read and written (new-app --name \'New "Name"\')', () => {
  const after = edit("{\n  version: 1,\n  application: { name: 'x' },\n}\n", (d) => d.set(['application', 'name'], 'New "Name"'));
  assert.equal(after, "{\n  version: 1,\n  application: { name: 'New \"Name\"' },\n}\n");
  assert.deepEqual(treeValue(parseTree(after, 'c.json5')), { version: 1, application: { name: 'New "Name"' } });
});

test('inline objects stay inline; a new list is laid out as the file\'s lists; an emptied object is {}', () => {
  assert.equal(edit('{ version: 1 }\n', (d) => d.set(['portal', 'url'], 'https://a.example:4443')), "{ version: 1, portal: { url: 'https://a.example:4443' } }\n");
  assert.equal(edit('{version:1}', (d) => d.set(['tenant'], 'a.b')), "{version:1,tenant: 'a.b'}");
  const listed = "{\n  version: 1,\n  application: {\n    name: 'x',\n  },\n  customers: [{ tenant: 'a.b' }],\n}\n";
  assert.equal(
    edit(listed, (d) => d.set(['application', 'extraRedirectUris'], ['https://a.example'])),
    listed.replace("name: 'x',\n", "name: 'x',\n    extraRedirectUris: ['https://a.example'],\n"),
  );
  assert.equal(
    edit("{\n  version: 1,\n  application: {\n    appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c',\n  },\n}\n", (d) => d.delete(['application', 'appId'])),
    '{\n  version: 1,\n  application: {},\n}\n',
  );
});

test('a list changed by removing and adding entries keeps the others\' bytes and comments', () => {
  const before = "{\n  version: 1,\n  application: {\n    extraRedirectUris: [\n      'https://a.example', // prod\n      'https://b.example', // dr\n    ],\n  },\n}\n";
  assert.equal(
    edit(before, (d) => d.set(['application', 'extraRedirectUris'], ['https://b.example', 'https://c.example'])),
    "{\n  version: 1,\n  application: {\n    extraRedirectUris: [\n      'https://b.example', // dr\n      'https://c.example',\n    ],\n  },\n}\n",
  );
  // a list written anew keeps its own layout
  assert.equal(edit("{ version: 1, application: { extraRedirectUris: [ 'https://a.example', ] } }", (d) => d.set(['application', 'extraRedirectUris'], ['https://z.example'])), "{ version: 1, application: { extraRedirectUris: [ 'https://z.example', ] } }");
});

test('string errors point at the character: a bad escape, a raw control character', () => {
  const where = (text: string) => {
    try {
      parseTree(text, 'c.json5');
    } catch (e) {
      const p = (e as InputError).problems[0]!;
      return `${p.location!.line}:${p.location!.column} ${p.message}`;
    }
    return 'parsed';
  };
  assert.equal(where("{\n  name: 'a\\xb',\n}"), "2:11 syntax error: Invalid string: the escape \\x is not one of \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
  assert.equal(where("{ name: 'a\tb' }"), '1:11 syntax error: Invalid string: a control character (U+0009) must be written as an escape');
  assert.equal(where("{ name: 'it\\'s', other: \"say \\\"hi\\\"\", more: 'line \\\n continued' }"), 'parsed');
  assert.equal(where('{ a: .e5 }'), "1:6 syntax error: unexpected '.e5'");
  assert.equal(where('{ 😀: 1 }'), "1:3 syntax error: unexpected '\ud83d'");
  // columns count characters (code points): the emoji is one
  assert.equal(where("{ 'x😀': 1, default: 2 }"), "1:12 syntax error: Reserved identifier 'default'");
});
