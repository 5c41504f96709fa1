/** Drift of each managed field: detected by --what-if --detailed-exitcode (exit 2), repaired by apply. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphCall } from '../../src/graph/request.js';
import type { GraphSession } from '../../src/graph/session.js';
import type { Application as GraphApplication } from '../../src/model/graph.js';
import { baseConfig, grantsOf, patchApp, readApp, spOf, withWorkspace } from '../helpers/apply-harness.js';

interface Drift {
  name: string;
  /** what the other admin does */
  make(s: GraphSession, app: GraphApplication): Promise<void>;
  /** the plan entries it must produce, as resource:action[:field] */
  expect: string[];
}

const DRIFTS: Drift[] = [
  { name: 'portal redirect URI removed', make: (s, a) => patchApp(s, a.id, { spa: { redirectUris: [] } }), expect: ['redirectUri:add:spa.redirectUris'] },
  { name: 'certificate removed', make: (s, a) => patchApp(s, a.id, { keyCredentials: [] }), expect: ['keyCredential:add:keyCredentials'] },
  { name: 'permissions removed', make: (s, a) => patchApp(s, a.id, { requiredResourceAccess: [] }), expect: ['requiredResourceAccess:add:requiredResourceAccess', 'requiredResourceAccess:add:requiredResourceAccess'] },
  { name: 'audience widened', make: (s, a) => patchApp(s, a.id, { signInAudience: 'AzureADMultipleOrgs' }), expect: ['application:update:signInAudience'] },
  { name: 'public client flows off', make: (s, a) => patchApp(s, a.id, { isFallbackPublicClient: false }), expect: ['application:update:isFallbackPublicClient'] },
  {
    name: 'implicit grant on',
    make: (s, a) => patchApp(s, a.id, { web: { ...(a.web ?? {}), implicitGrantSettings: { enableIdTokenIssuance: true, enableAccessTokenIssuance: true } } }),
    expect: ['application:update:web.implicitGrantSettings'],
  },
  { name: 'identifier URI removed', make: (s, a) => patchApp(s, a.id, { identifierUris: [] }), expect: ['identifierUri:add:identifierUris'] },
  {
    name: 'access_as_user scope made a User scope',
    make: (s, a) =>
      patchApp(s, a.id, { api: { ...(a.api ?? {}), oauth2PermissionScopes: (a.api?.oauth2PermissionScopes ?? []).map((x) => ({ ...x, type: 'User' })) } }),
    expect: ['permissionScope:update:api.oauth2PermissionScopes'],
  },
  { name: 'display name changed', make: (s, a) => patchApp(s, a.id, { displayName: 'Renamed by someone' }), expect: ['application:update:displayName'] },
  {
    name: 'service principal tag removed',
    make: async (s, a) => {
      const sp = await spOf(s, a.appId);
      await graphCall(s, { method: 'PATCH', path: `/servicePrincipals/${sp!.id}`, body: { tags: [] } });
    },
    expect: ['servicePrincipal:update:tags'],
  },
  {
    name: 'admin consent narrowed',
    make: async (s, a) => {
      const sp = await spOf(s, a.appId);
      const graphGrant = (await grantsOf(s, sp!.id)).find((g) => g.scope.includes('User.Read'));
      await graphCall(s, { method: 'PATCH', path: `/oauth2PermissionGrants/${graphGrant!.id}`, body: { scope: 'openid' } });
    },
    // User.Read is missing (added back), and openid was never asked for (unmanaged, kept until --prune)
    expect: ['oauth2PermissionGrant:update:scope', 'oauth2PermissionGrant:keep:scope'],
  },
];

test('every managed field: drift detected (exit 2, nothing written) and repaired', { timeout: 300_000 }, async () => {
  await withWorkspace(async (ws) => {
    const cert = await ws.makeCert('portal', 'CN=Veeam Restore Portal');
    await ws.writeConfig(baseConfig({ certificate: { thumbprint: cert.info.thumbprint, file: cert.file } }));
    const registered = await ws.run();
    assert.equal(registered.error, undefined, String(registered.error));
    const appId = registered.result!.appId!;

    for (const drift of DRIFTS) {
      await ws.admin(async (s) => drift.make(s, await readApp(s, appId)));
      const check = await ws.run({ whatIf: true, detailedExitcode: true });
      assert.equal(check.error, undefined, `${drift.name}: ${String(check.error)}`);
      assert.equal(check.result?.exitCode, 2, drift.name);
      assert.deepEqual(check.writes, [], `${drift.name}: what-if writes nothing`);
      const got = check.result!.plan.changes.map((c) => `${c.resource}:${c.action}${'field' in c && c.field ? `:${c.field}` : ''}`);
      assert.deepEqual(got, drift.expect, drift.name);
      const repair = await ws.run({ detailedExitcode: true });
      assert.equal(repair.error, undefined, `${drift.name}: ${String(repair.error)}`);
      assert.equal(repair.result?.exitCode, 2, `${drift.name}: changes made → 2 with --detailed-exitcode`);
      assert.ok(repair.writes.length >= 1 && repair.writes.length <= 2, `${drift.name}: ${repair.writes.length} writes`);
    }
    // the unmanaged scope is still there: drift until pruned
    const kept = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(kept.result?.exitCode, 2);
    assert.deepEqual(kept.result?.kept.map((c) => c.resource), ['oauth2PermissionGrant']);
    const pruned = await ws.run({ prune: true });
    assert.equal(pruned.error, undefined, String(pruned.error));
    const final = await ws.run({ whatIf: true, detailedExitcode: true });
    assert.equal(final.result?.exitCode, 0);
    assert.equal(final.result?.inSync, true);
    await ws.admin(async (s) => {
      const app = await readApp(s, appId);
      assert.equal(app.displayName, 'Veeam Restore Portal');
      assert.equal(app.api?.oauth2PermissionScopes?.length, 1, 'the scope was repaired in place, not duplicated');
      const sp = await spOf(s, appId);
      const grants = await grantsOf(s, sp!.id);
      assert.equal(grants.length, 2, 'grants extended, never duplicated');
      assert.ok(grants.some((g) => g.scope === 'User.Read'));
    });
  });
});
