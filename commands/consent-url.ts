import { defineCommand } from '../src/cli/command.js';
import type { ConsentUrlResult } from '../src/cmdlets/consent-url.js';
import { CUSTOMER_TENANT_OPTION } from './customer-options.js';

interface Args {
  tenant: string;
}

export const consentUrlCommand = defineCommand<Args, ConsentUrlResult>({
  name: 'consent-url',
  describe: "Service providers: the admin-consent link a customer's administrator opens to onboard the application",
  options: [CUSTOMER_TENANT_OPTION],
  examples: [
    ['entra-portal consent-url --tenant fabrikam.onmicrosoft.com', 'print the link (stdout: the URL alone)'],
    ['entra-portal consent-url --tenant fabrikam.onmicrosoft.com --json', 'the link with its parts (tenant, appId, redirect URI)'],
  ],
  notes: ['Reads the config only: no sign-in, no network. The administrator (at least Cloud Application Administrator) approves the delegated permissions for the whole tenant and lands on the portal URL.'],
  async run(args, ctx) {
    if (args.whatIf) ctx.log.info('--what-if: consent-url changes nothing anyway');
    const { consentUrl } = await import('../src/cmdlets/consent-url.js');
    return consentUrl({ tenant: args.tenant, config: args.config }, ctx);
  },
  render: (result) => result.url,
});
