import { defineCommand } from '../src/cli/command.js';
import type { CustomerEditResult } from '../src/cmdlets/customers.js';
import { APPLY_OPTIONS, chainedApply, editVerbOutput, type ApplyArgs } from './edit-output.js';
import { CUSTOMER_TENANT_OPTION } from './customer-options.js';

interface Args extends ApplyArgs {
  tenant: string;
}

export const removeCustomerCommand = defineCommand<Args, CustomerEditResult>({
  name: 'remove-customer',
  describe: 'Service providers: stop managing a customer tenant (its service principal and consent stay there)',
  options: [CUSTOMER_TENANT_OPTION, ...APPLY_OPTIONS],
  examples: [
    ['entra-portal remove-customer --tenant fabrikam.onmicrosoft.com', 'remove the customer from ./entra-portal.json5'],
    ['entra-portal remove-customer --tenant fabrikam.onmicrosoft.com --what-if', 'show the edit as a diff; write nothing'],
  ],
  async run(args, ctx) {
    const { removeCustomer } = await import('../src/cmdlets/customers.js');
    return removeCustomer({ tenant: args.tenant, config: args.config, whatIf: args.whatIf, apply: chainedApply(args) }, ctx);
  },
  ...editVerbOutput,
});
