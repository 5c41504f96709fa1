/**
 * Service providers, through the real CLI (in-process) on the embedded emulator: one multi-tenant
 * application in contoso, customer tenants reconciled after it. Checked through Graph as each
 * customer tenant's own operator (the emulator opened on the same state between runs).
 *  - apply creates the service principal and both grants in fabrikam; a rerun is in sync (exit 0
 *    with --what-if --detailed-exitcode); deleting the service principal there is drift (exit 2)
 *    naming fabrikam; apply repairs it;
 *  - a tenant the tool has no credential for is needs-consent (77, its consent URL named) while the
 *    others are reconciled; following consent-url's link (as curl would) onboards it;
 *  - per-tenant credentials from <PREFIX>_* variables; an identity that may read but not write there
 *    leaves the missing service principal as needs-consent with the plan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import { runMain, withTempDir } from '../helpers/cli.js';
import { fakeClock } from '../helpers/graph-fakes.js';
import { assertMatchesSchema } from '../helpers/json-schemas.js';
import { dispatcherFor, graphClientFor, type EmulatorHandle } from '../helpers/emulator.js';
import { startEmulator } from '../../src/emulator/index.js';

const CONTOSO = 'contoso.onmicrosoft.com';
const FABRIKAM = 'fabrikam.onmicrosoft.com';
const NORTHWIND = 'northwind.example';
const PORTAL = 'https://portal.abc.com:4443';
const GRAPH = '00000003-0000-0000-c000-000000000000';

/** The emulator on the state the embedded runs use, for as long as `fn` runs (runs wait for it otherwise). */
async function onState<T>(dir: string, fn: (h: EmulatorHandle) => Promise<T>): Promise<T> {
  const h = await startEmulator({ statePath: join(dir, '.entra-portal', 'emulator-state.json') });
  try {
    return await fn(h);
  } finally {
    await h.stop();
  }
}

/** What the customer tenant holds for the application: its service principal and its AllPrincipals grants' scopes. */
async function inTenant(g: Client, appId: string): Promise<{ sp?: { id: string; tags: string[] }; graph: string[]; own: string[] }> {
  const sp = ((await g.api('/servicePrincipals').filter(`appId eq '${appId}'`).get()) as { value: { id: string; tags: string[] }[] }).value[0];
  if (!sp) return { graph: [], own: [] };
  const graphSp = ((await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()) as { value: { id: string }[] }).value[0]!;
  const grants = ((await g.api(`/servicePrincipals/${sp.id}/oauth2PermissionGrants`).get()) as { value: { consentType: string; resourceId: string; scope: string }[] }).value;
  const on = (id: string) => grants.filter((x) => x.consentType === 'AllPrincipals' && x.resourceId === id).map((x) => x.scope);
  return { sp, graph: on(graphSp.id), own: on(sp.id) };
}

const tenantOf = (h: EmulatorHandle, domain: string) => h.tenants.find((t) => t.domain === domain)!;

