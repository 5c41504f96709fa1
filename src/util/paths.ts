/**
 * How paths are built from what users and configs write, and shown back. Each function takes the
 * platform's path rules (`node:path`, which is `path.win32` on Windows) as an optional last argument,
 * so the Windows rules are tested on every platform (test/unit/paths-windows.test.ts).
 */
import nodePath, { type PlatformPath } from 'node:path';

/**
 * `file` (as a user or a config wrote it) against `base`: an absolute path stays (normalised), a
 * relative one is joined. On Windows a root-relative `\certs\x.cer` takes `base`'s drive — where
 * `isAbsolute(f) ? f : resolve(base, f)` would leave it to the process's current drive.
 */
export function resolveFrom(base: string, file: string, p: PlatformPath = nodePath): string {
  return p.resolve(base, file);
}

/** How a path is shown in messages: relative to the current folder when it lies under it, else absolute. */
export function displayPath(path: string, cwd = process.cwd(), p: PlatformPath = nodePath): string {
  const rel = p.relative(cwd, path);
  return rel && !rel.startsWith('..') && !p.isAbsolute(rel) ? rel : path;
}
