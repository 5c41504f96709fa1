import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import JSON5 from 'json5';
import { schemaPath } from '../../src/config/schema.js';

const schema = JSON.parse(await readFile(schemaPath(), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

// the example of docs/config.md, with real values where it elides them
const EXAMPLE_CONFIG = `{
  // entra-portal configuration
  version: 1,
  region: 'Worldwide',
  tenant: 'contoso.onmicrosoft.com',          // tenant ID or a verified domain
  application: {
    name: 'Veeam Restore Portal',             // display name used when registering
    uniqueName: 'veeam-restore-portal',       // registration key: makes registration idempotent
    appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c',
    multiTenant: false,
    extraRedirectUris: [],
  },
  certificate: {
    thumbprint: '9F3A0C1B2D3E4F5061728394A5B6C7D8E9F00112',
    file: 'certs/9F3A0C1B2D3E4F5061728394A5B6C7D8E9F00112.cer',
  },
  portal: {
    url: 'https://portal.abc.com:4443',
    restApiPort: 4443,
  },
}`;

const base = () => JSON5.parse(EXAMPLE_CONFIG) as Record<string, any>;
const errorsOf = (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`));

test('the schema is JSON Schema 2020-12 and compiles in ajv strict mode', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.additionalProperties, false);
});

test('the documented example is valid; the minimal file is { version: 1 }', () => {
  assert.deepEqual(errorsOf(base()), []);
  assert.deepEqual(errorsOf({ version: 1 }), []);
  assert.ok(errorsOf({}).includes(' required'));
  assert.ok(errorsOf({ version: 2 }).includes('/version const'));
});

test('unknown keys are refused at every level', () => {
  for (const where of ['', 'application', 'certificate', 'portal']) {
    const v = base();
    (where ? v[where] : v).extra = 1;
    assert.ok(errorsOf(v).some((e) => e.endsWith('additionalProperties')), where || 'root');
  }
});

test('value rules: GUID, thumbprint, https, ports, redirect URIs, tenant', () => {
  const bad: Array<[string, (v: Record<string, any>) => void, string]> = [
    ['appId not a GUID', (v) => (v.application.appId = '4c0c2a11'), '/application/appId pattern'],
    ['thumbprint lowercase', (v) => (v.certificate.thumbprint = v.certificate.thumbprint.toLowerCase()), '/certificate/thumbprint pattern'],
    ['thumbprint with colons', (v) => (v.certificate.thumbprint = '9F:3A'), '/certificate/thumbprint pattern'],
    ['http portal', (v) => (v.portal.url = 'http://portal.abc.com:4443'), '/portal/url pattern'],
    ['port 0', (v) => (v.portal.restApiPort = 0), '/portal/restApiPort minimum'],
    ['port 65536', (v) => (v.portal.restApiPort = 65536), '/portal/restApiPort maximum'],
    ['port 44.5', (v) => (v.portal.restApiPort = 44.5), '/portal/restApiPort type'],
    ['http redirect', (v) => (v.application.extraRedirectUris = ['http://portal.abc.com']), '/application/extraRedirectUris/0 pattern'],
    ['repeated redirect', (v) => (v.application.extraRedirectUris = ['https://a.b', 'https://a.b']), '/application/extraRedirectUris uniqueItems'],
    ['tenant not a domain', (v) => (v.tenant = 'contoso'), '/tenant anyOf'],
    ['http endpoint', (v) => (v.endpoints = { graph: 'http://g.example', login: 'https://l.example' }), '/endpoints/graph pattern'],
    ['multiTenant string', (v) => (v.application.multiTenant = 'yes'), '/application/multiTenant type'],
  ];
  for (const [label, mutate, expected] of bad) {
    const v = base();
    mutate(v);
    assert.ok(errorsOf(v).includes(expected), `${label}: ${errorsOf(v).join(', ')}`);
  }
  const good = base();
  good.tenant = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
  good.application.extraRedirectUris = ['http://localhost:3000/callback', 'https://b.example:4443'];
  assert.deepEqual(errorsOf(good), []);
});
