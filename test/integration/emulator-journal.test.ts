/**
 * The emulator's durable state: a snapshot plus an append-only journal of the changes since
 * (src/emulator/journal.ts). What is on disk at any moment — the image a kill -9 leaves — opens to
 * exactly the state that was acknowledged; a torn last line and a journal that belongs to another
 * snapshot are dropped; a clean stop leaves one self-contained snapshot. And a real kill -9 at random
 * moments (during appends and compactions) never loses an acknowledged write nor leaves an
 * unparseable state.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { withTempDir } from '../helpers/cli.js';
import { graphClientFor, makeTestCertificate, rejectsWith } from '../helpers/emulator.js';
import { testPki as pki } from '../helpers/pki.js';
import { nodeScript } from '../helpers/paths.js';


/** The tenants of a stopped emulator's state file (a clean stop leaves a self-contained snapshot). */
async function tenantsIn(statePath: string): Promise<unknown> {
  const data = JSON.parse(await readFile(statePath, 'utf8')) as { tenants: unknown };
  return data.tenants;
}

/** Copies the state and its journal as they are now: what a crash at this moment would leave. */
async function crashImage(statePath: string, to: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(to, { recursive: true });
  const target = join(to, 'state.json');
  await copyFile(statePath, target);
  await copyFile(`${statePath}.journal`, `${target}.journal`).catch(() => undefined);
  return target;
}

