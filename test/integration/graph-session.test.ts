/**
 * The Graph layer against the emulator over HTTPS, through the real Graph SDK and real @azure/identity
 * (never stubbed). The emulator's CA is trusted in-process only: this test process has no
 * NODE_EXTRA_CA_CERTS.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createContext, type Context } from '../../src/context.js';
import { PermissionError } from '../../src/errors.js';
import { getServicePrincipalByAppId, MICROSOFT_GRAPH_APP_ID, RESOURCE_SELECT, spByAppIdPath, upsertApplicationByUniqueName, type ServicePrincipal } from '../../src/graph/api.js';
import { graphList } from '../../src/graph/request.js';
import { observe } from '../../src/reconcile/observe.js';
import { toPortalError } from '../../src/graph/errors.js';
import { checkOperatorRights } from '../../src/graph/preflight.js';
import { openSession, type Session as GraphSession } from '../../src/session.js';
import { startEmulator } from '../../src/emulator/index.js';
import { recordingLogger } from '../helpers/graph-fakes.js';
import { TEST_PKI_FILE } from '../helpers/pki.js';

function quietCtx(env: NodeJS.ProcessEnv = {}): Context {
  const sink = { write: () => true, isTTY: false };
  return { ...createContext({ env: { ENTRA_PORTAL_EMULATOR_PKI: TEST_PKI_FILE, ...env }, stdout: sink, stderr: sink, verbosity: 'quiet' }), log: recordingLogger() };
}

describe('Graph session in Emulator mode', () => {
  let dir: string;
  let session: GraphSession;

  before(async () => {
    assert.doesNotMatch(process.env.NODE_EXTRA_CA_CERTS ?? '', /emulator|entra-portal/, 'this test must prove in-process CA trust');
    dir = await mkdtemp(join(tmpdir(), 'graph-session-'));
    session = await openSession({ dir, config: { version: 1, region: 'Emulator' } }, quietCtx());
  });
  after(async () => {
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the emulator with its state next to the config and resolves its endpoints', () => {
    assert.equal(session.endpoints.region, 'Emulator');
    assert.match(session.endpoints.graph, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(session.endpoints.login, session.endpoints.graph);
    assert.equal(session.tenant, 'contoso.onmicrosoft.com');
    assert.ok(session.ca?.includes('BEGIN CERTIFICATE'));
    // additionalPolicies: every request of a credential made with them is bounded by the run's budget
    assert.deepEqual(Object.keys(session.credentialOptions()).sort(), ['additionalPolicies', 'authorityHost', 'disableInstanceDiscovery', 'tlsOptions']);
    assert.ok(existsSync(join(dir, '.entra-portal', 'emulator-state.json')));
  });

  it('a Graph call works: the Microsoft Graph service principal is seeded', async () => {
    const sp = await getServicePrincipalByAppId(session, MICROSOFT_GRAPH_APP_ID);
    assert.equal(sp?.appId, MICROSOFT_GRAPH_APP_ID);
    const [named] = await graphList<ServicePrincipal>(session, spByAppIdPath(MICROSOFT_GRAPH_APP_ID, RESOURCE_SELECT));
    assert.ok(named?.oauth2PermissionScopes?.some((s) => s.value === 'User.Read'));
  });

  it('preflight: the operator holds the rights apply needs', async () => {
    const report = await checkOperatorRights(session, session.ctx);
    assert.equal(report.kind, 'application');
    assert.deepEqual(report.missing, []);
    assert.ok(report.roles.includes('Application.ReadWrite.All'));
  });

  it('observe: a registered app, its (missing) service principal and grants in ≤ 2 round trips', async () => {
    const { application } = await upsertApplicationByUniqueName(session, 'observe-me', { displayName: 'Observe me' });
    const before = session.emulator!.requests.filter((r) => !r.inBatch).length;
    const { observed, roundTrips: counted } = await observe(session, { appId: application.appId });
    const roundTrips = session.emulator!.requests.filter((r) => !r.inBatch).length - before;
    assert.equal(observed.application?.appId, application.appId);
    assert.equal(observed.servicePrincipal, undefined);
    assert.equal(observed.resources[MICROSOFT_GRAPH_APP_ID]?.appId, MICROSOFT_GRAPH_APP_ID);
    assert.deepEqual(observed.grants, []);
    assert.ok(roundTrips <= 2, `round trips: ${roundTrips}`);
    assert.equal(counted, roundTrips);
  });
});

describe('Graph session: an unprivileged operator', () => {
  let dir: string;
  let session: GraphSession;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'graph-session-'));
    // learn the unprivileged client of the tenant the embedded emulator will use (same state file)
    const stateDir = join(dir, '.entra-portal');
    const emu = await startEmulator({ statePath: join(stateDir, 'emulator-state.json'), pki: TEST_PKI_FILE });
    const tenant = await emu.ensureTenant('contoso.onmicrosoft.com');
    await emu.stop();
    const env = { AZURE_CLIENT_ID: tenant.unprivileged.clientId, AZURE_CLIENT_SECRET: tenant.unprivileged.clientSecret };
    session = await openSession({ dir, config: { version: 1, region: 'Emulator' } }, quietCtx(env), { auth: 'environment' });
  });
  after(async () => {
    await session?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('preflight stops with PermissionError (77) naming the missing rights, before any write', async () => {
    await assert.rejects(
      checkOperatorRights(session, session.ctx),
      (e: unknown) =>
        e instanceof PermissionError &&
        e.exitCode === 77 &&
        e.missing.includes('Application.ReadWrite.All') &&
        e.missing.includes('DelegatedPermissionGrant.ReadWrite.All') &&
        /Application\.ReadWrite\.All/.test(e.message),
    );
    assert.equal(session.emulator!.requests.filter((r) => r.write).length, 0);
  });

  it("Graph's own 403 maps to PermissionError naming the right", async () => {
    const err = await upsertApplicationByUniqueName(session, 'nope', { displayName: 'Nope' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const mapped = toPortalError(err);
    assert.ok(mapped instanceof PermissionError, String(err));
    assert.deepEqual(mapped.missing, ['Application.ReadWrite.All']);
  });
});
