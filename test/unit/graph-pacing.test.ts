/** Client-side pacing of keyCredentials reads: one token bucket per cloud and tenant, on the session's clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paceKeyCredentialReads, resetPacing, selectsKeyCredentials } from '../../src/graph/pacing.js';

function fakeSession(tenant: string) {
  let now = 0;
  const sleeps: number[] = [];
  const progress: string[] = [];
  const ctx = {
    clock: { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) },
    log: { progress: (m: string) => progress.push(m), done: () => {} },
  };
  return { session: { endpoints: { graph: 'https://graph.example' }, tenant, ctx } as never, sleeps, progress, advance: (ms: number) => (now += ms) };
}

test('which reads count: a GET of applications that selects keyCredentials, in any case and position', () => {
  assert.equal(selectsKeyCredentials('GET', "/applications(appId='x')?$select=id,keyCredentials"), true);
  assert.equal(selectsKeyCredentials('GET', '/applications?$filter=x&$select=KEYCREDENTIALS'), true);
  assert.equal(selectsKeyCredentials('GET', '/applications?$select=id%2CkeyCredentials'), true);
  assert.equal(selectsKeyCredentials('GET', '/applications/abc'), false, 'without $select the key is not returned: not limited');
  assert.equal(selectsKeyCredentials('PATCH', '/applications/abc?$select=keyCredentials'), false);
  assert.equal(selectsKeyCredentials('GET', '/servicePrincipals?$select=keyCredentials'), false);
});

test('no minute holds more than the limit: a full minute at once, then a read waits for the oldest to leave the window; tenants do not share', async () => {
  resetPacing();
  const a = fakeSession('contoso');
  for (let i = 0; i < 3; i++) await paceKeyCredentialReads(a.session, 1, 3);
  assert.deepEqual(a.sleeps, [], 'the first three are free');
  a.advance(10_000);
  await paceKeyCredentialReads(a.session, 1, 3);
  assert.deepEqual(a.sleeps, [50_000], 'the fourth waits until the first read is a minute old');
  assert.match(a.progress.join('\n'), /pacing certificate reads in tenant contoso: Graph allows 3 a minute/);
  const b = fakeSession('fabrikam');
  await paceKeyCredentialReads(b.session, 3, 3);
  assert.deepEqual(b.sleeps, [], 'another tenant has its own window');
  // a read counts from its answer: one answered 30 s after it was sent holds its place 30 s longer
  const c = fakeSession('northwind');
  const answered = await paceKeyCredentialReads(c.session, 1, 1);
  c.advance(30_000);
  answered();
  c.advance(40_000);
  await paceKeyCredentialReads(c.session, 1, 1);
  assert.deepEqual(c.sleeps, [20_000], 'a minute after the answer, not after the sending');
  // a batch counts as many reads as it has items that select keyCredentials
  a.advance(60_000);
  await paceKeyCredentialReads(a.session, 3, 3);
  assert.deepEqual(a.sleeps, [50_000], 'a minute after the last read the window is empty again');
  resetPacing();
});
