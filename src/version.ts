/** This package's version (`--version`, the --json envelope's `toolVersion`, reports). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** From package.json: two folders up from src/ compiled to dist/src/, one from src/ run from source. */
export function packageVersion(): string {
  if (cached) return cached;
  for (const up of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'entra-portal' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      /* not there: the other layout */
    }
  }
  return '0.0.0';
}
