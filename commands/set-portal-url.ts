import { defineCommand } from '../src/cli/command.js';
import { portOption, REDIRECT_URI_OPTIONS } from '../src/cli/options.js';
import type { SetPortalUrlResult } from '../src/cmdlets/set-portal-url.js';
import { APPLY_OPTIONS, chainedApply, editVerbOutput, type ApplyArgs } from './edit-output.js';

interface Args extends ApplyArgs {
  url: string;
  restApiPort?: number;
  extraRedirectUri?: string[];
  removeRedirectUri?: string[];
}

export const setPortalUrlCommand = defineCommand<Args, SetPortalUrlResult>({
  name: 'set-portal-url',
  describe: 'Set the Restore Portal web address (https://<IPv4 or DNS name>:<REST API port>)',
  positionals: [
    { name: 'url', required: true, describe: 'https://<IPv4>:<port> or https://<DNS name>:<port>; no path, query or user info; IDNs become punycode' },
  ],
  options: [
    { ...portOption('rest-api-port', 'the port the VB365 REST API listens on: the URL must use it', false), defaultText: "the config's, else 4443" },
    ...REDIRECT_URI_OPTIONS,
    ...APPLY_OPTIONS,
  ],
  examples: [
    ['entra-portal set-portal-url https://portal.abc.com:4443', 'record the portal address in ./entra-portal.json5'],
    ['entra-portal set-portal-url https://portal.abc.com:4443 --apply', 'record it and make it the application\'s redirect URI in Entra'],
    ['entra-portal set-portal-url https://203.0.113.10:9443 --rest-api-port 9443', 'the REST API listens on another port'],
    ['entra-portal set-portal-url https://portal.abc.com:4443 --what-if', 'show the edit as a diff; write nothing'],
    ['entra-portal set-portal-url https://portal.abc.com:4443 --extra-redirect-uri https://203.0.113.10:4443', 'the portal is also reached by its IP address'],
  ],
  notes: [
    'Accepted: https only, with the REST API port (it may be left out only when that is 443); IPv4 as exactly four decimal numbers 0–255, or a DNS name of letters, digits, hyphens.',
    'Refused, with a corrected example: http, IPv6, a path, query, fragment or user info, hex/octal/short IPv4, underscores, empty or over-long labels.',
    'Warned, not refused: private, loopback or link-local IPv4, and single-label names.',
  ],
  async run(args, ctx) {
    const { setPortalUrl } = await import('../src/cmdlets/set-portal-url.js');
    return setPortalUrl(
      {
        url: args.url,
        restApiPort: args.restApiPort,
        config: args.config,
        whatIf: args.whatIf,
        apply: chainedApply(args),
        ...(args.extraRedirectUri ? { extraRedirectUris: args.extraRedirectUri } : {}),
        ...(args.removeRedirectUri ? { removeRedirectUris: args.removeRedirectUri } : {}),
      },
      ctx,
    );
  },
  ...editVerbOutput,
});
