/**
 * set-app: desired state "configure this existing application": pins its appId.
 * Creates the config file when missing.
 */
import { asArgument } from '../errors.js';
import { toContext, type Context } from '../context.js';
import { resolveRegion } from '../cloud/regions.js';
import { editConfig, resolveConfigPath } from '../config/index.js';
import { normalizeAppId, normalizeTenant } from '../config/values.js';
import { chainApply, toVerbResult, type EditVerbInput, type EditVerbResult } from './edit-verb.js';
import { editOwners, editRedirectUris, notListedWarnings, ownersNotListedWarnings, pinAudience, type OwnerEdits, type RedirectUriEdits } from './app-edits.js';

export interface SetAppInput extends EditVerbInput, RedirectUriEdits, OwnerEdits {
  /** the Application (client) ID; any case, stored lowercase */
  appId: string;
  region?: string;
  tenant?: string;
  /** the audience; when not given and the file does not say, single-tenant is written (the audience is always pinned) */
  multiTenant?: boolean;
}

export interface SetAppResult extends EditVerbResult {
  verb: 'set-app';
  appId: string;
  multiTenant: boolean;
  extraRedirectUris: { added: string[]; removed: string[] };
  /** application.owners as --owner / --remove-owner edited it (only when they were given) */
  owners?: { added: string[]; removed: string[] };
  region?: string;
  tenant?: string;
}

export async function setApp(input: SetAppInput, ctx?: Partial<Context>): Promise<SetAppResult> {
  const c = toContext(ctx);
  const appId = asArgument(() => normalizeAppId(input.appId ?? ''));
  const region = input.region !== undefined ? asArgument(() => resolveRegion(input.region!).name) : undefined;
  const tenant = input.tenant !== undefined ? asArgument(() => normalizeTenant(input.tenant!)) : undefined;
  const path = resolveConfigPath(c, input.config);
  let multiTenant = input.multiTenant ?? false;
  let redirects = { added: [] as string[], removed: [] as string[], notListed: [] as string[] };
  let owners = { ...redirects };
  const edit = await editConfig(
    path,
    c,
    (doc) => {
      // same application in another case: keep the file as it is
      const current = doc.get(['application', 'appId']);
      if (typeof current !== 'string' || current.toLowerCase() !== appId) doc.set(['application', 'appId'], appId);
      if (region !== undefined) doc.set(['region'], region);
      if (tenant !== undefined) doc.set(['tenant'], tenant);
      multiTenant = pinAudience(doc, input.multiTenant);
      redirects = editRedirectUris(doc, input);
      owners = editOwners(doc, input);
    },
    { create: true, whatIf: input.whatIf === true },
  );
  const warnings = [...notListedWarnings(redirects), ...ownersNotListedWarnings(owners)];
  for (const w of warnings) c.log.warn(w);
  const result: SetAppResult = {
    ...toVerbResult('set-app', edit, warnings),
    verb: 'set-app',
    appId,
    multiTenant,
    extraRedirectUris: { added: redirects.added, removed: redirects.removed },
    ...(input.owners || input.removeOwners ? { owners: { added: owners.added, removed: owners.removed } } : {}),
    ...(region ? { region } : {}),
    ...(tenant ? { tenant } : {}),
  };
  if (input.apply) await chainApply(result, edit, c, input.apply);
  return result;
}
