/**
 * Every schema in schemas/ in ONE ajv (2020-12, strict, with formats), so a schema can `$ref`
 * another by its `$id` (edit-result's `apply` → plan.schema.json). Same import style as
 * test/fixtures/plan/validate.ts (ajv's named `Ajv2020` export under NodeNext); the options are the
 * config validator's (src/config/schema.ts VALIDATOR_OPTIONS: the config schema uses union types).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from './cli.js';

const addFormats = addFormatsModule.default;
const dir = join(repoRoot, 'schemas');

/** schema file name (e.g. `error.schema.json`) → its `$id` */
export const schemaIds = new Map<string, string>();

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
for (const name of readdirSync(dir).filter((n) => n.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { $id?: string };
  assert.ok(schema.$id, `${name} has no $id`);
  schemaIds.set(name, schema.$id);
  ajv.addSchema(schema);
}

/** Fail with ajv's errors (and the document) unless `value` matches `schemas/<file>`. */
export function assertMatchesSchema(file: string, value: unknown): void {
  const id = schemaIds.get(file);
  assert.ok(id, `no schemas/${file}`);
  const validate = ajv.getSchema(id);
  assert.ok(validate, `schema ${id} did not compile`);
  const ok = validate(value);
  assert.ok(ok, `schemas/${file}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}\n${JSON.stringify(value, null, 2)}`);
}

/** Whether `value` matches `schemas/<file>` (for negative checks: a schema must also refuse). */
export function matchesSchema(file: string, value: unknown): boolean {
  const validate = ajv.getSchema(schemaIds.get(file) ?? '');
  assert.ok(validate, `no schemas/${file}`);
  return validate(value) === true;
}
