/**
 * A probe of the Graph layer with a *custom cloud* (`endpoints` in the config): opens a session with
 * the given --auth and environment, runs the preflight and one Graph read, and reports the outcome as
 * JSON. Used by test/integration/graph-custom-endpoints.test.ts, in that process (where the emulator's
 * CA is not trusted) and in one child process that trusts it through NODE_EXTRA_CA_CERTS, which Node
 * reads only at process start:
 *   node --import tsx test/helpers/graph-probe.ts '<JSON array of ProbeCase>'   → one JSON line per case
 */
import { fileURLToPath } from 'node:url';
import { createContext } from '../../src/context.js';
import { getServicePrincipalByAppId, MICROSOFT_GRAPH_APP_ID } from '../../src/graph/api.js';
import { toPortalError } from '../../src/graph/errors.js';
import { checkOperatorRights } from '../../src/graph/preflight.js';
import { openSession, type AuthMode } from '../../src/session.js';

export interface ProbeCase {
  /** the custom cloud's Graph root and login host (one emulator serves both) */
  url: string;
  /** the run's environment (AZURE_* for --auth environment) */
  env: Record<string, string>;
  auth?: AuthMode;
}

export async function probe({ url, env, auth = 'environment' }: ProbeCase): Promise<Record<string, unknown>> {
  // the custom cloud is the test's own emulator: trusted explicitly, as a user would (src/cloud/trust.ts)
  const ctx = createContext({ env: { ENTRA_PORTAL_TRUSTED_ENDPOINTS: new URL(url).host, ...env }, verbosity: 'quiet' });
  try {
    const session = await openSession(
      { dir: process.cwd(), config: { version: 1, tenant: 'contoso.onmicrosoft.com', endpoints: { graph: url, login: url } } },
      ctx,
      { auth, propagationTimeout: 10 },
    );
    try {
      const report = await checkOperatorRights(session, ctx);
      const sp = await getServicePrincipalByAppId(session, MICROSOFT_GRAPH_APP_ID);
      return { ok: true, kind: report.kind, region: session.endpoints.region, graphSp: sp?.appId };
    } finally {
      await session.close();
    }
  } catch (err) {
    const e = toPortalError(err) as { name?: string; code?: string; message?: string; remedy?: string; exitCode?: number };
    return { ok: false, name: e.name, code: e.code, exitCode: e.exitCode, message: e.message, remedy: e.remedy };
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const c of JSON.parse(process.argv[2] ?? '[]') as ProbeCase[]) process.stdout.write(`${JSON.stringify(await probe(c))}\n`);
}
