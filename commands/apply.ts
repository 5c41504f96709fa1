import { defineCommand } from '../src/cli/command.js';
import { UsageError } from '../src/errors.js';
import type { ApplyResult } from '../src/cmdlets/apply.js';
import { AUTH_MODES } from '../src/cloud/auth-modes.js';

interface ApplyArgs {
  detailedExitcode: boolean;
  prune: boolean;
  propagationTimeout?: number;
  auth?: string;
}

export const applyCommand = defineCommand<ApplyArgs, ApplyResult>({
  command: 'apply',
  describe: 'Reconcile Entra with the config: application, certificate, redirect URI, permissions, consent',
  examples: [
    ['entra-portal apply', 'register or update the application so it matches entra-portal.json5'],
    ['entra-portal apply --what-if --detailed-exitcode', 'drift check: exit 2 when Entra differs from the config, change nothing'],
    ['entra-portal apply --prune', 'also remove redirect URIs, certificates and permissions the config does not list'],
    ['entra-portal apply --what-if --json', 'the plan as JSON (schemas/plan.schema.json)'],
  ],
  builder: (y) =>
    y
      .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 2 when changes were pending (with --what-if) or made' })
      .option('prune', { type: 'boolean', default: false, describe: 'remove redirect URIs, certificates and permissions the config does not manage' })
      .option('propagation-timeout', {
        type: 'string',
        requiresArg: true,
        describe: 'seconds to wait out throttling and replication per operation (default 120)',
        coerce: (v: unknown) => {
          const text = String(v).trim();
          const n = Number(text);
          if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
            throw new UsageError(`--propagation-timeout must be a positive whole number of seconds (got '${String(v)}')`);
          }
          return n;
        },
      })
      .option('auth', { type: 'string', choices: [...AUTH_MODES], describe: 'how to sign in (default auto: environment → Azure CLI → device code on a terminal)' }),
  async run(args, ctx) {
    const { apply } = await import('../src/cmdlets/apply.js');
    return apply(
      {
        config: args.config,
        whatIf: args.whatIf,
        detailedExitcode: args.detailedExitcode,
        prune: args.prune,
        propagationTimeout: args.propagationTimeout,
        auth: args.auth,
      },
      ctx,
    );
  },
  render(result) {
    if (result.inSync) return `In sync${result.appId ? ` (appId ${result.appId})` : ''}.`;
    const n = result.plan.changes.length;
    if (result.whatIf) return `${n} change${n === 1 ? '' : 's'} pending${result.appId ? ` (appId ${result.appId})` : ''}; nothing was changed (--what-if).`;
    return `Applied ${n} change${n === 1 ? '' : 's'} (appId ${result.appId}).`;
  },
  exitCode: (result) => result.exitCode,
});