async function someChanges(h: EmulatorHandle): Promise<void> {
  const g = graphClientFor(h, h.tenants[0]!);
  const app = await g.api('/applications').post({ displayName: 'journalled' });
  await g.api(`/applications/${app.id}`).patch({ web: { redirectUris: ['https://portal.contoso.onmicrosoft.com/'] } });
  const pw = await g.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 's' } });
  await g.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'kept' } });
  await g.api(`/applications/${app.id}/removePassword`).post({ keyId: pw.keyId });
  const cert = await makeTestCertificate();
  await g.api(`/applications/${app.id}`).patch({ keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64 }] });
  const sp = await g.api('/servicePrincipals').post({ appId: app.appId });
  const graph = (await g.api('/servicePrincipals').filter(`appId eq '00000003-0000-0000-c000-000000000000'`).get()).value[0];
  const g2 = graphClientFor(h, h.tenants[1]!);
  await g2.api('/applications').post({ displayName: 'in the second tenant' });
  const grant = await g.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graph.id, scope: 'User.Read' });
  await g.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: 'User.Read openid' });
  await g.api(`/servicePrincipals/${sp.id}`).patch({ tags: ['WindowsAzureActiveDirectoryIntegratedApp'] });
  const role = graph.appRoles.find((r: { value: string }) => r.value === 'User.Read.All');
  const kept = await g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graph.id, appRoleId: role.id });
  const other = graph.appRoles.find((r: { value: string }) => r.value === 'Group.Read.All');
  const dropped = await g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graph.id, appRoleId: other.id });
  await g.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo/${dropped.id}`).delete();
  assert.ok(kept.id);
  const second = await g.api('/applications').post({ displayName: 'deleted and restored' });
  await g.api('/servicePrincipals').post({ appId: second.appId });
  await g.api(`/applications/${second.id}`).delete();
  await g.api(`/directory/deletedItems/${second.id}/restore`).post({});
  const purged = await g.api('/applications').post({ displayName: 'purged' });
  await g.api(`/applications/${purged.id}/addPassword`).post({});
  await g.api(`/applications/${purged.id}`).delete();
  await g.api(`/directory/deletedItems/${purged.id}`).delete();
  const gone = await g.api('/applications').post({ displayName: 'to be deleted', uniqueName: 'journal-deleted' });
  await g.api(`/applications/${gone.id}`).delete();
  await h.ensureTenant('journal.onmicrosoft.com');
}

describe('emulator journal', () => {
  it('a crash image (snapshot + journal, no clean stop) opens to the acknowledged state', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'live', 'state.json');
      const live = await startEmulator({ statePath, pki });
      await someChanges(live);
      const image = await crashImage(statePath, dir);
      assert.ok((await stat(`${statePath}.journal`)).size > 0, 'the changes went to the journal');
      await live.stop(); // compacts: the live file is now self-contained
      assert.equal((await stat(`${statePath}.journal`)).size, (await readFile(`${statePath}.journal`, 'utf8')).split('\n')[0]!.length + 1, 'only a header is left');
      const reopened = await startEmulator({ statePath: image });
      await reopened.stop();
      assert.deepEqual(await tenantsIn(image), await tenantsIn(statePath));
    });
  });

  it('drops a torn last line and a journal of another snapshot; keeps secrets 0600', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'state.json');
      const first = await startEmulator({ statePath, pki });
      const g = graphClientFor(first, first.tenants[0]!);
      const kept = await g.api('/applications').post({ displayName: 'kept' });
      const image = await crashImage(statePath, join(dir, 'image'));
      await first.stop();
      // a torn append: an unacknowledged commit cut short by the crash
      await appendFile(`${image}.journal`, '{"ops":[["x","applications","y",{"id":"y"');
      assert.equal((await stat(`${image}.journal`)).mode & 0o777, 0o600);
      const second = await startEmulator({ statePath: image });
      const g2 = graphClientFor(second, second.tenants[0]!);
      assert.equal((await g2.api(`/applications/${kept.id}`).get()).displayName, 'kept');
      const after = await g2.api('/applications').post({ displayName: 'after the torn line' });
      await second.stop();
      const third = await startEmulator({ statePath: image });
      assert.equal((await graphClientFor(third, third.tenants[0]!).api(`/applications/${after.id}`).get()).displayName, 'after the torn line');
      await third.stop();

      // the state file reset by hand (deleted): the old journal must not leak into the new state
      const resetPath = join(dir, 'reset.json');
      const a = await startEmulator({ statePath: resetPath, pki });
      await graphClientFor(a, a.tenants[0]!).api('/applications').post({ displayName: 'before the reset' });
      await a.stop();
      const journal = await readFile(`${resetPath}.journal`, 'utf8');
      await writeFile(`${resetPath}.journal`, `${journal}${JSON.stringify({ ops: [[a.tenants[0]!.id, 'applications', 'ghost', { id: 'ghost' }]] })}\n`);
      const { rm } = await import('node:fs/promises');
      await rm(resetPath);
      const b = await startEmulator({ statePath: resetPath, pki });
      const list = await graphClientFor(b, b.tenants[0]!).api('/applications').get();
      assert.ok(!list.value.some((x: { displayName: string }) => x.displayName === 'before the reset'), 'a fresh state');
      await b.stop();
    });
  });

  it('folds the journal into a new snapshot once it outgrows the snapshot (reads stay right across compactions)', async () => {
    await withTempDir(async (dir) => {
      const statePath = join(dir, 'state.json');
      const h = await startEmulator({ statePath, pki, compactBytes: 1 });
      const ids: string[] = [];
      try {
        const g = graphClientFor(h, h.tenants[0]!);
        // each commit ~20 kB: the journal outgrows the snapshot every few commits
        for (let i = 0; i < 12; i++) ids.push((await g.api('/applications').post({ displayName: `c-${i}`, notes: 'n'.repeat(20_000) })).id);
        const generation = (JSON.parse(await readFile(statePath, 'utf8')) as { generation: number }).generation;
        assert.ok(generation >= 3, `compacted (generation ${generation})`);
        await crashImage(statePath, join(dir, 'image'));
      } finally {
        await h.stop();
      }
      const again = await startEmulator({ statePath: join(dir, 'image', 'state.json') });
      try {
        for (const id of ids) assert.ok((await graphClientFor(again, again.tenants[0]!).api(`/applications/${id}`).get()).id);
      } finally {
        await again.stop();
      }
    });
  });

  it('kill -9 at random moments never loses an acknowledged write and always leaves a parseable state', { timeout: 240_000 }, async () => {
    const writer = nodeScript(new URL('../fixtures/emulator-writer.js', import.meta.url));
    await withTempDir(async (dir) => {
      const pkiFile = join(dir, 'pki.json');
      await writeFile(pkiFile, JSON.stringify(pki));
      const statePath = join(dir, 'state.json');
      const acknowledged = new Set<string>();
      for (let round = 0; round < 6; round++) {
        const child = spawn(process.execPath, [...writer, statePath, pkiFile, String(round % 2 ? 4096 : 1 << 20)], { stdio: ['ignore', 'pipe', 'inherit'] });
        const lines = createInterface({ input: child.stdout! });
        let writes = 0;
        const killAfter = 20 + Math.floor(Math.random() * 120);
        await new Promise<void>((done) => {
          lines.on('line', (l) => {
            if (l.startsWith('ack ')) {
              acknowledged.add(l.slice(4));
              if (++writes === killAfter) child.kill('SIGKILL');
            }
          });
          child.on('exit', () => done());
        });
        // the lock of the killed process is stale (its pid is gone): the next open takes it over
        const h = await startEmulator({ statePath });
        const g = graphClientFor(h, h.tenants[0]!);
        const present = new Set<string>();
        for (let page = await g.api('/applications').top(999).select('id').get(); ; ) {
          for (const a of page.value as { id: string }[]) present.add(a.id);
          if (!page['@odata.nextLink']) break;
          page = await g.api(page['@odata.nextLink']).get();
        }
        for (const id of acknowledged) assert.ok(present.has(id), `round ${round}: acknowledged application ${id} was lost`);
        await rejectsWith(g.api('/applications/00000000-0000-4000-8000-000000000000').get(), 404);
        await h.stop();
      }
    });
  });
});
