import type { Argv } from 'yargs';
import { defineCommand } from '../src/cli/command.js';
import { APPLY_OPTION, REGION_OPTION, TENANT_OPTION, singleString } from '../src/cli/options.js';
import type { NewAppResult } from '../src/cmdlets/new-app.js';
import { editVerbOutput } from './edit-output.js';

interface Args {
  name: string;
  uniqueName?: string;
  multiTenant?: boolean;
  region?: string;
  tenant?: string;
  force: boolean;
  apply: boolean;
}

export const newAppCommand = defineCommand<Args, NewAppResult>({
  command: 'new-app',
  describe: 'Describe a new application to register (creates the config file if missing)',
  examples: [
    ['entra-portal new-app --name "Veeam Restore Portal"', 'start a config: unique name veeam-restore-portal, Worldwide'],
    ['entra-portal new-app --name "Restore Portal" --multi-tenant --tenant contoso.onmicrosoft.com', 'a multi-tenant application (service providers)'],
    ['entra-portal new-app --name "Restore Portal" --region China --apply', 'register it in the China cloud right away'],
    ['entra-portal new-app --name "Restore Portal 2" --force', 'replace a pinned appId with a new registration'],
  ],
  builder: (y: Argv) =>
    y
      .option('name', {
        type: 'string',
        describe: 'display name of the application',
        demandOption: 'give the display name: --name "Veeam Restore Portal"',
        requiresArg: true,
        coerce: singleString('name'),
      })
      .option('unique-name', {
        type: 'string',
        describe: 'registration key that makes registering idempotent (default: a slug of the name)',
        requiresArg: true,
        coerce: singleString('unique-name'),
      })
      .option('multi-tenant', { type: 'boolean', describe: 'let users of other tenants sign in (AzureADMultipleOrgs)' })
      .option('region', REGION_OPTION)
      .option('tenant', TENANT_OPTION)
      .option('force', { type: 'boolean', default: false, describe: 'the file pins an appId: remove it and register a new application instead' })
      .option('apply', APPLY_OPTION),
  async run(args, ctx) {
    const { newApp } = await import('../src/cmdlets/new-app.js');
    return newApp(
      {
        name: args.name,
        uniqueName: args.uniqueName,
        multiTenant: args.multiTenant,
        region: args.region,
        tenant: args.tenant,
        config: args.config,
        force: args.force,
        whatIf: args.whatIf,
        apply: args.apply,
      },
      ctx,
    );
  },
  ...editVerbOutput,
});
