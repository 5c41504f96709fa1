import type { Argv } from 'yargs';
import { defineCommand } from '../src/cli/command.js';
import { APPLY_OPTION, singleString } from '../src/cli/options.js';
import type { CustomerEditResult } from '../src/cmdlets/customers.js';
import { editVerbOutput } from './edit-output.js';

interface Args {
  tenant: string;
  apply: boolean;
}

export const removeCustomerCommand = defineCommand<Args, CustomerEditResult>({
  command: 'remove-customer',
  describe: 'Service providers: stop managing a customer tenant (its service principal and consent stay there)',
  examples: [
    ['entra-portal remove-customer --tenant fabrikam.onmicrosoft.com', 'remove the customer from ./entra-portal.json5'],
    ['entra-portal remove-customer --tenant fabrikam.onmicrosoft.com --what-if', 'show the edit as a diff; write nothing'],
  ],
  builder: (y: Argv) =>
    y
      .option('tenant', {
        type: 'string',
        describe: "the customer's tenant ID (GUID) or domain, as listed in customers",
        demandOption: 'give the customer tenant: --tenant <id or domain>',
        requiresArg: true,
        coerce: singleString('tenant'),
      })
      .option('apply', APPLY_OPTION),
  async run(args, ctx) {
    const { removeCustomer } = await import('../src/cmdlets/customers.js');
    return removeCustomer({ tenant: args.tenant, config: args.config, whatIf: args.whatIf, apply: args.apply }, ctx);
  },
  ...editVerbOutput,
});
