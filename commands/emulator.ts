import { resolve } from 'node:path';
import { defineCommand } from '../src/cli/command.js';
import { envelope } from '../src/cli/envelope.js';
import { portOption } from '../src/cli/options.js';
import type { Context } from '../src/context.js';
import { asArgument, OperationError, UsageError } from '../src/errors.js';
import type { EmulatorStartDocument, RunEmulatorResult } from '../src/emulator/run.js';

interface EmulatorArgs {
  port?: number;
  state?: string;
  faults?: string;
  restoreApi?: number;
  tenants?: number;
}

export const emulatorCommand = defineCommand<EmulatorArgs, RunEmulatorResult>({
  name: 'emulator',
  describe: 'Run the local Entra emulator (Graph v1.0 subset and token service over HTTPS)',
  options: [
    { ...portOption('port', 'port on 127.0.0.1 (0 = pick a free one)', true), default: 0 },
    { name: 'state', kind: 'string', value: 'file', describe: 'state file (JSON)', defaultText: 'in memory' },
    {
      name: 'faults',
      kind: 'string',
      value: 'spec',
      env: 'ENTRA_PORTAL_EMULATOR_FAULTS',
      describe: 'fault injection, e.g. latency=50,throttle=0.2,unavailable=0.1,retry-after=1,lag=5000,drop-after-write=3,seed=7',
    },
    portOption('restore-api', 'also serve the VB365 REST stand-in (GET /v8/RestorePortalSettings) on this port', true),
    {
      name: 'tenants',
      kind: 'integer',
      value: 'n',
      check: (n) => n >= 1 && n <= 1000,
      rule: 'a whole number from 1 to 1000',
      describe: 'also seed n tenants (tenant-1.onmicrosoft.com …), each with its operators: a fleet to try offline',
    },
  ],
  examples: [
    ['entra-portal emulator', 'serve on a free loopback port, state in memory; prints URL, CA file and operator credentials'],
    ['entra-portal emulator --state .entra-portal/emulator-state.json --port 8443', 'serve the tenant an embedded run left behind'],
    ['entra-portal emulator --faults throttle=0.2,retry-after=0,lag=2000', 'inject 429s and replication lag'],
    ['entra-portal emulator --restore-api 4443 --json', 'also serve GET /v8/RestorePortalSettings; first stdout line is JSON'],
    ['entra-portal emulator --tenants 20 --state fleet-state.json', 'twenty more tenants, for trying a fleet of configs'],
  ],
  notes: ['Runs until Ctrl-C or SIGTERM, then saves its state and exits 0.'],
  // the start-up document is printed as soon as the emulator listens; the run then lasts until the signal
  printsOwnOutput: true,
  async run(args, ctx) {
    if (args.whatIf) {
      throw new UsageError('emulator: --what-if has nothing to preview: the emulator changes no config and no real tenant', {
        remedy: 'Run it without --what-if; leave out --state to keep its state in memory only.',
      });
    }
    const { runEmulator } = await import('../src/emulator/run.js');
    const { parseFaults } = await import('../src/emulator/faults.js');
    const { EMULATOR_PKI_ENV } = await import('../src/session.js');
    const faults = args.faults;
    asArgument(() => parseFaults(faults)); // a bad spec (option or variable) is a usage error before anything starts
    const pki = ctx.env[EMULATOR_PKI_ENV];
    try {
      return await runEmulator(
        {
          port: args.port,
          // relative to the run's folder (ctx.cwd), not the process's: main() also runs in-process
          ...(args.state !== undefined ? { state: resolve(ctx.cwd, args.state) } : {}),
          ...(faults ? { faults } : {}),
          ...(pki ? { pki } : {}),
          restoreApi: args.restoreApi,
          ...(args.tenants ? { tenants: args.tenants } : {}),
          config: args.config,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          ready: (doc) => ctx.stdout.write(args.json ? `${JSON.stringify(envelope('emulator', 0, ctx.clock.now(), startDocument(doc, ctx)))}\n` : renderStart(startDocument(doc, ctx))),
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

/** What the emulator verb prints: the start-up document, with what a config and a shell need to use it. */
export interface EmulatorReady extends EmulatorStartDocument {
  /** paste into a config (instead of region) to use this emulator as a custom cloud */
  endpoints: { graph: string; login: string };
  /** the environment that signs in to it as the first tenant's operator (`--auth environment`) */
  environment: Record<string, string>;
}

function startDocument(doc: EmulatorStartDocument, ctx: Context): EmulatorReady {
  const caFile = resolve(ctx.cwd, doc.caFile);
  const first = doc.tenants[0]!;
  return {
    ...doc,
    caFile,
    endpoints: { graph: doc.url, login: doc.url },
    environment: {
      NODE_EXTRA_CA_CERTS: caFile,
      AZURE_TENANT_ID: first.id,
      AZURE_CLIENT_ID: first.operator.clientId,
      AZURE_CLIENT_SECRET: first.operator.clientSecret,
      // custom endpoints get the operator's credentials only from a run that trusts their host
      ENTRA_PORTAL_TRUSTED_ENDPOINTS: new URL(doc.url).host,
    },
  };
}

/** A value for a POSIX shell, single-quoted. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function renderStart(doc: EmulatorReady): string {
  const first = doc.tenants[0]!;
  const lines = [
    `Entra emulator listening at ${doc.url}`,
    `  Graph root and login authority: ${doc.url}   (token scope ${doc.url}/.default)`,
    `  CA certificate: ${doc.caFile}`,
  ];
  if (doc.restoreApiUrl) lines.push(`  VB365 REST stand-in: ${doc.restoreApiUrl}/v8/RestorePortalSettings`);
  for (const t of doc.tenants) {
    lines.push(
      `  tenant ${t.domain}  id ${t.id}`,
      `    operator      client id ${t.operator.clientId}  secret ${t.operator.clientSecret}`,
      `    unprivileged  client id ${t.unprivileged.clientId}  secret ${t.unprivileged.clientSecret}  (no roles: 403s)`,
    );
  }
  lines.push(
    '',
    'To use it from a config, put this in the config (instead of region):',
    '',
    `  endpoints: { graph: '${doc.endpoints.graph}', login: '${doc.endpoints.login}' },`,
    `  tenant: '${first.domain}',`,
    '',
    'and run entra-portal with --auth environment, in a shell with:',
    '',
    ...Object.entries(doc.environment).map(([k, v]) => `  export ${k}=${shellQuote(v)}`),
    '',
    `Note: ${doc.note}.`,
    'Press Ctrl+C to stop.',
  );
  return `${lines.join('\n')}\n`;
}
