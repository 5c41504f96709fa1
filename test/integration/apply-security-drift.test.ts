/**
 * What an intruder changes behind the tool's back, made through Graph on the emulator: each one
 * makes the drift check exit 2 naming it and at least one entra.* check fail; `apply` without
 * --prune keeps it (and the drift check still exits 2); `apply --prune` removes it; then the drift
 * check exits 0 and every entra.* check passes. All entra.* checks pass exactly when the drift
 * check exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/context.js';
import { testPortal, type TestPortalResult } from '../../src/cmdlets/test-portal.js';
import { installCert } from '../../src/cmdlets/install-cert.js';
import { generateSelfSigned } from '../../src/certs/index.js';
import { graphCall } from '../../src/graph/request.js';
import type { GraphSession } from '../../src/graph/session.js';
import type { Application } from '../../src/model/graph.js';
import { baseConfig, grantsOf, patchApp, readApp, spOf, withWorkspace, type Workspace } from '../helpers/apply-harness.js';
import { fakeClock } from '../helpers/graph-fakes.js';
import { testEnv } from '../helpers/pki.js';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const MAIL_READ_ROLE = '810c84a8-4a9e-49e6-bf7d-12d183f40d01';
const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

interface Intrusion {
  name: string;
  make(s: GraphSession, app: Application): Promise<unknown>;
  /** what the drift check's plan must say about it */
  named: RegExp;
  /** the entra.* check that must fail */
  check: string;
  /** described by the config (the audience): apply repairs it without --prune */
  managed?: true;
}

async function graphSp(s: GraphSession, appId: string): Promise<string> {
  const r = await graphCall<{ value: { id: string }[] }>(s, { method: 'GET', path: `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}` });
  return r.body.value[0]!.id;
}

