/** How paths are shown to the user. */
import { isAbsolute, relative } from 'node:path';

/** How a path is shown in messages: relative to the current folder when it lies under it, else absolute. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
