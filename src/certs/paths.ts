/**
 * The certificate files the tool names: the public certificate beside a config, and export-vb365's
 * two files. Each takes the platform's path rules (default `node:path`) so the Windows rules are
 * tested everywhere (test/unit/paths-windows.test.ts); so does the store's folder (the entries'
 * paths are in store.ts).
 */
import { homedir } from 'node:os';
import nodePath, { posix, win32, type PlatformPath } from 'node:path';
import type { Context } from '../context.js';

export const STORE_DIR_ENV = 'ENTRA_PORTAL_STORE';

/** The path rules of a platform: `path.win32` on Windows, `path.posix` elsewhere. */
export function pathFor(platform: NodeJS.Platform): PlatformPath {
  return platform === 'win32' ? win32 : posix;
}

/**
 * The public certificate beside a config: `file` as the config records it — forward slashes on every
 * platform, since the config and certs/ are shared through git between Linux CI and Windows servers —
 * and `path`, where it is on this machine.
 */
export function certificateFile(configDir: string, thumbprint: string, p: PlatformPath = nodePath): { file: string; path: string } {
  return { file: `certs/${thumbprint}.cer`, path: p.join(configDir, 'certs', `${thumbprint}.cer`) };
}

/** export-vb365's PFX and script, side by side in `folder` (the script finds the PFX by $PSScriptRoot). */
export function vb365Files(folder: string, thumbprint: string, scriptName: string, p: PlatformPath = nodePath): { pfx: string; script: string } {
  return { pfx: p.join(folder, `${thumbprint}.pfx`), script: p.join(folder, scriptName) };
}

/**
 * --store, else $ENTRA_PORTAL_STORE, else the per-user data folder:
 * - Windows: %LOCALAPPDATA%\entra-portal\store (else %USERPROFILE%\AppData\Local\…) — a folder only
 *   its user (and SYSTEM and Administrators) can open, and one that does not roam to other machines;
 * - elsewhere: $XDG_DATA_HOME/entra-portal/store, else ~/.local/share/entra-portal/store.
 * Relative values are taken against `ctx.cwd`.
 */
export function resolveStoreDir(ctx: Pick<Context, 'cwd' | 'env'>, explicit?: string, platform: NodeJS.Platform = process.platform): string {
  const p = pathFor(platform);
  if (explicit) return p.resolve(ctx.cwd, explicit);
  const fromEnv = ctx.env[STORE_DIR_ENV];
  if (fromEnv) return p.resolve(ctx.cwd, fromEnv);
  if (platform === 'win32') {
    const local = ctx.env.LOCALAPPDATA;
    if (local && p.isAbsolute(local)) return p.join(local, 'entra-portal', 'store');
    const profile = ctx.env.USERPROFILE || homedir();
    return p.join(profile, 'AppData', 'Local', 'entra-portal', 'store');
  }
  const xdg = ctx.env.XDG_DATA_HOME;
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, 'entra-portal', 'store'); // XDG: relative values are invalid and ignored
  return p.join(ctx.env.HOME || homedir(), '.local', 'share', 'entra-portal', 'store');
}
