import { defineCommand } from '../src/cli/command.js';
import type { CustomerEditResult } from '../src/cmdlets/customers.js';
import { APPLY_OPTIONS, chainedApply, editVerbOutput, type ApplyArgs } from './edit-output.js';
import { CUSTOMER_TENANT_OPTION } from './customer-options.js';

interface Args extends ApplyArgs {
  tenant: string;
  credentialEnv?: string;
}

export const addCustomerCommand = defineCommand<Args, CustomerEditResult>({
  name: 'add-customer',
  describe: 'Service providers: serve a customer tenant with this multi-tenant application (service principal + admin consent there)',
  options: [
    CUSTOMER_TENANT_OPTION,
    {
      name: 'credential-env',
      kind: 'string',
      value: 'PREFIX',
      describe: "prefix of the environment variables holding this tenant's credential (<PREFIX>_CLIENT_ID, <PREFIX>_CLIENT_SECRET, …)",
      defaultText: 'ENTRA_PORTAL_TENANT_<TENANT>',
    },
    ...APPLY_OPTIONS,
  ],
  examples: [
    ['entra-portal add-customer --tenant fabrikam.onmicrosoft.com', 'list the customer in ./entra-portal.json5'],
    ['entra-portal add-customer --tenant fabrikam.onmicrosoft.com --apply', 'list it and reconcile its tenant now (needs a credential there)'],
    ['entra-portal add-customer --tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 --credential-env FABRIKAM', 'its credential comes from FABRIKAM_CLIENT_ID, FABRIKAM_CLIENT_SECRET, …'],
  ],
  notes: ['The application must be multi-tenant (new-app/set-app --multi-tenant). Without a credential in the tenant, "entra-portal consent-url --tenant <t>" gives the link its administrator opens.'],
  async run(args, ctx) {
    const { addCustomer } = await import('../src/cmdlets/customers.js');
    return addCustomer(
      { tenant: args.tenant, ...(args.credentialEnv !== undefined ? { credentialEnv: args.credentialEnv } : {}), config: args.config, whatIf: args.whatIf, apply: chainedApply(args) },
      ctx,
    );
  },
  ...editVerbOutput,
});