async function provider(dir: string): Promise<void> {
  for (const args of [
    ['new-app', '--name', 'SP Portal', '--region', 'Emulator', '--tenant', CONTOSO, '--multi-tenant'],
    ['set-portal-url', PORTAL],
    ['add-customer', '--tenant', FABRIKAM],
  ]) {
    const r = await runMain(args, { cwd: dir });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as { appId: string; exitCode: number; plan: { changes: { tenant?: string; resource: string }[] }; customers: { tenant: string; status: string; exitCode: number; message: string; consentUrl?: string; credential?: string; plan: { changes: unknown[] } }[] };

test('apply reconciles a customer tenant: service principal and both grants; in sync on a rerun; its drift exits 2 naming it', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await provider(dir);
    const applied = await runMain(['apply', '--json'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    const doc = json(applied);
    assertMatchesSchema('plan.schema.json', doc);
    assert.deepEqual(doc.customers.map((c) => [c.tenant, c.status]), [[FABRIKAM, 'changed']]);
    const inFabrikam = doc.plan.changes.filter((c) => c.tenant === FABRIKAM).map((c) => c.resource);
    assert.deepEqual(inFabrikam, ['servicePrincipal', 'oauth2PermissionGrant', 'oauth2PermissionGrant']);
    assert.match(applied.stderr, new RegExp(`Customer tenant ${FABRIKAM}:\\nPlan: 3 to add`));

    await onState(dir, async (h) => {
      const seen = await inTenant(graphClientFor(h, tenantOf(h, FABRIKAM)), doc.appId);
      assert.ok(seen.sp?.tags.includes('WindowsAzureActiveDirectoryIntegratedApp'), JSON.stringify(seen));
      assert.deepEqual([seen.graph, seen.own], [['User.Read'], ['access_as_user']]);
    });

    const again = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^In sync \(appId .*\)\.\nCustomer tenants \(1\):\n {2}in-sync +fabrikam\.onmicrosoft\.com: in sync\n$/);

    const deletedSp = await onState(dir, async (h) => {
      const g = graphClientFor(h, tenantOf(h, FABRIKAM));
      const id = (await inTenant(g, doc.appId)).sp!.id;
      await g.api(`/servicePrincipals/${id}`).delete();
      return id;
    });
    const drift = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir, clock: fakeClock(Date.now()) });
    assert.equal(drift.code, 2, drift.stderr);
    assert.match(drift.stdout, /drift +fabrikam\.onmicrosoft\.com: 3 changes pending/);
    assert.match(drift.stderr, /Customer tenant fabrikam\.onmicrosoft\.com:\nPlan: .*\n.*service principal .* will be restored/);

    // the customer's administrator deleted it less than 30 days ago: brought back, same object id
    const repaired = await runMain(['apply', '--detailed-exitcode'], { cwd: dir });
    assert.equal(repaired.code, 2, repaired.stderr);
    assert.equal((await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir })).code, 0);
    await onState(dir, async (h) => {
      const g = graphClientFor(h, tenantOf(h, FABRIKAM));
      assert.equal((await inTenant(g, doc.appId)).sp!.id, deletedSp, 'restored, not made anew');
    });
  });
});

test('a customer tenant without a credential needs consent (77) and the others still run; consent-url followed as curl would onboards it', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await provider(dir);
    assert.equal((await runMain(['add-customer', '--tenant', NORTHWIND], { cwd: dir })).code, 0);
    const first = await runMain(['apply', '--detailed-exitcode', '--json'], { cwd: dir });
    assert.equal(first.code, 77, first.stderr);
    const doc = json(first);
    assertMatchesSchema('plan.schema.json', doc);
    assert.deepEqual(doc.customers.map((c) => [c.tenant, c.status, c.exitCode]), [[FABRIKAM, 'changed', 2], [NORTHWIND, 'needs-consent', 77]]);
    assert.match(first.stderr, /northwind\.example: cannot sign in or read there: the emulator has no tenant northwind\.example/);
    assert.match(first.stderr, /consent-url --tenant northwind\.example/);
    // in a fleet, that config's run is incomplete: failed, naming the tenant (the fleet exits 1)
    assert.equal((await runMain(['new-app', '-c', 'other.json5', '--name', 'Other Portal', '--region', 'Emulator', '--tenant', CONTOSO], { cwd: dir })).code, 0);
    const fleet = await runMain(['apply', '--what-if', '--json', '-c', 'entra-portal.json5', '-c', 'other.json5'], { cwd: dir });
    assert.equal(fleet.code, 1, fleet.stderr);
    const entry = (JSON.parse(fleet.stdout) as { results: { config: string; status: string; findings: string[] }[] }).results.find((r) => r.config.endsWith('entra-portal.json5'))!;
    assert.equal(entry.status, 'failed');
    assert.match(entry.findings[0]!, /^northwind\.example: cannot sign in or read there/);

    // a standalone emulator on the same state, and a config that points at it: consent-url's link is live
    await onState(dir, async (h) => {
      await writeFile(
        join(dir, 'standalone.json5'),
        JSON.stringify({ version: 1, endpoints: { graph: h.url, login: h.url }, tenant: CONTOSO, application: { appId: doc.appId, multiTenant: true }, portal: { url: PORTAL } }),
      );
      const link = await runMain(['consent-url', '-c', 'standalone.json5', '--tenant', NORTHWIND], { cwd: dir });
      assert.equal(link.code, 0, link.stderr);
      const url = link.stdout.trim();
      assert.ok(url.startsWith(`${h.url}/${NORTHWIND}/v2.0/adminconsent?client_id=${doc.appId}&`), url);
      const res = await fetch(url, { redirect: 'manual', dispatcher: dispatcherFor(h) } as RequestInit);
      assert.equal(res.status, 302);
      const back = new URL(res.headers.get('location')!);
      assert.equal(back.origin, PORTAL);
      assert.equal(back.searchParams.get('admin_consent'), 'True');
      const northwind = await h.ensureTenant(NORTHWIND);
      assert.equal(back.searchParams.get('tenant'), northwind.id);
      const seen = await inTenant(graphClientFor(h, northwind), doc.appId);
      assert.deepEqual([seen.graph, seen.own], [['User.Read'], ['access_as_user']]);
    });
    // the tenant exists now (with an operator the embedded emulator uses): it is in sync
    const after = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir });
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });
});

