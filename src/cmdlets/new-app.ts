/**
 * new-app: desired state "register a new application". Edits the config file only;
 * `apply` registers it by uniqueName (idempotent upsert). Creates the file when missing.
 */
import { toContext, type Context } from '../context.js';
import { asArgument, InputError, UsageError } from '../errors.js';
import { resolveRegion } from '../cloud/regions.js';
import { editConfig, resolveConfigPath } from '../config/index.js';
import { checkDisplayName, checkUniqueName, normalizeTenant, slugify } from '../config/values.js';
import { chainApply, toVerbResult, type EditVerbInput, type EditVerbResult } from './edit-verb.js';
import { editOwners, ownersNotListedWarnings, pinAudience, type OwnerEdits } from './app-edits.js';

export interface NewAppInput extends EditVerbInput, OwnerEdits {
  /** display name used when registering */
  name: string;
  /** registration key; default: a slug of the name */
  uniqueName?: string;
  multiTenant?: boolean;
  /** region name or alias (stored as the canonical name) */
  region?: string;
  /** tenant ID or a domain name */
  tenant?: string;
  /** drop a pinned appId (the application it names is left alone in Entra) */
  force?: boolean;
}

export interface NewAppResult extends EditVerbResult {
  verb: 'new-app';
  application: { name: string; uniqueName: string; multiTenant: boolean };
  /** application.owners as --owner / --remove-owner edited it (only when they were given) */
  owners?: { added: string[]; removed: string[] };
  region?: string;
  tenant?: string;
  /** the appId that --force removed from the file */
  unpinned?: string;
}

export async function newApp(input: NewAppInput, ctx?: Partial<Context>): Promise<NewAppResult> {
  const c = toContext(ctx);
  const name = asArgument(() => checkDisplayName(input.name ?? ''));
  let uniqueName: string;
  if (input.uniqueName !== undefined) {
    uniqueName = asArgument(() => checkUniqueName(input.uniqueName!));
  } else {
    uniqueName = slugify(name);
    if (!uniqueName) {
      throw new UsageError(`cannot make a unique name from '${name}' (no letters or digits)`, {
        code: 'invalid-unique-name',
        remedy: 'Pass one: --unique-name veeam-restore-portal',
      });
    }
  }
  const region = input.region !== undefined ? asArgument(() => resolveRegion(input.region!).name) : undefined;
  const tenant = input.tenant !== undefined ? asArgument(() => normalizeTenant(input.tenant!)) : undefined;
  const path = resolveConfigPath(c, input.config);
  let unpinned: string | undefined;
  let multiTenant = input.multiTenant ?? false;
  let owners = { added: [] as string[], removed: [] as string[], notListed: [] as string[] };

  const edit = await editConfig(
    path,
    c,
    (doc) => {
      const pinned = doc.get(['application', 'appId']);
      if (typeof pinned === 'string') {
        if (!input.force) {
          throw new InputError(`the config already pins application ${pinned}: new-app would register a different one`, {
            code: 'app-pinned',
            remedy: 'To configure that application, use set-app. To register a new one instead, rerun with --force (it removes the appId from the file; the application stays in Entra).',
          });
        }
        unpinned = pinned;
        doc.delete(['application', 'appId']);
      }
      if (region !== undefined) doc.set(['region'], region);
      if (tenant !== undefined) doc.set(['tenant'], tenant);
      doc.set(['application', 'name'], name);
      doc.set(['application', 'uniqueName'], uniqueName);
      multiTenant = pinAudience(doc, input.multiTenant);
      owners = editOwners(doc, input);
    },
    { create: true, whatIf: input.whatIf === true },
  );
  if (unpinned) {
    c.log.warn(`${input.whatIf ? 'would remove' : 'removed'} the pinned application ${unpinned} from the config; it is not deleted from Entra`);
  }
  const ownerWarnings = ownersNotListedWarnings(owners);
  for (const w of ownerWarnings) c.log.warn(w);
  const result: NewAppResult = {
    ...toVerbResult('new-app', edit, [...(unpinned ? [`application ${unpinned} is no longer pinned by this config (it still exists in Entra)`] : []), ...ownerWarnings]),
    verb: 'new-app',
    application: { name, uniqueName, multiTenant },
    ...(input.owners || input.removeOwners ? { owners: { added: owners.added, removed: owners.removed } } : {}),
    ...(region ? { region } : {}),
    ...(tenant ? { tenant } : {}),
    ...(unpinned ? { unpinned } : {}),
  };
  if (input.apply) await chainApply(result, edit, c, input.apply);
  return result;
}
