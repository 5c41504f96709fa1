/**
 * Integration harness for `apply`: a temporary folder with a
 * `region: 'Emulator'` config, so each run starts the embedded emulator (real HTTPS, real
 * @microsoft/microsoft-graph-client and @azure/identity) on the state file next to the config.
 * Each run opens its own session and hands it to apply(), so the test can read that run's
 * request log (writes, round trips). `admin()` is "another admin" changing Entra behind our back.
 */
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type Clock, type Context } from '../../src/context.js';
import { loadConfig } from '../../src/config/index.js';
import { openSession, type AuthMode, type Session as GraphSession } from '../../src/session.js';
import type { RetryPolicy } from '../../src/graph/retry.js';
import { graphCall, graphList } from '../../src/graph/request.js';
import { apply, type ApplyInput, type ApplyResult } from '../../src/cmdlets/apply.js';
import { generateSelfSigned, type CertificateInfo } from '../../src/certs/index.js';
import type { Application as GraphApplication } from '../../src/model/graph.js';
import { testClientKeyPair, testEnv } from './pki.js';
import { fakeClock } from './graph-fakes.js';

export interface RunOutcome {
  result?: ApplyResult;
  error?: unknown;
  /** Graph requests of this run (envelopes only: one per HTTP round trip), token requests excluded */
  roundTrips: number;
  /** committed-or-attempted writes of this run (batch items counted one by one) */
  writes: { method: string; path: string; status: number }[];
  /** Graph requests of this run (batch items included) answered 4xx, e.g. refused by replication lag */
  refused: { method: string; path: string; status: number }[];
  stderr: string;
}

export interface Workspace {
  dir: string;
  configPath: string;
  writeConfig(body: Record<string, unknown>): Promise<void>;
  configText(): Promise<string>;
  /** run apply once (its own session; faults for this run only) */
  run(input?: Omit<ApplyInput, 'session' | 'config'>, options?: { faults?: string; budgetS?: number; env?: NodeJS.ProcessEnv; auth?: AuthMode; retry?: Partial<RetryPolicy> }): Promise<RunOutcome>;
  /** act as another admin on the same tenant (no faults) */
  admin<T>(fn: (s: GraphSession) => Promise<T>): Promise<T>;
  /** a fresh self-signed certificate written as `certs/<name>.cer` next to the config */
  makeCert(name: string, subject?: string): Promise<{ info: CertificateInfo; file: string }>;
}

export const UNIQUE_NAME = 'veeam-restore-portal';
export const PORTAL_URL = 'https://portal.abc.com:4443';

export function baseConfig(extra: { application?: Record<string, unknown>; [k: string]: unknown } = {}): Record<string, unknown> {
  const { application, ...rest } = extra;
  return {
    version: 1,
    region: 'Emulator',
    tenant: 'contoso.onmicrosoft.com',
    application: { name: 'Veeam Restore Portal', uniqueName: UNIQUE_NAME, multiTenant: false, ...application },
    portal: { url: PORTAL_URL, restApiPort: 4443 },
    ...rest,
  };
}

function sink(): { write(s: string): boolean; text(): string } {
  let buf = '';
  return { write: (s: string) => ((buf += s), true), text: () => buf };
}

function makeCtx(dir: string, clock: Clock, faults?: string, extraEnv: NodeJS.ProcessEnv = {}): { ctx: Context; stderr: ReturnType<typeof sink> } {
  const stderr = sink();
  const env = testEnv(dir, extraEnv);
  if (faults) env.ENTRA_PORTAL_EMULATOR_FAULTS = faults;
  return { ctx: createContext({ cwd: dir, env, stderr, stdout: sink(), verbosity: 'normal', clock }), stderr };
}

async function openFor(configPath: string, ctx: Context, budgetS = 60, auth?: AuthMode, retry: Partial<RetryPolicy> = {}): Promise<GraphSession> {
  const loaded = await loadConfig(configPath);
  // short backoff steps keep fault runs quick; the budget still bounds every operation
  return openSession(loaded, ctx, { propagationTimeout: budgetS, retry: { baseDelayMs: 20, maxDelayMs: 500, ...retry }, ...(auth ? { auth } : {}) });
}

