import { defineCommand } from '../src/cli/command.js';
import { OWNER_OPTIONS, REDIRECT_URI_OPTIONS, REGION_OPTION, TENANT_OPTION } from '../src/cli/options.js';
import type { SetAppResult } from '../src/cmdlets/set-app.js';
import { APPLY_OPTIONS, chainedApply, editVerbOutput, type ApplyArgs } from './edit-output.js';

interface Args extends ApplyArgs {
  appId: string;
  multiTenant?: boolean;
  region?: string;
  tenant?: string;
  extraRedirectUri?: string[];
  removeRedirectUri?: string[];
  owner?: string[];
  removeOwner?: string[];
}

export const setAppCommand = defineCommand<Args, SetAppResult>({
  name: 'set-app',
  describe: 'Configure an existing application: pin its Application ID',
  options: [
    {
      name: 'app-id',
      kind: 'string',
      value: 'guid',
      describe: 'the Application (client) ID, a GUID (any case; stored lowercase)',
      required: 'Give the Application (client) ID: --app-id <guid>',
    },
    {
      name: 'multi-tenant',
      kind: 'boolean',
      describe: 'let users of other tenants sign in (AzureADMultipleOrgs); --no-multi-tenant for single-tenant (written as false when the file does not say)',
    },
    REGION_OPTION,
    TENANT_OPTION,
    ...REDIRECT_URI_OPTIONS,
    ...OWNER_OPTIONS,
    ...APPLY_OPTIONS,
  ],
  examples: [
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', 'configure an application registered earlier'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --region usgov --tenant contoso.onmicrosoft.us', 'in the US Government cloud'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --apply', 'pin it and bring it to the Restore Portal\'s shape in Entra'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --extra-redirect-uri https://portal2.abc.com:4443', 'also allow a second portal address'],
  ],
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
        apply: chainedApply(args),
        ...(args.extraRedirectUri ? { extraRedirectUris: args.extraRedirectUri } : {}),
        ...(args.removeRedirectUri ? { removeRedirectUris: args.removeRedirectUri } : {}),
        ...(args.owner ? { owners: args.owner } : {}),
        ...(args.removeOwner ? { removeOwners: args.removeOwner } : {}),
      },
      ctx,
    );
  },
  ...editVerbOutput,
});
