/**
 * spa.redirectUris ⊇ {portal URL, extra URIs} (DESIGN §1), compared as canonical sets (scheme/host
 * case, trailing slash, order). URIs the config does not list are kept; with prune they go.
 */
import type { DesiredState, GraphApplication, PlanOptions, RedirectUriChange } from '../types.js';
import { redirectUriKey } from '../uri.js';

interface RedirectDiff {
  missing: string[];
  unmanaged: string[];
}

function diff(desired: DesiredState, app: GraphApplication | undefined): RedirectDiff | undefined {
  if (desired.redirectUris === undefined) return undefined;
  const current = app?.spa?.redirectUris ?? [];
  const have = new Set(current.map(redirectUriKey));
  const want = new Set(desired.redirectUris.map(redirectUriKey));
  return {
    missing: desired.redirectUris.filter((u) => !have.has(redirectUriKey(u))),
    unmanaged: current.filter((u) => !want.has(redirectUriKey(u))),
  };
}

export function redirectUriChanges(desired: DesiredState, app: GraphApplication | undefined, opts: PlanOptions): RedirectUriChange[] {
  const d = diff(desired, app);
  if (!d) return [];
  const out: RedirectUriChange[] = d.missing.map((after) => ({ resource: 'redirectUri', action: 'add', field: 'spa.redirectUris', after }));
  if (opts.prune) {
    for (const before of d.unmanaged) {
      out.push({ resource: 'redirectUri', action: 'remove', field: 'spa.redirectUris', before, reason: 'not in the config (--prune)' });
    }
  }
  return out;
}

/** The whole `spa` object to send, or undefined when nothing changes (existing spellings are kept). */
export function redirectUriPatch(desired: DesiredState, app: GraphApplication | undefined, opts: PlanOptions): Partial<GraphApplication> {
  const d = diff(desired, app);
  if (!d || (d.missing.length === 0 && (!opts.prune || d.unmanaged.length === 0))) return {};
  const drop = new Set(opts.prune ? d.unmanaged : []);
  const kept = (app?.spa?.redirectUris ?? []).filter((u) => !drop.has(u));
  return { spa: { ...(app?.spa ?? {}), redirectUris: [...kept, ...d.missing] } };
}
