import type { Argv } from 'yargs';
import { defineCommand } from '../src/command.js';
import { APPLY_OPTION, applyExitCode, renderEditVerbWithApply, singleString } from '../src/cmdlets/edit-verb.js';
import type { SetAppResult } from '../src/cmdlets/set-app.js';
import { applyCommand } from './apply.js';

interface Args {
  appId: string;
  region?: string;
  tenant?: string;
  apply: boolean;
}

export const setAppCommand = defineCommand<Args, SetAppResult>({
  command: 'set-app',
  describe: 'Configure an existing application: pin its Application ID',
  examples: [
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', 'configure an application registered earlier'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --region usgov --tenant contoso.onmicrosoft.us', 'in the US Government cloud'],
    ['entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --apply', 'pin it and bring it to the Restore Portal\'s shape in Entra'],
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
      .option('region', {
        type: 'string',
        describe: 'Worldwide (global), USGovernment (usgov, gcchigh), USDefence (dod), China (21vianet) or Emulator; case-insensitive',
        requiresArg: true,
        coerce: singleString('region'),
      })
      .option('tenant', { type: 'string', describe: 'tenant ID (GUID) or a verified domain name', requiresArg: true, coerce: singleString('tenant') })
      .option('apply', APPLY_OPTION),
  async run(args, ctx) {
    const { setApp } = await import('../src/cmdlets/set-app.js');
    return setApp(
      {
        appId: args.appId,
        region: args.region,
        tenant: args.tenant,
        config: args.config,
        whatIf: args.whatIf,
        apply: args.apply,
      },
      ctx,
    );
  },
  render: (result, ctx, args) => renderEditVerbWithApply(result, ctx, (a) => applyCommand.render?.(a as never, ctx, args as never)),
  exitCode: (result) => applyExitCode(result),
});
