import { defineCommand } from '../src/cli/command.js';
import { OperationError, UsageError } from '../src/errors.js';
import type { RunEmulatorResult } from '../src/emulator/run.js';

interface EmulatorArgs {
  port?: number;
  state?: string;
  faults?: string;
  restoreApi?: number;
}

function portOption(name: string) {
  return (v: unknown): number => {
    const text = String(v).trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--${name} must be a port number 0-65535 (got '${String(v)}')`);
    return n;
  };
}

export const emulatorCommand = defineCommand<EmulatorArgs, RunEmulatorResult>({
  command: 'emulator',
  describe: 'Run the local Entra emulator (Graph v1.0 subset and token service over HTTPS)',
  examples: [
    ['entra-portal emulator', 'serve on a free loopback port, state in memory; prints URL, CA file and operator credentials'],
    ['entra-portal emulator --state .entra-portal/emulator-state.json --port 8443', 'serve the tenant an embedded run left behind'],
    ['entra-portal emulator --faults throttle=0.2,retry-after=0,lag=2000', 'inject 429s and replication lag'],
    ['entra-portal emulator --restore-api 4443 --json', 'also serve GET /v8/RestorePortalSettings; first stdout line is JSON'],
  ],
  builder: (y) =>
    y
      .option('port', { type: 'string', requiresArg: true, describe: 'port on 127.0.0.1 (0 = pick a free one; default 0)', coerce: portOption('port') })
      .option('state', { type: 'string', requiresArg: true, describe: 'state file (JSON); default in memory' })
      .option('faults', {
        type: 'string',
        requiresArg: true,
        describe: 'fault injection, e.g. latency=50,throttle=0.2,unavailable=0.1,retry-after=1,lag=5000,drop-after-write=3,seed=7 (default $ENTRA_PORTAL_EMULATOR_FAULTS)',
      })
      .option('restore-api', { type: 'string', requiresArg: true, describe: 'also serve the VB365 REST stand-in on this port', coerce: portOption('restore-api') }),
  // runEmulator prints the start-up document itself (the process keeps running afterwards)
  printsOwnOutput: true,
  async run(args, ctx) {
    if (args.whatIf) {
      throw new UsageError('emulator: --what-if has nothing to preview: the emulator changes no config and no real tenant', {
        remedy: 'Run it without --what-if; leave out --state to keep its state in memory only.',
      });
    }
    const { runEmulator } = await import('../src/emulator/run.js');
    const { parseFaults } = await import('../src/emulator/faults.js');
    const faults = args.faults ?? ctx.env.ENTRA_PORTAL_EMULATOR_FAULTS;
    parseFaults(faults); // a bad spec is an input error before anything starts
    try {
      return await runEmulator(
        {
          port: args.port,
          state: args.state,
          ...(faults ? { faults } : {}),
          restoreApi: args.restoreApi,
          config: args.config,
          json: args.json,
        },
        ctx,
      );
    } catch (err) {
      // Node's "listen EADDRINUSE: address already in use 127.0.0.1:8443" names neither the option nor a way out
      const e = err as NodeJS.ErrnoException & { port?: number };
      if (e.code === 'EADDRINUSE') {
        const option = e.port !== undefined && e.port === args.restoreApi && e.port !== args.port ? '--restore-api' : '--port';
        throw new OperationError(`port ${e.port ?? '?'} on 127.0.0.1 is already in use (${option} ${e.port ?? ''})`.replace(' )', ')'), {
          code: 'port-in-use',
          cause: err,
          remedy: `Stop what listens there, or choose another ${option}${option === '--port' ? ' (0 picks a free one)' : ''}.`,
        });
      }
      throw err;
    }
  },
});
