/**
 * Deleted items: an application or service principal deleted less than 30 days ago is brought back
 * with the same ids (POST /directory/deletedItems/{id}/restore) instead of being registered again —
 * its uniqueName is still taken while it is there (docs/emulator.md "Soft delete").
 */
import type { RestoreChange, Write } from '../types.js';

/** How long Entra keeps a deleted object restorable (https://learn.microsoft.com/graph/api/application-delete). */
const RESTORABLE_DAYS = 30;

/** The change and the write that bring an object back from deleted items. */
export function restoreStep(kind: RestoreChange['resource'], o: { id: string; appId: string; deletedDateTime: string }): { change: RestoreChange; write: Write } {
  const until = new Date(Date.parse(o.deletedDateTime) + RESTORABLE_DAYS * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    change: {
      resource: kind,
      action: 'restore',
      before: { deletedDateTime: o.deletedDateTime },
      after: { id: o.id, ...(kind === 'application' ? { appId: o.appId } : {}), restorableUntil: until },
      reason: 'deleted, and still in deleted items',
    },
    write: { aspect: kind, op: 'restoreDeleted', id: o.id, kind },
  };
}
