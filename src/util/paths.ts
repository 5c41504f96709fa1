/**
 * How paths are built from what users and configs write, and shown back. Each function takes the
 * platform's path rules (`node:path`, which is `path.win32` on Windows) as an optional last argument,
 * so the Windows rules are tested on every platform (test/unit/paths-windows.test.ts).
 */
import nodePath, { type PlatformPath } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config/types.js';

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

/**
 * How a next step names the config on a command line: nothing for ./entra-portal.json5, else
 * ` -c <path>` — in double quotes (which sh, cmd and PowerShell all take) when it holds a space.
 */
export function configOption(config: string, cwd: string, p: PlatformPath = nodePath): string {
  if (config === p.resolve(cwd, DEFAULT_CONFIG_FILE)) return '';
  const shown = displayPath(config, cwd, p);
  return ` -c ${/\s/.test(shown) ? `"${shown}"` : shown}`;
}
