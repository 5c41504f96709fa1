/**
 * Concurrent first applies of the same application (same uniqueName, one tenant): whichever run's
 * upsert creates it, the others find their plan out of date — the upsert answered "updated", or
 * Entra refused a write the first run's write made stale (CannotDeleteOrUpdateEnabledEntitlement
 * on the access_as_user scope each planned with its own id) — and observe and re-plan instead of
 * failing. Exactly one application, one scope, one service principal, two grants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type Context } from '../../src/context.js';
import { apply, type ApplyResult } from '../../src/cmdlets/apply.js';
import { sessionPool } from '../../src/fleet/sessions.js';
import { loadConfig } from '../../src/config/index.js';
import { openSession } from '../../src/session.js';
import { graphList } from '../../src/graph/request.js';
import type { Application } from '../../src/model/graph.js';

test('four concurrent first applies of one uniqueName: all succeed, one application, nothing duplicated (3 rounds)', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-race-'));
  try {
    const ctx = createContext({ cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' }, stderr: { write: () => true }, stdout: { write: () => true } });
    let replanned = 0;
    for (const round of [1, 2, 3]) {
      const paths: string[] = [];
      for (let i = 0; i < 4; i++) {
        const p = join(dir, `r${round}-${i}.json5`);
        await writeFile(p, `{ version: 1, region: 'Emulator', tenant: 'contoso.onmicrosoft.com', application: { name: 'Race ${round}', uniqueName: 'race-${round}', multiTenant: false }, portal: { url: 'https://race.abc.com:4443', restApiPort: 4443 } }\n`);
        paths.push(p);
      }
      const results = await concurrentApplies(paths, ctx);
      const failed = results.filter((x) => x.error !== undefined);
      assert.equal(failed.length, 0, `round ${round}: ${failed.map((x) => String(x.error)).join('; ')}`);
      replanned += results.filter((x) => /Entra changed while applying/.test(x.log)).length;
      const appIds = new Set(results.map((x) => x.result?.appId));
      assert.equal(appIds.size, 1, `round ${round}: every config recorded the same application`);

      const loaded = await loadConfig(paths[0]!);
      const session = await openSession(loaded, ctx);
      try {
        const apps = await graphList<Application>(session, `/applications?$filter=${encodeURIComponent(`displayName eq 'Race ${round}'`)}&$select=id,appId,api`);
        assert.equal(apps.length, 1, `round ${round}: one application`);
        assert.equal(apps[0]!.api?.oauth2PermissionScopes?.length, 1, `round ${round}: one access_as_user scope`);
        const sps = await graphList<{ id: string }>(session, `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${apps[0]!.appId}'`)}`);
        assert.equal(sps.length, 1, `round ${round}: one service principal`);
        const grants = await graphList<{ consentType: string }>(session, `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${sps[0]!.id}'`)}`);
        assert.equal(grants.filter((g) => g.consentType === 'AllPrincipals').length, 2, `round ${round}: two grants`);
      } finally {
        await session.close();
      }
    }
    assert.ok(replanned > 0, 'the runs did race: some found their plan out of date and re-planned');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * Each config's apply at the same time, on one shared embedded emulator and session (as a fleet
 * shares them; a fleet itself refuses two configs of one application), each with its own log.
 */
async function concurrentApplies(paths: readonly string[], ctx: Context): Promise<{ result?: ApplyResult; error?: unknown; log: string }[]> {
  const pool = sessionPool(ctx);
  try {
    return await Promise.all(
      paths.map(async (config) => {
        let log = '';
        const runCtx = createContext({ cwd: ctx.cwd, env: ctx.env, stderr: { write: (t: string) => ((log += t), true) }, stdout: { write: () => true } });
        try {
          const session = await pool.get(await loadConfig(config), runCtx);
          return { result: await apply({ config, session }, runCtx), log };
        } catch (error) {
          return { error, log };
        }
      }),
    );
  } finally {
    await pool.close();
  }
}
