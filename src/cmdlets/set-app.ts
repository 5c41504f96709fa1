/**
 * set-app: desired state "configure this existing application" (DESIGN §3): pins its appId.
 * Creates the config file when missing.
 */
import { toContext, type Context } from '../context.js';
import { resolveRegion } from '../cloud/regions.js';
import { editConfig, resolveConfigPath } from '../config/index.js';
import { normalizeAppId, normalizeTenant } from '../config/values.js';
import { chainApply, toVerbResult, type EditVerbInput, type EditVerbResult } from './edit-verb.js';

export interface SetAppInput extends EditVerbInput {
  /** the Application (client) ID; any case, stored lowercase */
  appId: string;
  region?: string;
  tenant?: string;
}

export interface SetAppResult extends EditVerbResult {
  verb: 'set-app';
  appId: string;
  region?: string;
  tenant?: string;
}

export async function setApp(input: SetAppInput, ctx?: Partial<Context>): Promise<SetAppResult> {
  const c = toContext(ctx);
  const appId = normalizeAppId(input.appId ?? '');
  const region = input.region !== undefined ? resolveRegion(input.region).name : undefined;
  const tenant = input.tenant !== undefined ? normalizeTenant(input.tenant) : undefined;
  const path = resolveConfigPath(c, input.config);
  const edit = await editConfig(
    path,
    c,
    (doc) => {
      // same application in another case: keep the file as it is
      const current = doc.get(['application', 'appId']);
      if (typeof current !== 'string' || current.toLowerCase() !== appId) doc.set(['application', 'appId'], appId);
      if (region !== undefined) doc.set(['region'], region);
      if (tenant !== undefined) doc.set(['tenant'], tenant);
    },
    { create: true, whatIf: input.whatIf === true },
  );
  const result: SetAppResult = {
    ...toVerbResult('set-app', edit, []),
    verb: 'set-app',
    appId,
    ...(region ? { region } : {}),
    ...(tenant ? { tenant } : {}),
  };
  if (input.apply) await chainApply(result, edit, c);
  return result;
}
