/**
 * Options export-cert and export-vb365 share: the password source, the PFX profile, replacing, the store.
 */
import type { OptionSpec } from '../src/cli/command.js';
import { STORE_OPTION } from '../src/cli/options.js';

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'password-env', kind: 'string', value: 'VAR', describe: 'the NAME of an environment variable holding the PFX password (never the password itself)' },
  { name: 'password-stdin', kind: 'boolean', describe: 'read the PFX password from stdin (on a terminal: asked twice at a hidden prompt)' },
  { name: 'legacy', kind: 'boolean', describe: 'PBE-SHA1-3DES with a SHA-1 MAC, for Windows Server 2016 (default: AES-256/PBES2 with a SHA-256 MAC)' },
  { name: 'force', kind: 'boolean', describe: 'replace existing files (default: refuse, exit 65, and leave them as they are)' },
  STORE_OPTION,
];

export interface ExportArgs {
  out: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
  legacy?: boolean;
  force?: boolean;
  store?: string;
}

/** The cmdlet input members these options give. */
export function exportInput(args: ExportArgs): ExportArgs {
  return {
    out: args.out,
    ...(args.passwordEnv !== undefined ? { passwordEnv: args.passwordEnv } : {}),
    ...(args.passwordStdin ? { passwordStdin: true } : {}),
    ...(args.legacy ? { legacy: true } : {}),
    ...(args.force ? { force: true } : {}),
    ...(args.store !== undefined ? { store: args.store } : {}),
  };
}
