import type { Argv } from 'yargs';
import { defineCommand } from '../src/cli/command.js';
import { APPLY_OPTION, REDIRECT_URI_OPTIONS, REGION_OPTION, TENANT_OPTION, singleString } from '../src/cli/options.js';
import type { SetAppResult } from '../src/cmdlets/set-app.js';
import { editVerbOutput } from './edit-output.js';

interface Args {
  appId: string;
  multiTenant?: boolean;
  region?: string;
  tenant?: string;
  apply: boolean;
  extraRedirectUri?: string[];
  removeRedirectUri?: string[];
}

export const setAppCommand = defineCommand<Args, SetAppResult>({
  command: 'set-app',
  describe: 'Configure an existing application: pin its Application ID',
  examples: [
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', 'configure an application registered earlier'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --region usgov --tenant contoso.onmicrosoft.us', 'in the US Government cloud'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --apply', 'pin it and bring it to the Restore Portal\'s shape in Entra'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --extra-redirect-uri https://portal2.abc.com:4443', 'also allow a second portal address'],
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
      .option('multi-tenant', { type: 'boolean', describe: 'let users of other tenants sign in (AzureADMultipleOrgs); --no-multi-tenant for single-tenant (written as false when the file does not say)' })
      .option('region', REGION_OPTION)
      .option('tenant', TENANT_OPTION)
      .options(REDIRECT_URI_OPTIONS)
      .option('apply', APPLY_OPTION),
  async run(args, ctx) {
    const { setApp } = await import('../src/cmdlets/set-app.js');
    return setApp(
      {
        appId: args.appId,
        ...(args.multiTenant !== undefined ? { multiTenant: args.multiTenant } : {}),
        region: args.region,
        tenant: args.tenant,
        config: args.config,
        whatIf: args.whatIf,
        apply: args.apply,
        ...(args.extraRedirectUri ? { extraRedirectUris: args.extraRedirectUri } : {}),
        ...(args.removeRedirectUri ? { removeRedirectUris: args.removeRedirectUri } : {}),
      },
      ctx,
    );
  },
  ...editVerbOutput,
});
