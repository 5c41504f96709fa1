import type { Argv } from 'yargs';
import { defineCommand } from '../src/cli/command.js';
import { APPLY_OPTION, singleString } from '../src/cli/options.js';
import type { CustomerEditResult } from '../src/cmdlets/customers.js';
import { editVerbOutput } from './edit-output.js';

interface Args {
  tenant: string;
  credentialEnv?: string;
  apply: boolean;
}

export const addCustomerCommand = defineCommand<Args, CustomerEditResult>({
  command: 'add-customer',
  describe: 'Service providers: serve a customer tenant with this multi-tenant application (service principal + admin consent there)',
  examples: [
    ['entra-portal add-customer --tenant fabrikam.onmicrosoft.com', 'list the customer in ./entra-portal.json5'],
    ['entra-portal add-customer --tenant fabrikam.onmicrosoft.com --apply', 'list it and reconcile its tenant now (needs a credential there)'],
    ['entra-portal add-customer --tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 --credential-env FABRIKAM', 'its credential comes from FABRIKAM_CLIENT_ID, FABRIKAM_CLIENT_SECRET, …'],
  ],
  builder: (y: Argv) =>
    y
      .option('tenant', {
        type: 'string',
        describe: "the customer's tenant ID (GUID) or a verified domain name",
        demandOption: 'give the customer tenant: --tenant <id or domain>',
        requiresArg: true,
        coerce: singleString('tenant'),
      })
      .option('credential-env', {
        type: 'string',
        describe: 'prefix of the environment variables holding this tenant\'s credential (<PREFIX>_CLIENT_ID, …); default ENTRA_PORTAL_TENANT_<TENANT>',
        requiresArg: true,
        coerce: singleString('credential-env'),
      })
      .option('apply', APPLY_OPTION),
  async run(args, ctx) {
    const { addCustomer } = await import('../src/cmdlets/customers.js');
    return addCustomer(
      { tenant: args.tenant, ...(args.credentialEnv !== undefined ? { credentialEnv: args.credentialEnv } : {}), config: args.config, whatIf: args.whatIf, apply: args.apply },
      ctx,
    );
  },
  ...editVerbOutput,
});