test('per-tenant credentials from <PREFIX>_* variables; an identity that may only read there leaves the missing service principal as needs-consent', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await provider(dir);
    assert.equal((await runMain(['add-customer', '--tenant', FABRIKAM, '--credential-env', 'FABRIKAM'], { cwd: dir })).code, 0);
    const applied = json(await runMain(['apply', '--json'], { cwd: dir }));
    const { operator, reader } = await onState(dir, async (h) => {
      const fabrikam = tenantOf(h, FABRIKAM);
      const g = graphClientFor(h, fabrikam);
      // a read-only identity in fabrikam, as its administrator would set one up
      const app = (await g.api('/applications').post({ displayName: 'provider drift monitor' })) as { id: string; appId: string };
      const secret = (await g.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'ci' } })) as { secretText: string };
      const sp = (await g.api('/servicePrincipals').post({ appId: app.appId })) as { id: string };
      const graphSp = ((await g.api('/servicePrincipals').filter(`appId eq '${GRAPH}'`).get()) as { value: { id: string }[] }).value[0]!;
      for (const role of ['9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', '7ab1d382-f21e-4acd-a863-ba3e13f7da61']) {
        await g.api(`/servicePrincipals/${sp.id}/appRoleAssignments`).post({ principalId: sp.id, resourceId: graphSp.id, appRoleId: role });
      }
      await g.api(`/servicePrincipals/${(await inTenant(g, applied.appId)).sp!.id}`).delete();
      return { operator: fabrikam.operator, reader: { clientId: app.appId, clientSecret: secret.secretText } };
    });

    const asReader = { FABRIKAM_CLIENT_ID: reader.clientId, FABRIKAM_CLIENT_SECRET: reader.clientSecret };
    // the missing service principal is re-read for a while (replication lag): a virtual clock lets those waits pass at once
    const check = json(await runMain(['apply', '--what-if', '--detailed-exitcode', '--json'], { cwd: dir, env: asReader, clock: fakeClock(Date.now()) }));
    assert.deepEqual([check.exitCode, check.customers[0]!.status, check.customers[0]!.credential], [2, 'drift', 'FABRIKAM_CLIENT_ID + FABRIKAM_CLIENT_SECRET']);
    const refused = await runMain(['apply', '--json'], { cwd: dir, env: asReader, clock: fakeClock(Date.now()) });
    assert.equal(refused.code, 77, refused.stderr);
    const c = json(refused).customers[0]!;
    assert.equal(c.status, 'needs-consent');
    assert.match(c.message, /3 changes pending .*lacks Application\.ReadWrite\.All and DelegatedPermissionGrant\.ReadWrite\.All/);
    assert.equal(c.plan.changes.length, 3);

    const asOperator = { FABRIKAM_CLIENT_ID: operator.clientId, FABRIKAM_CLIENT_SECRET: operator.clientSecret };
    assert.equal((await runMain(['apply'], { cwd: dir, env: asOperator })).code, 0);
    const partial = { FABRIKAM_CLIENT_ID: operator.clientId };
    const incomplete = json(await runMain(['apply', '--what-if', '--json'], { cwd: dir, env: partial }));
    assert.equal(incomplete.customers[0]!.status, 'needs-consent');
    assert.match(incomplete.customers[0]!.message, /FABRIKAM_CLIENT_SECRET, FABRIKAM_CLIENT_CERTIFICATE_PATH or FABRIKAM_FEDERATED_TOKEN_FILE is not set/);
  });
});

