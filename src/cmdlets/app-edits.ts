/**
 * Edits of the application's security surface shared by the desired-state verbs: the audience
 * (always pinned), `application.extraRedirectUris` (`--extra-redirect-uri` / `--remove-redirect-uri`)
 * and `application.owners` (`--owner` / `--remove-owner`), so nobody edits the file by hand for them. The config is the whole truth:
 * what it does not say is unmanaged drift in Entra.
 */
import type { ConfigDocument } from '../config/document.js';
import { asArgument, InputError, UsageError } from '../errors.js';
import { isGuid } from '../config/values.js';
import { normalizeRedirectUri } from '../url/portal-url.js';

export interface RedirectUriEdits {
  /** add these (normalised; one already listed is left as it is) */
  extraRedirectUris?: readonly string[];
  /** remove these (compared canonically; one not listed is a warning) */
  removeRedirectUris?: readonly string[];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A SPA redirect URI Entra accepts: https, or http on a loopback host; no fragment, no user info. */
export function checkRedirectUri(raw: string, option: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError(`${option} '${raw}' is not a URL`, { remedy: `Give a full address, e.g. ${option} https://portal2.abc.com:4443` });
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new InputError(`${option} '${raw}' must use https (http only on localhost)`, { remedy: `e.g. ${option} https://${url.host || 'portal2.abc.com:4443'}` });
  }
  if (url.hash || raw.includes('#')) throw new InputError(`${option} '${raw}': a redirect URI cannot have a fragment (#…)`);
  if (url.username || url.password) throw new InputError(`${option} '${raw}': a redirect URI cannot carry user information`);
  return normalizeRedirectUri(raw);
}

export interface RedirectUriEditResult {
  added: string[];
  removed: string[];
  /** removals asked for that were not listed */
  notListed: string[];
}

/**
 * Add to and remove from a list of strings at `path` (inside editConfig's callback), comparing by
 * `key`; an item already there is left as written. `emptied`: what an emptied list becomes.
 */
function editList(doc: ConfigDocument, path: string[], add: string[], remove: string[], key: (v: string) => string, emptied: 'delete' | 'keep'): RedirectUriEditResult {
  const out: RedirectUriEditResult = { added: [], removed: [], notListed: [] };
  if (add.length === 0 && remove.length === 0) return out;
  const current = doc.get(path);
  let next = Array.isArray(current) ? current.filter((u): u is string => typeof u === 'string') : [];
  for (const r of remove) {
    const kept = next.filter((u) => key(u) !== r);
    if (kept.length === next.length) out.notListed.push(r);
    else out.removed.push(r);
    next = kept;
  }
  for (const a of add) {
    if (next.some((u) => key(u) === a) || out.added.includes(a)) continue;
    next.push(a);
    out.added.push(a);
  }
  if (out.added.length === 0 && out.removed.length === 0) return out;
  if (next.length === 0 && emptied === 'delete') doc.delete(path);
  else doc.set(path, next);
  return out;
}

/** Apply the edits to the document (inside editConfig's callback). */
export function editRedirectUris(doc: ConfigDocument, edits: RedirectUriEdits): RedirectUriEditResult {
  const add = (edits.extraRedirectUris ?? []).map((u) => asArgument(() => checkRedirectUri(u, '--extra-redirect-uri')));
  const remove = (edits.removeRedirectUris ?? []).map((u) => asArgument(() => normalizeRedirectUri(u)));
  return editList(doc, ['application', 'extraRedirectUris'], add, remove, normalizeRedirectUri, 'delete');
}

export interface OwnerEdits {
  /** object ids to list in application.owners (users or service principals) */
  owners?: readonly string[];
  /** object ids to take out of it (one not listed is a warning) */
  removeOwners?: readonly string[];
}

/** A directory object id: a GUID in any case, stored lowercase. */
function objectId(raw: string, option: string): string {
  const v = raw.trim().replace(/^\{(.*)\}$/, '$1');
  if (!isGuid(v)) {
    throw new UsageError(`${option} '${raw}' is not an object id (a GUID)`, {
      remedy: `Give the owner's Object ID from the Entra admin center (a user's or a service principal's), e.g. ${option} 1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b`,
    });
  }
  return v.toLowerCase();
}

/**
 * application.owners (inside editConfig's callback). Once the list is there, owners are managed: the
 * list stays, even emptied (no owner is then what the config asks); deleting the key by hand stops
 * managing them.
 */
export function editOwners(doc: ConfigDocument, edits: OwnerEdits): RedirectUriEditResult {
  const add = (edits.owners ?? []).map((o) => objectId(o, '--owner'));
  const remove = (edits.removeOwners ?? []).map((o) => objectId(o, '--remove-owner'));
  return editList(doc, ['application', 'owners'], add, remove, (v) => v.toLowerCase(), 'keep');
}

/** Warnings for owner removals that changed nothing. */
export const ownersNotListedWarnings = (r: RedirectUriEditResult): string[] =>
  r.notListed.map((o) => `${o} is not in application.owners: nothing to remove`);

/** Warnings for removals that changed nothing. */
export const notListedWarnings = (r: RedirectUriEditResult): string[] =>
  r.notListed.map((u) => `${u} is not in application.extraRedirectUris: nothing to remove (the portal URL itself is changed with set-portal-url)`);

/**
 * Pin the audience (inside editConfig's callback): the option when given; else what the file says;
 * else single-tenant, written. Returns the audience the file now holds.
 */
export function pinAudience(doc: ConfigDocument, multiTenant: boolean | undefined): boolean {
  const current = doc.get(['application', 'multiTenant']);
  if (multiTenant !== undefined) {
    if (current !== multiTenant) doc.set(['application', 'multiTenant'], multiTenant);
    return multiTenant;
  }
  if (typeof current === 'boolean') return current;
  doc.set(['application', 'multiTenant'], false);
  return false;
}
