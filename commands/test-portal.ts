import type { Argv } from 'yargs';
import { createColors } from '../src/color.js';
import { defineCommand } from '../src/cli/command.js';
import { colorLevel } from '../src/context.js';
import { UsageError } from '../src/errors.js';
import { renderChecklist } from '../src/checks/render.js';
import { testPortalExitCode, type TestPortalResult } from '../src/checks/result.js';
import { AUTH_MODES, type AuthMode } from '../src/cloud/auth-modes.js';

interface Args {
  timeout: number;
  store?: string;
  auth?: AuthMode;
}

export const testPortalCommand = defineCommand<Args, TestPortalResult>({
  command: 'test-portal',
  describe: 'Check the portal end to end: config, DNS, TCP, TLS, VB365 REST API, Entra, sign-in',
  examples: [
    ['entra-portal test-portal', 'check everything; exit 0 when nothing fails (warnings allowed), 2 when a check fails'],
    ['entra-portal test-portal --json', 'the checklist as JSON (schemas/test-result.schema.json), for monitoring'],
    ['entra-portal test-portal --timeout 2 --auth environment', 'a nightly job: 2 s per network step, operator from AZURE_* variables'],
  ],
  builder: (y: Argv) =>
    y
      .option('timeout', {
        describe: 'seconds each network step (DNS, TCP connect, TLS handshake, REST request) may take [number]',
        default: 5,
        requiresArg: true,
        coerce: (v: unknown) => {
          const n = Number(Array.isArray(v) ? v[v.length - 1] : v);
          if (!Number.isFinite(n) || n <= 0 || n > 600) throw new UsageError(`--timeout ${String(v)}: give seconds, more than 0 and at most 600`);
          return n;
        },
      })
      .option('store', { type: 'string', requiresArg: true, describe: 'certificate store folder holding the application key (default $ENTRA_PORTAL_STORE or the user data folder)' })
      .option('auth', { type: 'string', choices: AUTH_MODES, describe: 'how the operator signs in to read Entra (default auto; in the Emulator region the tenant operator, or environment: AZURE_CLIENT_ID/SECRET)' })
      .epilog(
        // lines under 100 columns: yargs re-wraps longer ones mid-sentence (its width is at most 110)
        [
          'Checks (stable ids): config, url.format, url.port, dns, tcp, tls.handshake, tls.expiry,',
          '  tls.hostname, tls.trust, restapi.settings, entra.app, entra.redirect-uri, entra.certificate,',
          '  entra.permissions, entra.consent, entra.sign-in.',
          'A check whose prerequisite failed is skipped with the reason.',
          'Exit: 0 nothing failed (warnings allowed) · 2 a check failed · 65 invalid config.',
        ].join('\n'),
      ),
  async run(args, ctx) {
    const { testPortal } = await import('../src/cmdlets/test-portal.js');
    return testPortal(
      {
        timeout: args.timeout,
        config: args.config,
        store: args.store,
        auth: args.auth,
      },
      ctx,
    );
  },
  render(result, ctx, args) {
    // stdout gets colour only when stdout itself is a terminal (NO_COLOR and --no-color honoured)
    const color = createColors(colorLevel(ctx.stdout, ctx.env, args.color === false ? false : undefined));
    const columns = ctx.stdout.isTTY ? (ctx.stdout as { columns?: number }).columns : undefined;
    return renderChecklist(result.checks, color, result.url ? `Restore Portal ${result.url}` : undefined, columns);
  },
  exitCode: (result) => testPortalExitCode(result),
});
