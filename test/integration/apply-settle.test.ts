/**
 * No false drift right after apply: Entra replicates a new service principal and new grants with a
 * delay, so a drift check (or test-portal) run right after `apply` may not see them yet. Read-only
 * runs read a missing one again (bounded) before calling it drift — and real drift is still
 * reported. One embedded emulator with `lag=2000` serves every run here (the lag clock lives in it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/context.js';
import { loadConfig } from '../../src/config/index.js';
import { openSession } from '../../src/session.js';
import { apply } from '../../src/cmdlets/apply.js';
import { installCert } from '../../src/cmdlets/install-cert.js';
import { graphCall } from '../../src/graph/request.js';
import { baseConfig, grantsOf, spOf, withWorkspace } from '../helpers/apply-harness.js';
import { fakeClock } from '../helpers/graph-fakes.js';
import { testEnv } from '../helpers/pki.js';

test('a drift check right after apply under lag=2000 is clean; a grant deleted for real is still drift', { timeout: 120_000 }, async () => {
  await withWorkspace(async (ws) => {
    await ws.writeConfig(baseConfig());
    let stderr = '';
    const env = testEnv(ws.dir, { ENTRA_PORTAL_EMULATOR_FAULTS: 'lag=2000' });
    // a virtual clock, which the embedded emulator's lag follows: the re-reads' waits pass at once
    const clock = fakeClock(Date.now());
    const ctx = createContext({ cwd: ws.dir, env, clock, stderr: { write: (t: string) => ((stderr += t), true) }, stdout: { write: () => true } });
    await installCert({ generate: true, subject: 'CN=Veeam Restore Portal', config: ws.configPath }, ctx);
    const session = await openSession(await loadConfig(ws.configPath), ctx, { propagationTimeout: 60 });
    try {
      const registered = await apply({ config: ws.configPath, session }, ctx);
      const appId = registered.appId!;
      stderr = '';
      const check = await apply({ config: ws.configPath, session, whatIf: true, detailedExitcode: true }, ctx);
      assert.equal(check.exitCode, 0, `false drift right after apply: ${JSON.stringify(check.plan.changes)}`);
      assert.equal(check.inSync, true);
      assert.match(stderr, /not visible yet: reading again/, 'it waited for replication, visibly');

      // real drift: the Graph consent is revoked (and stays revoked)
      const sp = (await spOf(session, appId))!;
      const graphGrant = (await grantsOf(session, sp.id)).find((g) => g.scope === 'User.Read')!;
      await graphCall(session, { method: 'DELETE', path: `/oauth2PermissionGrants/${graphGrant.id}` });
      const drift = await apply({ config: ws.configPath, session, whatIf: true, detailedExitcode: true, settleMs: 3000 }, ctx);
      assert.equal(drift.exitCode, 2);
      assert.deepEqual(drift.plan.changes.map((c) => `${c.resource}:${c.action}`), ['oauth2PermissionGrant:create']);
    } finally {
      await session.close();
    }
  });
});
