/**
 * The Graph layer's retry, consistency and dropped-write handling against the emulator's faults
 * (real Graph SDK, real @azure/identity, HTTPS). Each case registers an application, its service
 * principal and an admin-consent grant, then checks that exactly one of each exists.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createContext, type Context } from '../../src/context.js';
import {
  createGrant,
  createServicePrincipal,
  getApplicationByAppId,
  getServicePrincipalByAppId,
  INTEGRATED_APP_TAG,
  listAllPrincipalsGrants,
  MICROSOFT_GRAPH_APP_ID,
  patchApplication,
  upsertApplicationByUniqueName,
  type ServicePrincipal,
} from '../../src/graph/api.js';
import { observe } from '../../src/reconcile/observe.js';
import { graphList } from '../../src/graph/request.js';
import { graphBatch } from '../../src/graph/batch.js';
import { openSession, type Session as GraphSession } from '../../src/session.js';
import { fakeClock, recordingLogger } from '../helpers/graph-fakes.js';
import { TEST_PKI_FILE } from '../helpers/pki.js';

function ctxWith(faults: string): Context {
  const sink = { write: () => true, isTTY: false };
  // a virtual clock: the retries' sleeps advance it, and the embedded emulator's replication lag with them
  const clock = fakeClock(Date.now());
  return { ...createContext({ env: { ENTRA_PORTAL_EMULATOR_FAULTS: faults, ENTRA_PORTAL_EMULATOR_PKI: TEST_PKI_FILE }, stdout: sink, stderr: sink, verbosity: 'quiet', clock }), log: recordingLogger() };
}

async function withSession<T>(faults: string, fn: (s: GraphSession) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'graph-faults-'));
  const session = await openSession({ dir, config: { version: 1, region: 'Emulator' } }, ctxWith(faults), { propagationTimeout: 60 });
  try {
    return await fn(session);
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The registration the reconciler performs, through the Graph layer only. */
async function register(session: GraphSession, uniqueName: string) {
  const { application } = await upsertApplicationByUniqueName(session, uniqueName, { displayName: 'Veeam Restore Portal' });
  await patchApplication(session, application.id, { spa: { redirectUris: ['https://portal.example.test:4443'] } });
  const read = await getApplicationByAppId(session, application.appId);
  assert.deepEqual(read?.spa?.redirectUris, ['https://portal.example.test:4443']);
  const sp = await createServicePrincipal(session, { appId: application.appId, tags: [INTEGRATED_APP_TAG] });
  const graphSp = (await getServicePrincipalByAppId(session, MICROSOFT_GRAPH_APP_ID)) as ServicePrincipal;
  await createGrant(session, { clientId: sp.id, resourceId: graphSp.id, scope: 'User.Read' });
  // a second create for the same pair: Graph answers 409; the existing grant is extended instead
  const grant = await createGrant(session, { clientId: sp.id, resourceId: graphSp.id, scope: 'User.Read openid' });
  assert.equal(grant.scope, 'User.Read openid');
  return { appId: application.appId, spId: sp.id };
}

