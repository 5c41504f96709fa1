/**
 * createGrant meets an existing AllPrincipals grant (409, or a dropped POST re-read): the grant is
 * widened to the union of scopes, never narrowed — consent another administrator gave survives.
 * Real Graph SDK and @azure/identity against the emulator over HTTPS.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createContext, type Context } from '../../src/context.js';
import {
  createGrant,
  createServicePrincipal,
  getServicePrincipalByAppId,
  listAllPrincipalsGrants,
  MICROSOFT_GRAPH_APP_ID,
  upsertApplicationByUniqueName,
} from '../../src/graph/api.js';
import { openSession, type Session as GraphSession } from '../../src/session.js';
import { recordingLogger } from '../helpers/graph-fakes.js';
import { TEST_PKI_FILE } from '../helpers/pki.js';

function quietCtx(): Context {
  const sink = { write: () => true, isTTY: false };
  return { ...createContext({ env: { ENTRA_PORTAL_EMULATOR_PKI: TEST_PKI_FILE }, stdout: sink, stderr: sink, verbosity: 'quiet' }), log: recordingLogger() };
}

let dir: string;
let session: GraphSession;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'graph-grant-'));
  session = await openSession({ dir, config: { version: 1, region: 'Emulator' } }, quietCtx());
});
after(async () => {
  await session?.close();
  await rm(dir, { recursive: true, force: true });
});

it('a second createGrant for the same client and resource extends the existing grant to the union', async () => {
  const { application } = await upsertApplicationByUniqueName(session, 'grant-union', { displayName: 'grant union' });
  const sp = await createServicePrincipal(session, { appId: application.appId });
  const graphSp = await getServicePrincipalByAppId(session, MICROSOFT_GRAPH_APP_ID);
  assert.ok(graphSp);

  await createGrant(session, { clientId: sp.id, resourceId: graphSp.id, scope: 'openid profile' });
  const adopted = await createGrant(session, { clientId: sp.id, resourceId: graphSp.id, scope: 'User.Read openid' });
  assert.equal(adopted.scope, 'openid profile User.Read');

  const grants = (await listAllPrincipalsGrants(session, sp.id)).filter((g) => g.resourceId === graphSp.id);
  assert.equal(grants.length, 1, 'never a duplicate grant');
  assert.deepEqual(grants[0]!.scope!.split(' ').sort(), ['User.Read', 'openid', 'profile']);
});
