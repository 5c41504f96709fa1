/**
 * Usage messages a person can act on: "unknown option --prnue (did you mean --prune?)", the
 * options other tools spell differently (`--dry-run` is `--what-if` here), an unknown verb with the
 * closest one, and a verb's usage line (`entra-portal set-app --app-id <guid> [options]`).
 */
import { UsageError } from '../errors.js';
import type { CommandSpec, OptionSpec } from './command.js';

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a typo's reach (a third of the length, at least 2), or undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** What other tools call an option entra-portal has under another name. */
const SYNONYMS: Readonly<Record<string, string>> = {
  'dry-run': 'what-if', // npm, git, kubectl (--dry-run=client), az (--what-if is az's too)
  dryrun: 'what-if',
  whatif: 'what-if', // PowerShell's -WhatIf
  plan: 'what-if',
  check: 'what-if', // ansible --check
  debug: 'verbose',
  silent: 'quiet',
  'no-colour': 'no-color',
  'no-colors': 'no-color',
  output: 'json', // az -o/--output json
  format: 'json',
};

/** `-WhatIf` → `what-if`, `--Dry_Run` → `dry-run`: how a foreign spelling is compared. */
function kebab(word: string): string {
  return word
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** The option a mistyped or foreign name most likely means (`--what-iff`, `--dry-run`, `-WhatIf`). */
export function suggestOption(word: string, options: readonly OptionSpec[]): string | undefined {
  const name = kebab(word.split('=')[0]!);
  const longNames = options.flatMap((o) => (o.kind === 'boolean' ? [o.name, `no-${o.name}`] : [o.name]));
  const synonym = SYNONYMS[name] ?? SYNONYMS[name.replace(/-/g, '')];
  if (synonym && longNames.includes(synonym)) return `--${synonym}`;
  if (longNames.includes(name)) return `--${name}`; // single dash, or another case: -json, --JSON
  const guess = closest(name, longNames);
  return guess ? `--${guess}` : undefined;
}

/** Spellings of a password option: never accepted, and never echoed (`--password=…` carries the value). */
const PASSWORD_OPTIONS = new Set(['password', 'passwd', 'pass', 'pfx-password', 'certificate-password', 'store-password']);

/** Whether an unknown word reads as an option after all: a password option (never echoed) or a near-miss of one. */
export function readsAsOption(word: string, options: readonly OptionSpec[]): boolean {
  return PASSWORD_OPTIONS.has(kebab(word.split('=')[0]!)) || suggestOption(word, options) !== undefined;
}

export function unknownOptionError(verb: string, unknown: readonly string[], options: readonly OptionSpec[]): UsageError {
  if (unknown.some((u) => PASSWORD_OPTIONS.has(kebab(u.split('=')[0]!)))) {
    return new UsageError(`${verb}: a password is never taken on the command line (other users of the machine can read command lines, and shells keep them)`, {
      remedy: options.some((o) => o.name === 'password-env')
        ? 'name an environment variable holding it with --password-env <VAR>, or give it on stdin with --password-stdin (on a terminal: at the prompt)'
        : `see "entra-portal ${verb} --help"; passwords come from environment variables (e.g. ENTRA_PORTAL_STORE_PASSWORD)`,
    });
  }
  const parts = [...new Set(unknown)].map((u) => {
    const guess = suggestOption(u, options);
    return guess ? `${u} (did you mean ${guess}?)` : u;
  });
  const message = parts.length === 1 ? `${verb}: unknown option ${parts[0]}` : `${verb}: unknown options ${parts.join(', ')}`;
  return new UsageError(message, { remedy: `See "entra-portal ${verb} --help" for its options.` });
}

export function unknownVerbError(word: string, verbs: readonly string[]): UsageError {
  const guess = closest(word, verbs);
  return new UsageError(`unknown verb '${word}'${guess ? `. Did you mean ${guess}?` : ''}`, {
    remedy: `The verbs: ${verbs.join(', ')}. See "entra-portal --help".`,
  });
}

/** How an option is written in a usage line or the help's left column: `--pfx <file>`, `-c, --config <file>`. */
export function optionSynopsis(o: OptionSpec, withShort = false): string {
  const value = o.kind === 'boolean' ? '' : ` <${o.value ?? (o.kind === 'string' ? 'value' : 'n')}>`;
  const long = o.kind === 'boolean' && o.default === true ? `--no-${o.name}` : `--${o.name}`;
  return `${withShort && o.short ? `-${o.short}, ` : ''}${long}${value}`;
}

/** The verb and what it requires: `set-app --app-id <guid>`, `set-portal-url <url>`. */
export function verbSynopsis(spec: CommandSpec<any, any>): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.required ? `<${p.value ?? p.name}>` : `[${p.value ?? p.name}]`));
  const required = spec.synopsis ?? (spec.options ?? []).filter((o) => o.required).map((o) => optionSynopsis(o)).join(' ');
  return [spec.name, required, ...positionals].filter(Boolean).join(' ');
}

/** `entra-portal set-app --app-id <guid> [options]` */
export function usageLine(spec: CommandSpec<any, any>): string {
  return `entra-portal ${verbSynopsis(spec)} [options]`;
}
