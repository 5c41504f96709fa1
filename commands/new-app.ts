import { defineCommand } from '../src/cli/command.js';
import { OWNER_OPTIONS, REGION_OPTION, TENANT_OPTION } from '../src/cli/options.js';
import type { NewAppResult } from '../src/cmdlets/new-app.js';
import { APPLY_OPTIONS, chainedApply, editVerbOutput, type ApplyArgs } from './edit-output.js';

interface Args extends ApplyArgs {
  name: string;
  uniqueName?: string;
  multiTenant?: boolean;
  region?: string;
  tenant?: string;
  force: boolean;
  owner?: string[];
  removeOwner?: string[];
}

export const newAppCommand = defineCommand<Args, NewAppResult>({
  name: 'new-app',
  describe: 'Describe a new application to register (creates the config file if missing)',
  options: [
    { name: 'name', kind: 'string', value: 'name', describe: 'display name of the application', required: 'Give the display name: --name "Veeam Restore Portal"' },
    { name: 'unique-name', kind: 'string', value: 'key', describe: 'registration key that makes registering idempotent (default: a slug of the name)' },
    { name: 'multi-tenant', kind: 'boolean', describe: 'let users of other tenants sign in (AzureADMultipleOrgs)' },
    REGION_OPTION,
    TENANT_OPTION,
    { name: 'force', kind: 'boolean', describe: 'the file pins an appId: remove it and register a new application instead' },
    ...OWNER_OPTIONS,
    ...APPLY_OPTIONS,
  ],
  examples: [
    ['entra-portal new-app --name "Veeam Restore Portal"', 'start a config: unique name veeam-restore-portal, Worldwide'],
    ['entra-portal new-app --name "Restore Portal" --multi-tenant --tenant contoso.onmicrosoft.com', 'a multi-tenant application (service providers)'],
    ['entra-portal new-app --name "Restore Portal" --region China --apply', 'register it in the China cloud right away'],
    ['entra-portal new-app --name "Restore Portal 2" --force', 'replace a pinned appId with a new registration'],
    ['entra-portal new-app --name "Restore Portal" --owner 1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b', 'manage the owners: exactly this user (by object id) owns the application'],
  ],
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
        apply: chainedApply(args),
        ...(args.owner ? { owners: args.owner } : {}),
        ...(args.removeOwner ? { removeOwners: args.removeOwner } : {}),
      },
      ctx,
    );
  },
  ...editVerbOutput,
});
