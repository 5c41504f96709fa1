/**
 * The certificate files the tool names: the public certificate beside a config, and export-vb365's
 * two files. Each takes the platform's path rules (default `node:path`) so the Windows rules are
 * tested everywhere (test/unit/paths-windows.test.ts); the store's own paths are in store.ts.
 */
import nodePath, { posix, win32, type PlatformPath } from 'node:path';

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