const INTRUSIONS: Intrusion[] = [
  {
    name: 'a client secret added (addPassword)',
    make: (s, a) => graphCall(s, { method: 'POST', path: `/applications/${a.id}/addPassword`, body: { passwordCredential: { displayName: 'totally legit' } } }),
    named: /client secret "totally legit" keyId [0-9a-f-]{36}/,
    check: 'entra.credentials',
  },
  {
    name: 'a client secret added to the service principal (the enterprise application)',
    make: async (s, a) => {
      const sp = (await spOf(s, a.appId))!;
      await graphCall(s, { method: 'POST', path: `/servicePrincipals/${sp.id}/addPassword`, body: { passwordCredential: { displayName: 'hidden in the enterprise app' } } });
    },
    named: /client secret on the service principal "hidden in the enterprise app" keyId/,
    check: 'entra.consent',
  },
  {
    name: 'a certificate added to the service principal (it signs in as the app in this tenant)',
    make: async (s, a) => {
      const sp = (await spOf(s, a.appId))!;
      const { info } = await generateSelfSigned({ subject: 'CN=sp-intruder', validityDays: 30 });
      await graphCall(s, {
        method: 'PATCH',
        path: `/servicePrincipals/${sp.id}`,
        body: { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: info.derBase64, displayName: 'CN=sp-intruder' }] },
      });
    },
    named: /certificate on the service principal [0-9A-F]{40} \(CN=sp-intruder\)/,
    check: 'entra.consent',
  },
  {
    name: 'a client application pre-authorized for access_as_user (no consent prompt)',
    make: (s, a) => {
      const scope = a.api!.oauth2PermissionScopes!.find((p) => p.value === 'access_as_user')!;
      return patchApp(s, a.id, { api: { preAuthorizedApplications: [{ appId: '9e1f0b7a-1b2c-4d3e-8f40-5a6b7c8d9e0f', delegatedPermissionIds: [scope.id] }] } });
    },
    named: /pre-authorized client application 9e1f0b7a-1b2c-4d3e-8f40-5a6b7c8d9e0f \(1 scope, no consent prompt\)/,
    check: 'entra.permissions',
  },
  {
    name: 'a web redirect URI to another host',
    make: (s, a) => patchApp(s, a.id, { web: { ...(a.web ?? {}), redirectUris: ['https://evil.example.com/cb'] } }),
    named: /web redirect URI https:\/\/evil\.example\.com\/cb/,
    check: 'entra.redirect-uri',
  },
  {
    name: 'the audience widened to every organisation',
    make: (s, a) => patchApp(s, a.id, { signInAudience: 'AzureADMultipleOrgs' }),
    named: /signInAudience: AzureADMultipleOrgs → AzureADMyOrg/,
    check: 'entra.app',
    managed: true,
  },
  {
    name: 'a second certificate added next to ours',
    make: async (s, a) => {
      const { info } = await generateSelfSigned({ subject: 'CN=intruder', validityDays: 30 });
      await patchApp(s, a.id, {
        keyCredentials: [...(a.keyCredentials ?? []), { type: 'AsymmetricX509Cert', usage: 'Verify', key: info.derBase64, displayName: 'CN=intruder' }],
      });
    },
    named: /certificate [0-9A-F]{40} \(CN=intruder\)/,
    check: 'entra.certificate',
  },
  {
    name: 'the old portal address left registered',
    make: (s, a) => patchApp(s, a.id, { spa: { redirectUris: [...(a.spa?.redirectUris ?? []), 'https://old-portal.abc.com:4443'] } }),
    named: /spa redirect URI https:\/\/old-portal\.abc\.com:4443/,
    check: 'entra.redirect-uri',
  },
  {
    name: 'a federated credential (a GitHub workflow signs in as the app)',
    make: (s, a) =>
      graphCall(s, {
        method: 'POST',
        path: `/applications/${a.id}/federatedIdentityCredentials`,
        body: { name: 'gh', issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:evil/x:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'] },
      }),
    named: /federated credential "gh" issuer https:\/\/token\.actions\.githubusercontent\.com/,
    check: 'entra.credentials',
  },
  {
    name: 'an application permission granted to the portal app (Mail.Read: every mailbox)',
    make: async (s, a) => {
      const sp = (await spOf(s, a.appId))!;
      const graph = await graphSp(s, GRAPH_APP_ID);
      await graphCall(s, { method: 'POST', path: `/servicePrincipals/${sp.id}/appRoleAssignments`, body: { principalId: sp.id, resourceId: graph, appRoleId: MAIL_READ_ROLE } });
    },
    named: /Microsoft Graph: Mail\.Read \(application permission\)/,
    check: 'entra.consent',
  },
  {
    name: 'admin consent widened (Mail.Read on the Graph grant)',
    make: async (s, a) => {
      const sp = (await spOf(s, a.appId))!;
      const g = (await grantsOf(s, sp.id)).find((x) => x.scope === 'User.Read')!;
      await graphCall(s, { method: 'PATCH', path: `/oauth2PermissionGrants/${g.id}`, body: { scope: 'User.Read Mail.Read' } });
    },
    named: /admin consent on Microsoft Graph: "Mail\.Read"/,
    check: 'entra.consent',
  },
  {
    name: 'admin consent on another resource (Exchange)',
    make: async (s, a) => {
      const sp = (await spOf(s, a.appId))!;
      const exo = await graphSp(s, EXCHANGE_APP_ID);
      await graphCall(s, { method: 'POST', path: '/oauth2PermissionGrants', body: { clientId: sp.id, consentType: 'AllPrincipals', resourceId: exo, scope: 'EWS.AccessAsUser.All' } });
    },
    named: /admin consent on Office 365 Exchange Online: "EWS\.AccessAsUser\.All"/,
    check: 'entra.consent',
  },
  {
    name: 'an extra permission requested (Mail.Read)',
    make: (s, a) =>
      patchApp(s, a.id, {
        requiredResourceAccess: (a.requiredResourceAccess ?? []).map((r) =>
          r.resourceAppId === GRAPH_APP_ID ? { ...r, resourceAccess: [...r.resourceAccess, { id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', type: 'Scope' }] } : r,
        ),
      }),
    named: /permission Microsoft Graph: Mail\.Read \(delegated\)/,
    check: 'entra.permissions',
  },
];

const ENTRA = ['entra.app', 'entra.redirect-uri', 'entra.certificate', 'entra.credentials', 'entra.permissions', 'entra.consent'];

async function entraChecks(ws: Workspace): Promise<TestPortalResult['checks']> {
  const sink = { write: () => true };
  // a virtual clock: the re-reads of what is missing (settle) pass at once
  const ctx = createContext({ cwd: ws.dir, env: testEnv(ws.dir), clock: fakeClock(Date.now()), stderr: sink, stdout: sink });
  // the portal URL is a closed loopback port: the network checks fail fast, the Entra ones are what counts here
  const r = await testPortal({ config: ws.configPath, timeout: 5, settle: 1 }, ctx);
  return r.checks.filter((c) => ENTRA.includes(c.id));
}

test('every intrusion is drift, named; kept without --prune, removed with it; checks and drift agree', { timeout: 600_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig({ portal: { url: 'https://127.0.0.1:9', restApiPort: 9 } }));
    const ctx = createContext({ cwd: ws.dir, env: testEnv(ws.dir), stderr: { write: () => true } });
    await installCert({ generate: true, subject: 'CN=Veeam Restore Portal', config: ws.configPath }, ctx);
    const registered = await ws.run();
    assert.equal(registered.error, undefined, String(registered.error));
    const appId = registered.result!.appId!;
    const clean = await entraChecks(ws);
    assert.deepEqual(clean.filter((c) => c.status === 'fail'), [], 'in sync: no entra.* check fails');

    for (const intrusion of INTRUSIONS) {
      await ws.admin(async (s) => intrusion.make(s, await readApp(s, appId)));

      const drift = await ws.run({ whatIf: true, detailedExitcode: true }, { env: {} });
      assert.equal(drift.error, undefined, `${intrusion.name}: ${String(drift.error)}`);
      assert.equal(drift.result?.exitCode, 2, `${intrusion.name}: the drift check must exit 2`);
      assert.deepEqual(drift.writes, [], `${intrusion.name}: a drift check writes nothing`);
      assert.match(drift.stderr, intrusion.named, `${intrusion.name}: named in the plan`);

      const checks = await entraChecks(ws);
      const failed: string[] = checks.filter((c) => c.status === 'fail').map((c) => c.id);
      assert.ok(failed.includes(intrusion.check), `${intrusion.name}: ${intrusion.check} must fail (failed: ${failed.join(', ')})`);

      const kept = await ws.run();
      assert.equal(kept.error, undefined, `${intrusion.name}: ${String(kept.error)}`);
      if (intrusion.managed) {
        assert.deepEqual(kept.result!.kept, [], `${intrusion.name}: the config describes it: apply repairs it`);
      } else {
        assert.ok(kept.result!.kept.length > 0, `${intrusion.name}: apply keeps it`);
        assert.match(kept.stderr, /not described by the config (was|were) kept \(still drift\): remove .* with "entra-portal apply --prune"/, `${intrusion.name}: apply says it kept it, and the way out`);
        const stillDrift = await ws.run({ whatIf: true, detailedExitcode: true });
        assert.equal(stillDrift.result?.exitCode, 2, `${intrusion.name}: still drift after apply without --prune`);
        const pruned = await ws.run({ prune: true });
        assert.equal(pruned.error, undefined, `${intrusion.name}: ${String(pruned.error)}`);
      }
      const after = await ws.run({ whatIf: true, detailedExitcode: true });
      assert.equal(after.result?.exitCode, 0, `${intrusion.name}: in sync after --prune (${JSON.stringify(after.result?.plan.changes)})`);
      const healed = await entraChecks(ws);
      assert.deepEqual(healed.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`), [], `${intrusion.name}: every entra.* check passes again`);
    }
  });
});