export async function withWorkspace<T>(fn: (ws: Workspace) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-apply-'));
  const configPath = join(dir, 'entra-portal.json5');
  // one virtual clock for every run in the workspace, and the embedded emulator's directory time:
  // retry and consistency waits (and the replication lag they wait out) pass at once
  const clock = fakeClock(Date.now());
  const ws: Workspace = {
    dir,
    configPath,
    async writeConfig(body) {
      await writeFile(configPath, `// written by the apply tests\n${JSON.stringify(body, null, 2)}\n`);
    },
    configText: () => readFile(configPath, 'utf8'),
    async run(input = {}, options = {}) {
      const { ctx, stderr } = makeCtx(dir, clock, options.faults, options.env);
      let session: GraphSession | undefined;
      const out: RunOutcome = { roundTrips: 0, writes: [], refused: [], stderr: '' };
      try {
        session = await openFor(configPath, ctx, options.budgetS, options.auth, options.retry);
        out.result = await apply({ ...input, config: configPath, session }, ctx);
      } catch (err) {
        out.error = err;
      } finally {
        await session?.close();
        const log = session?.emulator?.requests ?? [];
        const graph = log.filter((r) => r.path.startsWith('/v1.0') && !(r as { inBatch?: boolean }).inBatch);
        out.roundTrips = graph.length;
        out.writes = log
          .filter((r) => r.write && r.path.startsWith('/v1.0') && !r.path.startsWith('/v1.0/$batch'))
          .map((r) => ({ method: r.method, path: r.path, status: r.status }));
        out.refused = log
          .filter((r) => r.path.startsWith('/v1.0') && r.status >= 400 && r.status < 500)
          .map((r) => ({ method: r.method, path: r.path, status: r.status }));
        out.stderr = stderr.text();
      }
      return out;
    },
    async admin(fn) {
      const { ctx } = makeCtx(dir, clock);
      const s = await openFor(configPath, ctx);
      try {
        return await fn(s);
      } finally {
        await s.close();
      }
    },
    async makeCert(name, subject = `CN=${name}`) {
      // a new certificate for the fixed test key: no key generation per workspace
      const { info } = await generateSelfSigned({ subject, validityDays: 365, keyPair: Promise.resolve(testClientKeyPair) });
      await mkdir(join(dir, 'certs'), { recursive: true });
      const file = `certs/${name}.cer`;
      await writeFile(join(dir, file), info.certPem);
      return { info, file };
    },
  };
  try {
    return await fn(ws);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/* ------------------------------------------------------------------ "another admin" Graph calls */

const SELECT = 'id,appId,displayName,uniqueName,signInAudience,identifierUris,api,spa,web,isFallbackPublicClient,requiredResourceAccess,keyCredentials';

export async function readApp(s: GraphSession, appId: string): Promise<GraphApplication> {
  return (await graphCall<GraphApplication>(s, { method: 'GET', path: `/applications(appId='${appId}')?$select=${SELECT}` })).body;
}

export async function appsNamed(s: GraphSession, uniqueName = UNIQUE_NAME): Promise<GraphApplication[]> {
  const all = await graphList<GraphApplication>(s, `/applications?$select=id,appId,displayName,uniqueName`);
  return all.filter((a) => a.uniqueName === uniqueName);
}

export async function patchApp(s: GraphSession, id: string, body: Record<string, unknown>): Promise<void> {
  await graphCall(s, { method: 'PATCH', path: `/applications/${id}`, body });
}

export async function spOf(s: GraphSession, appId: string): Promise<{ id: string; tags?: string[] } | undefined> {
  return (await graphList<{ id: string; appId: string; tags?: string[] }>(s, `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`))[0];
}

export async function grantsOf(s: GraphSession, clientId: string): Promise<{ id: string; resourceId: string; scope: string; consentType: string }[]> {
  return graphList(s, `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${clientId}'`)}`);
}
