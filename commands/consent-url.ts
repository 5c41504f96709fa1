import type { Argv } from 'yargs';
import { defineCommand } from '../src/cli/command.js';
import { singleString } from '../src/cli/options.js';
import type { ConsentUrlResult } from '../src/cmdlets/consent-url.js';

interface Args {
  tenant: string;
}

export const consentUrlCommand = defineCommand<Args, ConsentUrlResult>({
  command: 'consent-url',
  describe: "Service providers: the admin-consent link a customer's administrator opens to onboard the application",
  examples: [
    ['entra-portal consent-url --tenant fabrikam.onmicrosoft.com', 'print the link (stdout: the URL alone)'],
    ['entra-portal consent-url --tenant fabrikam.onmicrosoft.com --json', 'the link with its parts (tenant, appId, redirect URI)'],
  ],
  builder: (y: Argv) =>
    y.option('tenant', {
      type: 'string',
      describe: "the customer's tenant ID (GUID) or a verified domain name",
      demandOption: 'give the customer tenant: --tenant <id or domain>',
      requiresArg: true,
      coerce: singleString('tenant'),
    }),
  async run(args, ctx) {
    if (args.whatIf) ctx.log.info('--what-if: consent-url changes nothing anyway');
    const { consentUrl } = await import('../src/cmdlets/consent-url.js');
    return consentUrl({ tenant: args.tenant, config: args.config }, ctx);
  },
  render: (result) => result.url,
});
