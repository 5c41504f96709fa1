import { createColors } from '../src/color.js';
import { defineCommand } from '../src/cli/command.js';
import { AUTH_OPTION, FLEET_OPTIONS, STORE_OPTION, TRUST_ENDPOINT_OPTION } from '../src/cli/options.js';
import type { FleetResult } from '../src/cmdlets/fleet.js';
import { fleetRunInput, isFleetResult, refuseReportForOneConfig, renderFleetFor } from './fleet-output.js';
import { colorLevel } from '../src/context.js';
import { renderChecklist } from '../src/checks/render.js';
import { testPortalExitCode, type TestPortalResult } from '../src/checks/result.js';
import type { AuthMode } from '../src/cloud/auth-modes.js';

interface Args {
  /** `-c`, repeatable here: several configs (or a pattern) make a fleet run */
  config?: string[];
  parallel: number;
  report?: string;
  timeout: number;
  store?: string;
  auth: AuthMode;
  trustEndpoint?: string[];
  customer?: string;
  warnDays: number;
  strict?: boolean;
}

export const testPortalCommand = defineCommand<Args, TestPortalResult | FleetResult>({
  name: 'test-portal',
  describe: 'Check the portal end to end: config, DNS, TCP, TLS, VB365 REST API, Entra, sign-in',
  options: [
    {
      name: 'timeout',
      kind: 'number',
      value: 'seconds',
      default: 5,
      check: (n) => n > 0 && n <= 600,
      rule: 'a number of seconds more than 0 and at most 600',
      describe: 'seconds each network step (DNS, TCP connect, TLS handshake, REST request) may take',
    },
    {
      name: 'warn-days',
      kind: 'integer',
      value: 'days',
      default: 30,
      check: (n) => n >= 0 && n <= 3650,
      rule: 'a whole number of days from 0 to 3650',
      describe: "warn when the application's certificate (in Entra and in the store) or the portal's served certificate expires within this many days",
    },
    { name: 'strict', kind: 'boolean', describe: 'warnings exit 2 too (a scheduler then sees an expiring certificate, a self-signed portal certificate, …)' },
    { ...STORE_OPTION, describe: 'the certificate store folder holding the application key (for entra.sign-in)' },
    { ...AUTH_OPTION, describe: `${AUTH_OPTION.describe}; in the Emulator region: the tenant's operator, or environment (AZURE_CLIENT_ID/SECRET)` },
    TRUST_ENDPOINT_OPTION,
    ...FLEET_OPTIONS,
    { name: 'customer', kind: 'string', value: 'tenant', describe: 'service providers: check only this customer tenant (entra.customer), listed in the config or not' },
  ],
  examples: [
    ['entra-portal test-portal', 'check everything; exit 0 when nothing fails (warnings allowed), 2 when a check fails'],
    ['entra-portal test-portal --json', 'the checklist as JSON (schemas/test-result.schema.json), for monitoring'],
    ['entra-portal test-portal --timeout 2 --auth environment', 'a nightly job: 2 s per network step, operator from AZURE_* variables'],
    ['entra-portal test-portal --customer fabrikam.onmicrosoft.com', 'service providers: the application\'s service principal and consent in that customer tenant'],
    ['entra-portal test-portal --warn-days 45 --strict --json', 'from cron: exit 2 as soon as a certificate expires within 45 days'],
  ],
  notes: [
    'Checks (stable ids): config, url.format, url.port, dns, tcp, tls.handshake, tls.expiry, tls.hostname, tls.trust, restapi.settings, entra.app, entra.redirect-uri, entra.certificate, entra.permissions, entra.consent, entra.sign-in; with customer tenants, entra.customer once per tenant.',
    'A check whose prerequisite failed is skipped with the reason.',
    'Expiry: tls.expiry (the served certificate) and entra.certificate (the application\'s: the earlier of its notAfter and its end date in Entra) warn within --warn-days and fail once expired; both carry notAfter and daysLeft in --json details.',
    'Exit: 0 nothing failed (warnings allowed) · 2 a check failed · 65 invalid config.',
    'With --strict, a warning exits 2 as a failure does.',
  ],
  async run(args, ctx) {
    const { isFleet, fleet } = await import('../src/cmdlets/fleet.js');
    if (isFleet(args.config)) {
      return fleet(
        'test-portal',
        {
          ...fleetRunInput(args),
          testPortal: { timeout: args.timeout, warnDays: args.warnDays, ...(args.strict ? { strict: true } : {}), ...(args.store ? { store: args.store } : {}), ...(args.customer !== undefined ? { customer: args.customer } : {}) },
        },
        ctx,
      );
    }
    refuseReportForOneConfig('test-portal', args);
    const { testPortal } = await import('../src/cmdlets/test-portal.js');
    return testPortal(
      {
        timeout: args.timeout,
        config: args.config?.[0],
        store: args.store,
        auth: args.auth,
        ...(args.trustEndpoint ? { trustEndpoint: args.trustEndpoint } : {}),
        ...(args.customer !== undefined ? { customer: args.customer } : {}),
        warnDays: args.warnDays,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      ctx,
    );
  },
  render(result, ctx, args) {
    if (isFleetResult(result)) return renderFleetFor('test-portal', result, ctx, args);
    // stdout gets colour only when stdout itself is a terminal (NO_COLOR and --no-color honoured)
    const color = createColors(colorLevel(ctx.stdout, ctx.env, args.color === false ? false : undefined));
    const columns = ctx.stdout.isTTY ? (ctx.stdout as { columns?: number }).columns : undefined;
    return renderChecklist(result.checks, color, result.url ? `Restore Portal ${result.url}` : undefined, columns);
  },
  exitCode: (result, args) => (isFleetResult(result) ? result.exitCode : testPortalExitCode(result, { strict: args.strict === true })),
});
