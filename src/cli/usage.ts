/**
 * Turns yargs' validation messages into usage errors a user can act on (src/cli.ts `.fail`):
 * "unknown option --prnue. Did you mean --prune?" instead of "Unknown argument: prnue", the typo
 * reported before a "missing required argument" it causes (yargs checks required options first, so
 * `new-app --nme X` would otherwise say only that --name is missing), and the verb's own usage line
 * instead of "Not enough non-option arguments: got 0, need at least 1".
 */

/** What the CLI knows about the verb being parsed (captured in its builder, before validation). */
export interface VerbOptions {
  verb: string;
  /** every option name and alias the verb accepts (globals included), without dashes */
  names: readonly string[];
  /** the boolean ones (`--no-<name>` is accepted for them) */
  booleans: readonly string[];
  /** positional arguments the verb requires, e.g. `['url']` for `set-portal-url <url>` */
  positionals?: readonly string[];
  /** the first example of the verb's help, e.g. `entra-portal set-portal-url https://portal.abc.com:4443` */
  example?: string;
}

export interface UsageHint {
  message: string;
  remedy?: string;
}

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

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const dashes = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/** Options on the command line (before a `--`) that the verb does not accept, in order. */
export function unknownOptions(argv: readonly string[], verb: VerbOptions): string[] {
  const known = new Set<string>();
  for (const n of verb.names) known.add(n).add(camel(n));
  for (const b of verb.booleans) known.add(`no-${b}`).add(camel(`no-${b}`));
  const unknown: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    const long = /^--([^=]+)/.exec(arg);
    if (long) {
      if (!known.has(long[1]!)) unknown.push(long[1]!);
      continue;
    }
    const short = /^-([a-zA-Z]+)$/.exec(arg);
    if (short) for (const ch of short[1]!) if (!known.has(ch)) unknown.push(ch);
  }
  return [...new Set(unknown)];
}

function unknownOptionHint(unknown: readonly string[], verb: VerbOptions): UsageHint {
  const longNames = verb.names.filter((n) => n.length > 1 && n === n.toLowerCase());
  const parts = unknown.map((u) => {
    const guess = closest(u.replace(/^no-/, ''), longNames);
    return guess ? `${dashes(u)} (did you mean --${guess}?)` : dashes(u);
  });
  const message =
    unknown.length === 1 ? `${verb.verb}: unknown option ${parts[0]}` : `${verb.verb}: unknown options ${parts.join(', ')}`;
  return { message, remedy: `See "entra-portal ${verb.verb} --help" for its options.` };
}

/** The first word that is not an option or the value of `-c/--config` (the only global option with a value). */
function firstWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c' || a === '--config') i += 1;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * A better message for a yargs failure, or undefined to keep yargs' own.
 * `verbs`: every verb name (for an unknown verb); `verb`: the matched verb's options, if any.
 */
export function usageHint(yargsMessage: string, argv: readonly string[], verbs: readonly string[], verb?: VerbOptions): UsageHint | undefined {
  // An unknown verb: yargs says only "Did you mean apply?" (recommendCommands) or "Unknown argument: x".
  const typed = firstWord(argv);
  if (!verb && typed !== undefined && !verbs.includes(typed)) {
    const guess = closest(typed, verbs);
    return {
      message: `unknown verb '${typed}'${guess ? `. Did you mean ${guess}?` : ''}`,
      remedy: `The verbs: ${verbs.join(', ')}. See "entra-portal --help".`,
    };
  }
  if (!verb) return undefined;
  // A typo in an option name comes first: it is often why a required one looks missing.
  const unknown = unknownOptions(argv, verb);
  if (unknown.length > 0) return unknownOptionHint(unknown, verb);
  if (/^Not enough non-option arguments/.test(yargsMessage)) {
    const what = verb.positionals?.length ? verb.positionals.map((p) => `<${p}>`).join(' ') : 'a required argument';
    return {
      message: `${verb.verb}: missing ${what}`,
      remedy: verb.example ? `For example: ${verb.example}` : `See "entra-portal ${verb.verb} --help".`,
    };
  }
  if (/^Missing required arguments?: /.test(yargsMessage)) {
    // yargs: "Missing required argument: name\n<the demandOption text>"
    const [head, ...rest] = yargsMessage.split('\n');
    const names = head!.replace(/^Missing required arguments?: /, '').split(', ').map((n) => `--${n}`);
    return {
      message: `${verb.verb}: missing ${names.join(', ')}`,
      remedy: rest.join(' ').trim() || (verb.example ? `For example: ${verb.example}` : undefined),
    };
  }
  // strict mode: "Unknown argument: extra" for a word the verb does not take (no option typo: see above)
  const extra = /^Unknown arguments?: (.+)$/.exec(yargsMessage);
  if (extra) {
    const words = extra[1]!.split(', ').filter((w) => argv.includes(w));
    if (words.length > 0) {
      const usage = `entra-portal ${verb.verb}${verb.positionals?.length ? ` ${verb.positionals.map((p) => `<${p}>`).join(' ')}` : ''} [options]`;
      return {
        message: `${verb.verb}: unexpected argument${words.length === 1 ? '' : 's'} ${words.map((w) => `'${w}'`).join(', ')}`,
        remedy: `Usage: ${usage}; values with spaces need quotes. See "entra-portal ${verb.verb} --help".`,
      };
    }
  }
  // "Not enough arguments following: password-env" (an option given without its value)
  const noValue = /^Not enough arguments following: ([\w-]+)/.exec(yargsMessage);
  if (noValue) return { message: `${verb.verb}: ${dashes(noValue[1]!)} needs a value`, remedy: `See "entra-portal ${verb.verb} --help".` };
  // "Invalid values:\n  Argument: auth, Given: \"foo\", Choices: \"auto\", …"
  const invalid = /Argument: ([\w-]+), Given: ("[^"]*"|\S+), Choices: (.+)$/m.exec(yargsMessage);
  if (invalid) {
    const choices = invalid[3]!.split(', ').map((c) => c.replace(/^"|"$/g, ''));
    const guess = closest(invalid[2]!.replace(/^"|"$/g, ''), choices);
    return {
      message: `${verb.verb}: --${invalid[1]} ${invalid[2]} is not one of: ${choices.join(', ')}${guess ? `. Did you mean ${guess}?` : ''}`,
      remedy: `See "entra-portal ${verb.verb} --help".`,
    };
  }
  const exclusive = /^Arguments ([\w-]+) and ([\w-]+) are mutually exclusive/.exec(yargsMessage);
  if (exclusive) return { message: `${verb.verb}: --${exclusive[1]} and --${exclusive[2]} cannot be used together: choose one` };
  return undefined;
}