/** Exactly one application, one service principal and one AllPrincipals grant. */
async function assertExactlyOne(session: GraphSession, uniqueName: string, appId: string, spId: string) {
  const apps = await graphList<{ appId: string }>(session, `/applications?$filter=${encodeURIComponent(`displayName eq 'Veeam Restore Portal'`)}`);
  assert.equal(apps.length, 1, `applications: ${apps.length}`);
  assert.equal(apps[0]?.appId, appId);
  const sps = await graphList(session, `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
  assert.equal(sps.length, 1, `service principals: ${sps.length}`);
  const grants = await listAllPrincipalsGrants(session, spId);
  assert.equal(grants.length, 1);
  assert.equal(grants[0]?.scope, 'User.Read openid');
  const { observed } = await observe(session, { uniqueName });
  assert.equal(observed.application?.appId, appId);
  assert.equal(observed.servicePrincipal?.id, spId);
  assert.equal(observed.grants.length, 1);
}

describe('Graph layer under emulator faults', () => {
  it('throttle=0.5 converges (429 + Retry-After honoured, $batch items retried)', async () => {
    await withSession('throttle=0.5,retry-after=0,seed=7', async (s) => {
      const { appId, spId } = await register(s, 'throttled');
      await assertExactlyOne(s, 'throttled', appId, spId);
      assert.ok(s.emulator!.requests.some((r) => r.status === 429), 'the emulator did throttle');
    });
  });

  it('$batch: 25 reads go in chunks of ≤ 20; throttled items are re-sent on their own', async () => {
    await withSession('throttle=0.5,retry-after=0,seed=11', async (s) => {
      const items = Array.from({ length: 25 }, (_, i) => ({
        method: 'GET' as const,
        path: i % 2 ? `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${MICROSOFT_GRAPH_APP_ID}'`)}` : `/applications(uniqueName='absent-${i}')`,
      }));
      const results = await graphBatch(s, items);
      assert.equal(results.length, 25);
      results.forEach((r, i) => {
        if (i % 2) assert.ok(r.ok && (r.body as { value: { appId: string }[] }).value[0]?.appId === MICROSOFT_GRAPH_APP_ID, `item ${i}`);
        else assert.ok(!r.ok && r.status === 404 && r.error.graphCode === 'Request_ResourceNotFound', `item ${i}`);
      });
      const batches = s.emulator!.requests.filter((r) => r.path.includes('$batch') && !r.inBatch);
      assert.ok(batches.every((b) => (b.batchItems ?? 0) <= 20));
      assert.ok(s.emulator!.requests.some((r) => r.inBatch && r.status === 429), 'some items were throttled');
    });
  });

  it('unavailable=0.3 converges (503 retried)', async () => {
    await withSession('unavailable=0.3,retry-after=0,seed=3', async (s) => {
      const { appId, spId } = await register(s, 'unavailable');
      await assertExactlyOne(s, 'unavailable', appId, spId);
      assert.ok(s.emulator!.requests.some((r) => r.status === 503));
    });
  });

  it('lag=2000 is waited out by the consistency helper', async () => {
    await withSession('lag=2000', async (s) => {
      const { appId, spId } = await register(s, 'lagging');
      await assertExactlyOne(s, 'lagging', appId, spId);
      const lagged = s.emulator!.requests.filter((r) => r.status === 404 || r.status === 400);
      assert.ok(lagged.length > 0, 'the emulator did lag');
    });
  });

  it('lag=3000: a rerun right after a crash (objects it did not create) still waits out a grant reference', async () => {
    await withSession('lag=3000', async (s) => {
      const { application } = await upsertApplicationByUniqueName(s, 'rerun', { displayName: 'Veeam Restore Portal' });
      const sp = await createServicePrincipal(s, { appId: application.appId });
      const graphSp = (await getServicePrincipalByAppId(s, MICROSOFT_GRAPH_APP_ID)) as ServicePrincipal;
      // a new run against the same tenant: a fresh session object knows nothing of what was created
      const rerun: GraphSession = { ...s };
      const grant = await createGrant(rerun, { clientId: sp.id, resourceId: sp.id, scope: 'access_as_user' });
      assert.equal(grant.resourceId, sp.id);
      assert.ok(s.emulator!.requests.some((r) => r.method === 'POST' && r.path.includes('oauth2PermissionGrants') && r.status === 404), 'the reference was refused at first');
      assert.ok(graphSp.id);
    });
  });

  // the writes of `register`: 1 upsert, 2 patch, 3 SP create, 4 grant create, 5 grant patch
  for (const n of [1, 2, 3, 4, 5]) {
    it(`drop-after-write=${n}: the dropped write is re-observed, nothing is duplicated`, async () => {
      await withSession(`drop-after-write=${n}`, async (s) => {
        const { appId, spId } = await register(s, `dropped-${n}`);
        await assertExactlyOne(s, `dropped-${n}`, appId, spId);
        // the emulator logs the committed-then-dropped write with status 0
        assert.ok(s.emulator!.requests.some((r) => r.write && r.status === 0), 'a write was dropped');
      });
    });
  }
});
