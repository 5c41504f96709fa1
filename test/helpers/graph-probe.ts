/**
 * A child-process probe for the Graph layer with a *custom cloud* (`endpoints` in the config): opens a
 * session with the given --auth, runs the preflight and one Graph read, prints one JSON line.
 * Used by test/integration/graph-custom-endpoints.test.ts (the CA must come from NODE_EXTRA_CA_CERTS,
 * which Node reads only at process start — hence a child process).
 *   node --import tsx test/helpers/graph-probe.ts <url> [auth]
 */
import { createContext } from '../../src/context.js';
import { getServicePrincipalByAppId, MICROSOFT_GRAPH_APP_ID } from '../../src/graph/api.js';
import { toPortalError } from '../../src/graph/errors.js';
import { checkOperatorRights } from '../../src/graph/preflight.js';
import { openSession, type AuthMode } from '../../src/session.js';

const [url, auth = 'environment'] = process.argv.slice(2);
const ctx = createContext({ env: process.env, verbosity: 'quiet' });
const session = await openSession(
  { dir: process.cwd(), config: { version: 1, tenant: 'contoso.onmicrosoft.com', endpoints: { graph: url as string, login: url as string } } },
  ctx,
  { auth: auth as AuthMode, propagationTimeout: 10 },
);
try {
  const report = await checkOperatorRights(session, ctx);
  const sp = await getServicePrincipalByAppId(session, MICROSOFT_GRAPH_APP_ID);
  process.stdout.write(`${JSON.stringify({ ok: true, kind: report.kind, region: session.endpoints.region, graphSp: sp?.appId })}\n`);
} catch (err) {
  const e = toPortalError(err) as { name?: string; code?: string; message?: string; remedy?: string; exitCode?: number };
  process.stdout.write(`${JSON.stringify({ ok: false, name: e.name, code: e.code, exitCode: e.exitCode, message: e.message, remedy: e.remedy })}\n`);
} finally {
  await session.close();
}
