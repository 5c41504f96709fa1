/**
 * What every aspect shares: turning one comparison (its changes and writes) into an `Assessment`
 * whose verdict is `fail` exactly when there are changes, and the wording of unmanaged items.
 */
import type { AspectId, Assessment, Change, Verdict, Write } from '../types.js';
import { describeChange } from '../describe.js';

/** The reason shown on an unmanaged item, kept or removed. */
export const unmanagedReason = (prune: boolean | undefined, what = 'not in the config'): string =>
  prune ? `${what} (--prune)` : `${what}: kept; apply --prune removes it`;

/** An unmanaged item: removed with --prune, kept (and reported) otherwise. */
export function unmanagedAction(prune: boolean | undefined): 'remove' | 'keep' {
  return prune ? 'remove' : 'keep';
}

const MAX_LISTED = 6;

/** A human line listing changes, e.g. for a failing check. */
export function listChanges(changes: readonly Change[]): string {
  const shown = changes.slice(0, MAX_LISTED).map((c) => describeChange(c));
  const more = changes.length > MAX_LISTED ? `; and ${changes.length - MAX_LISTED} more` : '';
  return `${shown.join('; ')}${more}`;
}

/** What to do about these changes, for a failing check. */
export function remedyFor(changes: readonly Change[]): string {
  const unmanaged = changes.some((c) => c.unmanaged);
  const managed = changes.some((c) => !c.unmanaged);
  if (unmanaged && !managed) {
    return 'Not described by the config: if it belongs there, add it to the config; otherwise remove it with entra-portal apply --prune (and find out who added it)';
  }
  if (unmanaged) return 'Run entra-portal apply --prune (it converges the application to the config and removes what the config does not describe)';
  return 'Run entra-portal apply (it converges the application to the config)';
}

export interface Healthy {
  /** the pass message (or the health verdict when the shape is right but something still needs care) */
  message: string;
  details?: Record<string, unknown>;
  /** e.g. a certificate that expires soon: warn (or fail) although nothing is to change */
  health?: Verdict;
  /** what the differences break, added to a failing verdict (e.g. "sign-in fails with AADSTS50011") */
  consequence?: string;
}

/** One aspect's assessment: `fail` with the changes listed, else its health or a pass. */
export function assessment(aspect: AspectId, label: string, changes: Change[], writes: Write[], ok: Healthy): Assessment {
  let verdict: Verdict;
  if (changes.length > 0) {
    verdict = {
      status: 'fail',
      message: `${label}: ${listChanges(changes)}${ok.consequence ? ` — ${ok.consequence}` : ''}`,
      remedy: remedyFor(changes),
      details: { changes },
    };
  } else {
    verdict = ok.health ?? { status: 'pass', message: ok.message, ...(ok.details ? { details: ok.details } : {}) };
  }
  return { aspect, changes, writes, verdict };
}

/** Case-insensitive membership, as Entra compares ids and scope values. */
export const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
