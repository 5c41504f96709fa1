/**
 * `customers` in the config: lossless list edits (append / removeAt / setAt keep every other byte),
 * the rules beyond the schema (multi-tenant only, once each, not the own tenant), the credential
 * variable prefix, and the admin-consent URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Json5ConfigDocument } from '../../src/config/document.js';
import { parseTree } from '../../src/config/tree.js';
import { validateConfigText } from '../../src/config/load.js';
import { credentialEnvOf, defaultCredentialEnv } from '../../src/config/customers.js';
import { adminConsentUrl, consentUrlParts } from '../../src/cloud/admin-consent.js';

const edit = (text: string, fn: (d: Json5ConfigDocument) => void): string => {
  const d = new Json5ConfigDocument(parseTree(text, 'c.json5'));
  fn(d);
  return d.toString();
};

const LISTED = `{
  version: 1,
  customers: [
    { tenant: 'a.onmicrosoft.com' }, // A corp, contract 17
    // B corp, since 2024
    { tenant: 'b.onmicrosoft.com', credentialEnv: 'B' },
    { tenant: 'c.onmicrosoft.com' },
  ],
}
`;

test('append: a first entry makes the list, one entry per line; later ones copy the layout of an entry with the same keys', () => {
  const made = edit("{\n  version: 1,\n  application: { multiTenant: true },\n}\n", (d) => d.append(['customers'], { tenant: 'a.onmicrosoft.com' }));
  assert.equal(made, "{\n  version: 1,\n  application: { multiTenant: true },\n  customers: [\n    { tenant: 'a.onmicrosoft.com' },\n  ],\n}\n");
  const more = edit(LISTED, (d) => {
    d.append(['customers'], { tenant: 'd.onmicrosoft.com' });
    d.append(['customers'], { tenant: 'e.onmicrosoft.com', credentialEnv: 'E' });
  });
  assert.equal(more, LISTED.replace('  ],\n', "    { tenant: 'd.onmicrosoft.com' },\n    { tenant: 'e.onmicrosoft.com', credentialEnv: 'E' },\n  ],\n"));
  // an inline list stays inline, in the file's quotes
  assert.equal(edit('{ version: 1, customers: [{ tenant: "a.b" }] }\n', (d) => d.append(['customers'], { tenant: 'x.y' })), '{ version: 1, customers: [{ tenant: "a.b" }, { tenant: "x.y" }] }\n');
});

test('removeAt: the entry goes with its line and same-line comment; every other byte stays', () => {
  assert.equal(
    edit(LISTED, (d) => d.removeAt(['customers'], 0)),
    LISTED.replace("    { tenant: 'a.onmicrosoft.com' }, // A corp, contract 17\n", ''),
  );
  assert.equal(edit(LISTED, (d) => d.removeAt(['customers'], 2)), LISTED.replace("    { tenant: 'c.onmicrosoft.com' },\n", ''));
  assert.equal(edit('{ version: 1, customers: [{ tenant: "a.b" }, { tenant: "c.d" }] }\n', (d) => d.removeAt(['customers'], 1)), '{ version: 1, customers: [{ tenant: "a.b" }] }\n');
  assert.equal(edit(LISTED, (d) => d.removeAt(['customers'], 9)), LISTED, 'no such entry: no change');
});

test('setAt: same keys keep the layout; a new key rewrites only that entry, keeping its comment', () => {
  assert.equal(
    edit(LISTED, (d) => d.setAt(['customers'], 1, { tenant: 'b.onmicrosoft.com', credentialEnv: 'BB' })),
    LISTED.replace("credentialEnv: 'B' }", "credentialEnv: 'BB' }"),
  );
  assert.equal(
    edit(LISTED, (d) => d.setAt(['customers'], 0, { tenant: 'a.onmicrosoft.com', credentialEnv: 'A' })),
    LISTED.replace("{ tenant: 'a.onmicrosoft.com' }, // A corp", "{ tenant: 'a.onmicrosoft.com', credentialEnv: 'A' }, // A corp"),
  );
});

const problems = (text: string) => validateConfigText(text, 'c.json5').problems.map((p) => `${p.location ? `${p.location.line}:` : ''}${p.path}: ${p.message}`);

test('customers need a multi-tenant application, once each, never the own tenant: located in the file, with the remedy', () => {
  const single = "{\n  version: 1,\n  application: { appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', multiTenant: false },\n  customers: [{ tenant: 'fabrikam.onmicrosoft.com' }],\n}\n";
  const [p] = problems(single);
  assert.match(p!, /^4:customers: 1 customer tenant is listed, but application\.multiTenant is not true: a single-tenant application refuses the users of every other tenant; run "entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --multi-tenant"/);
  assert.match(problems(single.replace("appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', multiTenant: false", "name: 'P'"))[0]!, /run "entra-portal new-app --name 'P' --multi-tenant"/);
  const twice = "{\n  version: 1,\n  tenant: 'contoso.onmicrosoft.com',\n  application: { multiTenant: true },\n  customers: [\n    { tenant: 'a.example' },\n    { tenant: 'A.example' },\n    { tenant: 'Contoso.onmicrosoft.com' },\n  ],\n}\n";
  assert.deepEqual(problems(twice), [
    "7:customers[1].tenant: 'A.example' is listed twice: remove one entry",
    `8:customers[2].tenant: 'Contoso.onmicrosoft.com' is the application's own tenant (tenant), not a customer: remove it with "entra-portal remove-customer --tenant Contoso.onmicrosoft.com"`,
  ]);
  assert.deepEqual(problems("{ version: 1, application: { multiTenant: true }, customers: [{ tenant: 'a.example', credentialEnv: 'A' }] }"), []);
  assert.match(problems("{ version: 1, application: { multiTenant: true }, customers: [{ tenant: 'nodot' }] }")[0]!, /customers\[0\]\.tenant: must be a tenant ID/);
  assert.match(problems("{ version: 1, application: { multiTenant: true }, customers: [{ tenant: 'a.b', credentialEnv: '1X' }] }")[0]!, /customers\[0\]\.credentialEnv/);
});

test('the credential variables of a customer: its credentialEnv, else ENTRA_PORTAL_TENANT_<TENANT>', () => {
  assert.equal(defaultCredentialEnv('fabrikam.onmicrosoft.com'), 'ENTRA_PORTAL_TENANT_FABRIKAM_ONMICROSOFT_COM');
  assert.equal(defaultCredentialEnv('72f988bf-86f1-41af-91ab-2d7cd011db47'), 'ENTRA_PORTAL_TENANT_72F988BF_86F1_41AF_91AB_2D7CD011DB47');
  assert.equal(credentialEnvOf({ tenant: 'a.b', credentialEnv: 'FAB' }), 'FAB');
});

test('the admin-consent URL: v2 endpoint on the cloud\'s login host, {graph}/.default, the portal URL as redirect', () => {
  assert.equal(
    adminConsentUrl({ login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com', tenant: 'fabrikam.onmicrosoft.com', appId: '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', redirectUri: 'https://portal.abc.com:4443' }),
    'https://login.microsoftonline.com/fabrikam.onmicrosoft.com/v2.0/adminconsent?client_id=4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fportal.abc.com%3A4443',
  );
  const us = new URL(adminConsentUrl({ login: 'https://login.microsoftonline.us/', graph: 'https://graph.microsoft.us', tenant: 'x.onmicrosoft.us', appId: 'a', redirectUri: 'https://p:4443', state: 's' }));
  assert.equal(us.origin + us.pathname, 'https://login.microsoftonline.us/x.onmicrosoft.us/v2.0/adminconsent');
  assert.equal(us.searchParams.get('scope'), 'https://graph.microsoft.us/.default');
  assert.equal(us.searchParams.get('state'), 's');
  assert.deepEqual(consentUrlParts({ application: { appId: 'A', multiTenant: true }, portal: { url: 'HTTPS://Portal.abc.com:4443/' } }), { ok: true, appId: 'a', redirectUri: 'https://portal.abc.com:4443' });
  assert.equal((consentUrlParts({ application: { multiTenant: true }, portal: { url: 'https://p:1' } }) as { code: string }).code, 'no-app-id');
  assert.equal((consentUrlParts({ application: { appId: 'a' } }) as { code: string }).code, 'not-multi-tenant');
  assert.equal((consentUrlParts({ application: { appId: 'a', multiTenant: true } }) as { code: string }).code, 'no-portal-url');
});
