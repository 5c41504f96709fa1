/**
 * A config from git is read as hostile bytes: strict UTF-8 (located, with how to convert), size and
 * nesting caps before parsing, and no string that is not text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, editConfig } from '../../src/config/index.js';
import { firstInvalidUtf8 } from '../../src/config/bytes.js';
import { createContext } from '../../src/context.js';
import { InputError, formatProblem } from '../../src/errors.js';
import { withTempDir } from '../helpers/cli.js';

async function refusal(bytes: Buffer | string): Promise<{ err: InputError; where: string }> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, bytes);
    const err = await loadConfig(file).then(
      () => assert.fail('accepted'),
      (e: unknown) => e as InputError,
    );
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.exitCode, 65);
    return { err, where: err.problems.map(formatProblem).join('\n') };
  });
}

test('UTF-8 validation finds the first bad byte (overlong, surrogate, truncated, stray continuation)', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('Café ☕ 𝄞')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf])), 1); // overlong '/'
  assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0); // an encoded surrogate
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x98])), 2); // truncated
  assert.equal(firstInvalidUtf8(Buffer.from([0x80])), 0);
  assert.equal(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80])), 0); // above U+10FFFF
});

test('a Windows-1252 byte is refused at its line:column, with its reading and how to convert', async () => {
  const text = Buffer.concat([Buffer.from("{\n  version: 1,\n  // Caf"), Buffer.from([0xe9]), Buffer.from("\n  tenant: 'contoso.onmicrosoft.com',\n}\n")]);
  const { err, where } = await refusal(text);
  assert.equal(err.code, 'config-encoding');
  assert.match(err.message, /is not UTF-8: byte 0xE9 \('é' in Windows-1252\) at line 3, column 9/);
  assert.match(where, /c\.json5:3:9: byte 0xE9 is not UTF-8/);
  assert.match(err.remedy ?? '', /iconv -f WINDOWS-1252 -t UTF-8/);
});

test('a UTF-16 file (Notepad "Unicode") is named as such', async () => {
  const { err } = await refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{ version: 1 }', 'utf16le')]));
  assert.match(err.message, /it is UTF-16/);
});

test('a file over 1 MiB (a 20 MB string) is refused with its size, before parsing', async () => {
  const { err } = await refusal(`{ version: 1, tenant: '${'a'.repeat(20 * 1024 * 1024)}' }`);
  assert.equal(err.code, 'file-too-large');
  assert.match(err.message, /is 20 MiB; the limit is 1 MiB/);
});

test('3000 levels of nesting are refused at the first level too deep, not with a stack overflow', async () => {
  const { err, where } = await refusal(`{\n  version: 1, x: ${'['.repeat(3000)}${']'.repeat(3000)} }`);
  assert.equal(err.code, 'config-too-deep');
  assert.match(where, /c\.json5:2:49: nesting deeper than 32 levels/);
  // brackets inside strings and comments do not count
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    await writeFile(file, `// ${'['.repeat(100)}\n{ version: 1, application: { name: '${'{'.repeat(100)}' } /* ${'{'.repeat(50)} */ }\n`);
    assert.equal((await loadConfig(file)).config.application?.name, '{'.repeat(100));
  });
});

test('a lone surrogate or a control character in a string is refused at its location', async () => {
  const lone = await refusal("{\n  version: 1,\n  application: { name: 'Caf\\uD800' },\n}\n");
  assert.match(lone.where, /c\.json5:3:24: application\.name: contains a lone surrogate \(\\uD800\)/);
  const esc = await refusal("{\n  version: 1,\n  application: { name: 'Portal\\u001b]0;pwned\\u0007' },\n}\n");
  assert.match(esc.where, /c\.json5:3:24: application\.name: contains a control character \(U\+001B\)/);
  const key = await refusal("{ version: 1, 'a\\u0000b': 1 }");
  assert.match(key.where, /c\.json5:1:15: a key contains a control character \(U\+0000\)/);
});

test('an edit refuses a non-UTF-8 file and leaves it byte for byte', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'c.json5');
    const bytes = Buffer.concat([Buffer.from("{\n  version: 1, // Caf"), Buffer.from([0xe9]), Buffer.from('\n}\n')]);
    await writeFile(file, bytes);
    const ctx = createContext({ cwd: dir, stderr: { write: () => true }, stdout: { write: () => true } });
    await assert.rejects(editConfig(file, ctx, (doc) => doc.set(['tenant'], 'contoso.onmicrosoft.com')), { code: 'config-encoding' });
    assert.deepEqual(await readFile(file), bytes);
  });
});
