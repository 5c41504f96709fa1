import type { Argv } from 'yargs';
import { defineCommand } from '../src/cli/command.js';
import { APPLY_OPTION, REGION_OPTION, TENANT_OPTION, singleString } from '../src/cli/options.js';
import type { SetAppResult } from '../src/cmdlets/set-app.js';
import { editVerbOutput } from './edit-output.js';

interface Args {
  appId: string;
  region?: string;
  tenant?: string;
  apply: boolean;
}

export const setAppCommand = defineCommand<Args, SetAppResult>({
  command: 'set-app',
  describe: 'Configure an existing application: pin its Application ID',
  examples: [
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', 'configure an application registered earlier'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --region usgov --tenant contoso.onmicrosoft.us', 'in the US Government cloud'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --apply', 'pin it and bring it to the Restore Portal\'s shape in Entra'],
  ],
  builder: (y: Argv) =>
    y
      .option('app-id', {
        type: 'string',
        describe: 'the Application (client) ID, a GUID (any case; stored lowercase)',
        demandOption: 'give the Application (client) ID: --app-id <guid>',
        requiresArg: true,
        coerce: singleString('app-id'),
      })
      .option('region', REGION_OPTION)
      .option('tenant', TENANT_OPTION)
      .option('apply', APPLY_OPTION),
  async run(args, ctx) {
    const { setApp } = await import('../src/cmdlets/set-app.js');
    return setApp(
      {
        appId: args.appId,
        region: args.region,
        tenant: args.tenant,
        config: args.config,
        whatIf: args.whatIf,
        apply: args.apply,
      },
      ctx,
    );
  },
  ...editVerbOutput,
});
