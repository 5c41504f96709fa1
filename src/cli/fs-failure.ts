/**
 * Node's own file-system errors that no verb turned into a message of its own — "ENOTDIR: not a
 * directory, mkdir '/srv/notes.txt'" — as a failure (1) that names the path, says why in words and
 * what to do. Loaded only when a run fails with one.
 */
import { EntraPortalError, OperationError } from '../errors.js';
import { fsFailure } from '../util/fs.js';

const ACTION: Record<string, string> = { mkdir: 'create the folder', open: 'open', lstat: 'look at', stat: 'look at', rename: 'replace', unlink: 'remove', scandir: 'list', rmdir: 'remove', chmod: 'change the mode of', link: 'create' };

const REMEDY: Record<string, (path: string) => string> = {
  ENOTDIR: (p) => `a part of ${p} is a file, not a folder: choose another path, or move the file away`,
  ENOENT: (p) => `a folder of ${p} does not exist (or a link there points nowhere): create it, or choose another path`,
  EACCES: (p) => `this user may not do that at ${p}: choose another path, or change its permissions`,
  EPERM: (p) => `this user may not do that at ${p}: choose another path, or change its permissions`,
  EROFS: (p) => `${p} is on a read-only file system: choose another path`,
  EISDIR: (p) => `${p} is a folder: name a file`,
  ENOSPC: () => 'free some space on that device, then run the command again',
  EDQUOT: () => 'free some space within your quota, then run the command again',
};

export function fileSystemFailure(err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (err instanceof EntraPortalError || !(err instanceof Error) || !e.code || !e.syscall || !e.path) return err;
  const why = e.code === 'ENOENT' && e.syscall !== 'mkdir' ? 'does not exist (ENOENT)' : fsFailure({ code: e.code, message: e.message });
  const remedy = REMEDY[e.code]?.(e.path);
  return new OperationError(`cannot ${ACTION[e.syscall] ?? e.syscall} ${e.path}: ${why}`, { code: 'file-system', cause: err, ...(remedy ? { remedy } : {}) });
}
