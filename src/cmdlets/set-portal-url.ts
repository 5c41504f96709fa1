/**
 * set-portal-url: desired state "the Restore Portal web address" (rules in
 * src/url/portal-url.ts). Records portal.url (normalised) and portal.restApiPort.
 */
import { asArgument } from '../errors.js';
import { toContext, type Context } from '../context.js';
import { editConfig, resolveConfigPath, DEFAULT_REST_API_PORT } from '../config/index.js';
import { checkPort } from '../config/values.js';
import { normalizeRedirectUri, validatePortalUrl, type PortalUrl } from '../url/portal-url.js';
import { chainApply, toVerbResult, type EditVerbInput, type EditVerbResult } from './edit-verb.js';
import { editRedirectUris, notListedWarnings, type RedirectUriEdits } from './app-edits.js';

export interface SetPortalUrlInput extends EditVerbInput, RedirectUriEdits {
  url: string;
  /** the port the VB365 REST API listens on; default: the config's, else 4443 */
  restApiPort?: number;
}

export interface SetPortalUrlResult extends EditVerbResult {
  verb: 'set-portal-url';
  portal: { url: string; restApiPort: number; host: string; hostKind: PortalUrl['hostKind'] };
  extraRedirectUris: { added: string[]; removed: string[] };
  /** the portal URL this edit replaced: unmanaged in Entra from now on (apply --prune removes it) */
  previousUrl?: string;
}

export async function setPortalUrl(input: SetPortalUrlInput, ctx?: Partial<Context>): Promise<SetPortalUrlResult> {
  const c = toContext(ctx);
  if (input.restApiPort !== undefined) asArgument(() => checkPort(input.restApiPort!));
  // the URL's own form (and its port against --rest-api-port) is judged before the file is touched or
  // locked: a usage error (64). Only a port that does not fit the file's portal.restApiPort is left
  // for the edit below: the file refuses it (65).
  asArgument(() => validatePortalUrl(input.url ?? '', input.restApiPort ?? ownPort(input.url ?? '')));
  const path = resolveConfigPath(c, input.config);
  let checked: PortalUrl | undefined;
  let port = input.restApiPort ?? DEFAULT_REST_API_PORT;
  let redirects = { added: [] as string[], removed: [] as string[], notListed: [] as string[] };
  let previousUrl: string | undefined;
  const edit = await editConfig(
    path,
    c,
    (doc) => {
      const current = doc.get(['portal', 'restApiPort']);
      const recorded = input.restApiPort === undefined && typeof current === 'number' && Number.isInteger(current) && current >= 1 && current <= 65535;
      if (recorded) port = current;
      // the file's recorded port refusing a well-formed URL is the file's say (65); the default port's is the command line's (64)
      checked = recorded ? validatePortalUrl(input.url ?? '', port) : asArgument(() => validatePortalUrl(input.url ?? '', port));
      const before = doc.get(['portal', 'url']);
      if (typeof before === 'string' && normalizeRedirectUri(before) !== normalizeRedirectUri(checked.url)) previousUrl = before;
      doc.set(['portal', 'url'], checked.url);
      doc.set(['portal', 'restApiPort'], port);
      redirects = editRedirectUris(doc, input);
    },
    { create: true, whatIf: input.whatIf === true },
  );
  const url = checked!;
  const warnings = [...url.warnings, ...notListedWarnings(redirects)];
  if (previousUrl) {
    warnings.push(`${previousUrl} is no longer the portal URL: in Entra it is now an unmanaged redirect URI (drift) until "entra-portal apply --prune" removes it, or --extra-redirect-uri keeps it`);
  }
  for (const w of warnings) c.log.warn(w);
  const result: SetPortalUrlResult = {
    ...toVerbResult('set-portal-url', edit, warnings),
    verb: 'set-portal-url',
    portal: { url: url.url, restApiPort: port, host: url.host, hostKind: url.hostKind },
    extraRedirectUris: { added: redirects.added, removed: redirects.removed },
    ...(previousUrl ? { previousUrl } : {}),
  };
  if (input.apply) await chainApply(result, edit, c, input.apply);
  return result;
}

/**
 * The port a URL names (443 when it names none), so that its form can be judged without a file.
 * Read from the text, not with `new URL()`: a host that WHATWG refuses (a control character, U+202E)
 * must be named as the fault, not reported as a port that differs from 443.
 */
function ownPort(url: string): number {
  const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*:(\d{1,5})(?:[/?#\\]|$)/i.exec(url.trim())?.[1];
  const n = Number(port);
  return port !== undefined && n >= 1 && n <= 65535 ? n : 443; // no port, or not a URL: validatePortalUrl says why
}
