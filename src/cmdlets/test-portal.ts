/**
 * test-portal: read-only checks of the config, the portal endpoint and the Entra application.
 * Returns the checklist; the CLI prints it (or `--json`, schemas/test-result.schema.json)
 * and exits 0 when nothing fails, 2 when a check fails, 65 when the config file is invalid.
 *
 * Time: every network step (DNS, TCP connect, TLS handshake, REST request) has `timeout` seconds;
 * the network chain and the Entra checks run concurrently, and every socket is closed when its
 * step ends, so a host that drops packets costs at most a few timeouts, never a hang.
 */
import { resolveStoreDir } from '../certs/paths.js';
import { isEmulatorConfig } from '../cloud/endpoints.js';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../config/index.js';
import { toContext, type Context } from '../context.js';
import { assertEndpointsTrusted, withTrustedEndpoints } from '../cloud/trust.js';
import { UsageError, asArgument } from '../errors.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { GraphSession } from '../graph/session.js';
import type { SessionConfig } from '../session.js';
import { configCheck, networkChecks } from '../checks/definitions.js';
import { entraChecks } from '../checks/entra.js';
import { customerCheck, expandCustomerResults } from '../checks/customers.js';
import { sameTenant } from '../config/customers.js';
import type { CustomerConfig, PortalConfig } from '../config/types.js';
import { normalizeTenant } from '../config/values.js';
import { summarize, type TestPortalResult } from '../checks/result.js';
import { runChecks } from '../checks/runner.js';
import type { PortalUrl } from '../checks/url.js';

export const DEFAULT_TIMEOUT_SECONDS = 5;

export interface TestPortalInput {
  /** config file (default: $ENTRA_PORTAL_CONFIG or ./entra-portal.json5) */
  config?: string;
  /** seconds per network step; default 5 */
  timeout?: number;
  /** the certificate store folder (entra.sign-in); default as install-cert */
  store?: string;
  /** how the operator signs in to read Entra (Emulator region: the tenant's operator unless 'environment') */
  auth?: AuthMode;
  /** hosts of the config's custom endpoints trusted to receive credentials (adds to $ENTRA_PORTAL_TRUSTED_ENDPOINTS) */
  trustEndpoint?: string[];
  /** extra trust anchors (PEM) for tls.trust, in addition to Node's roots and NODE_EXTRA_CA_CERTS */
  ca?: string | string[];
  /** warn when a certificate expires within this many days (default 30) */
  warnDays?: number;
  /**
   * seconds a missing service principal or admin-consent grant is read again before it counts as
   * missing (Entra replicates them with a delay); default the smaller of --timeout × 2 and 10
   */
  settle?: number;
  /** cancels the run */
  signal?: AbortSignal;
  /** check only this customer tenant (entra.customer), listed in the config or not */
  customer?: string;
  /** test hook: how to open the Graph session */
  openSession?: (loaded: SessionConfig, ctx: Context, options: { auth?: AuthMode; propagationTimeout?: number }) => Promise<GraphSession>;
}

export type { TestPortalResult };
export { testPortalExitCode } from '../checks/result.js';

export async function testPortal(input: TestPortalInput = {}, context?: Partial<Context>): Promise<TestPortalResult> {
  const ctx = withTrustedEndpoints(toContext(context), input.trustEndpoint);
  const timeout = input.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) {
    throw new UsageError(`--timeout ${input.timeout}: give the seconds each network step may take (more than 0, at most 600)`);
  }
  const timeoutMs = Math.round(timeout * 1000);
  if (input.warnDays !== undefined && (!Number.isInteger(input.warnDays) || input.warnDays < 0 || input.warnDays > 3650)) {
    throw new UsageError(`--warn-days ${input.warnDays}: give a whole number of days from 0 to 3650`);
  }
  const path = resolveConfigPath(ctx, input.config);
  let loaded: LoadedConfig | undefined;
  const interactive = ctx.stdin.isTTY === true && (input.auth === undefined || ['auto', 'device-code', 'browser'].includes(input.auth));
  const entra = entraChecks({
    ctx,
    ...(input.auth ? { auth: input.auth } : {}),
    storeDir: resolveStoreDir(ctx, input.store),
    timeoutMs,
    boundedReads: () => !interactive || (loaded !== undefined && safeIsEmulator(loaded)),
    now: () => ctx.clock.now(),
    settleMs: Math.round((input.settle ?? Math.min(timeout * 2, 10)) * 1000),
    ...(input.warnDays !== undefined ? { warnDays: input.warnDays } : {}),
    ...(input.openSession ? { openSession: input.openSession } : {}),
  });
  const customer = input.customer !== undefined ? asArgument(() => normalizeTenant(input.customer!, '--customer')) : undefined;
  // the tenants entra.customer covers: the one --customer names (with its configured credentialEnv), else every customer
  const customers = (config: PortalConfig): CustomerConfig[] =>
    customer ? [config.customers?.find((c) => sameTenant(c.tenant, customer)) ?? { tenant: customer }] : (config.customers ?? []);
  ctx.log.progress('Testing the Restore Portal…');
  try {
    const { results, outcomes } = await runChecks(
      [
        configCheck(async () => {
          const candidate = await loadConfig(path);
          // untrusted custom endpoints make the config invalid for this run (65): the Entra checks never sign in
          assertEndpointsTrusted(candidate.config, ctx.env);
          return (loaded = candidate);
        }),
        ...networkChecks({
          timeoutMs,
          now: () => ctx.clock.now(),
          env: ctx.env,
          ...(input.warnDays !== undefined ? { warnDays: input.warnDays } : {}),
          ...(input.ca ? { ca: input.ca } : {}),
        }),
        ...entra.definitions,
        customerCheck({
          ctx,
          ...(input.auth ? { auth: input.auth } : {}),
          customers,
          settleMs: Math.round((input.settle ?? Math.min(timeout * 2, 10)) * 1000),
          now: () => ctx.clock.now(),
        }),
      ],
      input.signal ? { signal: input.signal } : {},
    );
    const url = outcomes.get('url.format')?.data as PortalUrl | undefined;
    const checks = expandCustomerResults(results, outcomes.get('entra.customer'), loaded ? customers(loaded.config).map((c) => c.tenant) : []);
    const summary = summarize(checks);
    return {
      passed: summary.fail === 0,
      config: path,
      ...(url ? { url: url.normalized } : {}),
      summary,
      checks,
    };
  } finally {
    ctx.log.done();
    await entra.close();
  }
}

function safeIsEmulator(loaded: LoadedConfig): boolean {
  try {
    return isEmulatorConfig(loaded.config);
  } catch {
    return false;
  }
}
