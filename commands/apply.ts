import { defineCommand } from '../src/cli/command.js';
import { UsageError } from '../src/errors.js';
import type { ApplyResult } from '../src/cmdlets/apply.js';
import { AUTH_MODES } from '../src/cloud/auth-modes.js';

interface ApplyArgs {
  detailedExitcode: boolean;
  prune: boolean;
  yes: boolean;
  propagationTimeout?: number;
  auth?: string;
}

export const applyCommand = defineCommand<ApplyArgs, ApplyResult>({
  command: 'apply',
  describe: 'Reconcile Entra with the config: application, certificate, redirect URI, permissions, consent',
  examples: [
    ['entra-portal apply', 'register or update the application so it matches entra-portal.json5'],
    ['entra-portal apply --what-if --detailed-exitcode', 'drift check: exit 2 when Entra differs from the config, change nothing'],
    ['entra-portal apply --prune', 'also remove what the config does not describe: foreign redirect URIs, client secrets, other certificates, extra permissions'],
    ['entra-portal apply --what-if --json', 'the plan as JSON (schemas/plan.schema.json)'],
  ],
  builder: (y) =>
    y
      .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 2 when changes were pending (with --what-if) or made' })
      .option('prune', { type: 'boolean', default: false, describe: 'remove what the config does not describe (secrets, foreign redirect URIs, other certificates, extra permissions and consent); asks first on a terminal' })
      .option('yes', { type: 'boolean', default: false, describe: 'with --prune: do not ask for confirmation on a terminal' })
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
        yes: args.yes,
        propagationTimeout: args.propagationTimeout,
        auth: args.auth,
      },
      ctx,
    );
  },
  render(result) {
    if (result.inSync) return `In sync${result.appId ? ` (appId ${result.appId})` : ''}.`;
    const app = result.appId ? ` (appId ${result.appId})` : '';
    const kept = result.kept.length;
    const n = result.plan.changes.filter((c) => c.action !== 'keep').length;
    const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
    const unmanaged = kept ? `${n ? '; ' : ''}${plural(kept, 'unmanaged item')} ${result.whatIf ? 'in Entra' : 'kept'} (apply --prune removes ${kept === 1 ? 'it' : 'them'})` : '';
    if (result.whatIf) return `Drift${app}: ${n ? `${plural(n, 'change')} pending` : ''}${unmanaged}; nothing was changed (--what-if).`;
    return `Applied ${plural(n, 'change')}${app}${unmanaged}.`;
  },
  exitCode: (result) => result.exitCode,
});