test('test-portal: one entra.customer line per customer tenant, agreeing with apply; --customer checks one', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await provider(dir);
    // a portal address that refuses at once: the network checks fail fast, the Entra ones are what matters here
    assert.equal((await runMain(['set-portal-url', 'https://127.0.0.1:1', '--rest-api-port', '1'], { cwd: dir })).code, 0);
    assert.equal((await runMain(['add-customer', '--tenant', NORTHWIND], { cwd: dir })).code, 0);
    const applied = json(await runMain(['apply', '--json'], { cwd: dir }));
    const lines = (stdout: string) => (JSON.parse(stdout) as { checks: { id: string; tenant?: string; status: string; message: string; remedy?: string }[] }).checks.filter((c) => c.id === 'entra.customer');

    const all = await runMain(['test-portal', '--json', '--timeout', '1'], { cwd: dir, clock: fakeClock(Date.now()) });
    assertMatchesSchema('test-result.schema.json', JSON.parse(all.stdout));
    const [fabrikam, northwind, ...rest] = lines(all.stdout);
    assert.deepEqual(rest, []);
    assert.deepEqual([fabrikam!.tenant, fabrikam!.status], [FABRIKAM, 'pass']);
    assert.deepEqual([northwind!.tenant, northwind!.status], [NORTHWIND, 'fail']);
    assert.match(northwind!.message, /^northwind\.example: needs consent — cannot sign in or read there/);
    assert.match(northwind!.remedy!, /Have an administrator of northwind\.example open the link "entra-portal consent-url --tenant northwind\.example" prints/);
    const human = await runMain(['test-portal', '--timeout', '1'], { cwd: dir, clock: fakeClock(Date.now()) });
    assert.match(human.stdout, /✔ entra\.customer +fabrikam\.onmicrosoft\.com: /);

    await onState(dir, async (h) => {
      const g = graphClientFor(h, tenantOf(h, FABRIKAM));
      await g.api(`/servicePrincipals/${(await inTenant(g, applied.appId)).sp!.id}`).delete();
    });
    const one = await runMain(['test-portal', '--json', '--timeout', '1', '--customer', FABRIKAM.toUpperCase()], { cwd: dir, clock: fakeClock(Date.now()) });
    const only = lines(one.stdout);
    assert.deepEqual(only.map((c) => [c.tenant, c.status]), [[FABRIKAM, 'fail']]);
    // deleted by the customer's administrator: in deleted items, so it is restored rather than made anew
    assert.match(only[0]!.message, /^fabrikam\.onmicrosoft\.com: the service principal \(enterprise application\): service principal [0-9a-f-]{36} was deleted on .*: it will be restored/);
    // a project without customers has no entra.customer line at all
    assert.equal((await runMain(['remove-customer', '--tenant', FABRIKAM], { cwd: dir })).code, 0);
    assert.equal((await runMain(['remove-customer', '--tenant', NORTHWIND], { cwd: dir })).code, 0);
    assert.deepEqual(lines((await runMain(['test-portal', '--json', '--timeout', '1'], { cwd: dir, clock: fakeClock(Date.now()) })).stdout), []);
  });
});

test('a certificate added to the service principal in a customer tenant is drift naming that tenant, kept, and removed by --prune', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await provider(dir);
    const applied = await runMain(['apply', '--json'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    const { appId } = json(applied);
    const { generateSelfSigned } = await import('../../src/certs/index.js');
    const { info } = await generateSelfSigned({ subject: 'CN=customer-sp-intruder', validityDays: 30 });
    const keysOf = (h: EmulatorHandle) => onSp(h, appId, async (g, sp) => ((await g.api(`/servicePrincipals/${sp}`).get()) as { keyCredentials?: unknown[] }).keyCredentials ?? []);
    await onState(dir, (h) => onSp(h, appId, (g, sp) => g.api(`/servicePrincipals/${sp}`).patch({ keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: info.derBase64, displayName: 'CN=customer-sp-intruder' }] })));
    const drift = await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir, clock: fakeClock(Date.now()) });
    assert.equal(drift.code, 2, drift.stderr);
    assert.match(drift.stderr, /Customer tenant fabrikam\.onmicrosoft\.com:\n(?:.*\n)*.*certificate on the service principal [0-9A-F]{40} \(CN=customer-sp-intruder\)/);
    const kept = await runMain(['apply'], { cwd: dir });
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal((await onState(dir, keysOf)).length, 1, 'kept without --prune');
    const pruned = await runMain(['apply', '--prune', '--yes'], { cwd: dir });
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.deepEqual(await onState(dir, keysOf), []);
    assert.equal((await runMain(['apply', '--what-if', '--detailed-exitcode'], { cwd: dir, clock: fakeClock(Date.now()) })).code, 0);
  });
});

async function onSp<T>(h: EmulatorHandle, appId: string, fn: (g: Client, spId: string) => Promise<T>): Promise<T> {
  const g = graphClientFor(h, tenantOf(h, FABRIKAM));
  return fn(g, (await inTenant(g, appId)).sp!.id);
}
