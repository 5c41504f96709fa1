/** `--tenant` as the customer verbs (add-customer, remove-customer, consent-url) take it: required. */
import type { OptionSpec } from '../src/cli/command.js';

export const CUSTOMER_TENANT_OPTION: OptionSpec = {
  name: 'tenant',
  kind: 'string',
  value: 'tenant',
  describe: "the customer's tenant ID (GUID) or a verified domain name",
  required: 'Give the customer tenant: --tenant <id or domain>',
};
