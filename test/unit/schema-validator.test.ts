/**
 * src/config/validator.generated.ts is the config schema compiled ahead of time by ajv (standalone
 * code), so loading a config needs neither ajv's compiler nor a compile at start-up. This test
 * regenerates it and fails when the committed file is stale. To refresh it after editing
 * schemas/entra-portal.schema.json:
 *   UPDATE_VALIDATOR=1 node --import tsx --test test/unit/schema-validator.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { schemaPath, VALIDATOR_OPTIONS } from '../../src/config/schema.js';
import { repoRoot } from '../helpers/paths.js';
import type { ErrorObject } from 'ajv';
import { validate as generatedValidate } from '../../src/config/validator.generated.js';

const standaloneCode = standaloneModule.default;
/** the generated module is @ts-nocheck: give its function the `errors` member ajv sets on every call */
const generated = generatedValidate as typeof generatedValidate & { errors?: ErrorObject[] | null };
const target = join(repoRoot, 'src', 'config', 'validator.generated.ts');

async function generate(): Promise<{ code: string; compiled: ReturnType<Ajv2020['compile']> }> {
  const schema = JSON.parse(await readFile(schemaPath(), 'utf8')) as object;
  const ajv = new Ajv2020({ ...VALIDATOR_OPTIONS, code: { source: true, esm: true } });
  const compiled = ajv.compile(schema);
  let body = standaloneCode(ajv, compiled).replace(/^"use strict";/, '');
  // ajv emits require() for its runtime helpers even in ESM mode: turn them into imports
  const imports: string[] = [];
  body = body.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)\.default/gi, (_m, mod: string) => {
    const name = `${mod.split('/').pop()}Module`;
    if (!imports.some((i) => i.includes(`${mod}.js`))) imports.push(`import ${name} from '${mod}.js';`);
    return `${name}.default`;
  });
  assert.ok(!/require\(/.test(body), 'no require() left in the generated code');
  const code = [
    '// @ts-nocheck',
    '// GENERATED from schemas/entra-portal.schema.json by test/unit/schema-validator.test.ts — do not edit.',
    '// Refresh: UPDATE_VALIDATOR=1 node --import tsx --test test/unit/schema-validator.test.ts',
    ...imports,
    body,
    '',
  ].join('\n');
  return { code, compiled };
}

test('the committed ahead-of-time validator matches the schema', async () => {
  const { code } = await generate();
  if (process.env.UPDATE_VALIDATOR) await writeFile(target, code);
  assert.equal(await readFile(target, 'utf8'), code, 'stale: regenerate with UPDATE_VALIDATOR=1 (see the top of this file)');
});

test('the generated validator and a fresh ajv compile agree', async () => {
  const { compiled } = await generate();
  const samples: unknown[] = [
    { version: 1 },
    { version: 2, extra: true },
    { version: 1, application: { appId: 'x', name: '', extraRedirectUris: ['ftp://a', 'https://b', 'https://b'] } },
    { version: 1, tenant: 'contoso', portal: { url: 'http://a', restApiPort: 0 }, certificate: { thumbprint: 'ab' } },
    { version: 1, endpoints: { graph: 'https://g.example' } },
  ];
  for (const s of samples) {
    const a = compiled(s);
    const b = generated(s);
    assert.equal(b, a, JSON.stringify(s));
    assert.deepEqual(generated.errors ?? null, compiled.errors ?? null);
  }
});
