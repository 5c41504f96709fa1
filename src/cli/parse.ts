/**
 * The command line → a verb and its arguments, from the options declared as data (command.ts).
 * Hand-written instead of yargs: yargs cost ~75 ms of every run's start-up (more than a bare
 * `node -e 0`), took a repeated option silently as an array, and its messages had to be translated.
 *
 * Accepted forms: `--name value`, `--name=value`, `-c value`, `-c=value`, `--flag`, `--no-flag`,
 * `--flag=true|false`, grouped boolean letters (`-hv`), and `--` (everything after it is an
 * argument). Options may come before or after the verb and its arguments.
 *
 * Every problem is a UsageError (exit 64), in the order a person fixes them: unknown options first
 * (a typo is often why a required option looks missing), then options without a value, repeated
 * ones, bad values, stray or missing arguments, missing required options, conflicts.
 */
import { UsageError } from '../errors.js';
import { camelCase, type CommandSpec, type OptionSpec } from './command.js';
import { coerce, GLOBAL_OPTIONS, optionsOf } from './options.js';
import { readsAsOption, unknownOptionError, usageLine } from './usage.js';

export type ParsedArgs = Record<string, unknown>;

/** One option as it appeared: its spec, how it was spelled, and its text (true/false for booleans). */
interface Occurrence {
  spec: OptionSpec;
  spelled: string;
  value: string | boolean;
}

/** Does this word look like an option (and not like a value such as `-`, `-5` or ``)? */
export function looksLikeOption(word: string): boolean {
  return word.length > 1 && word.startsWith('-') && !/^-\d/.test(word);
}

/**
 * The verb: the first word that is not an option or the value of a global option
 * (`entra-portal -c x.json5 apply` works as `entra-portal apply -c x.json5` does).
 * Returns its index, or -1.
 */
export function findVerb(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return -1;
    if (!looksLikeOption(word)) return i;
    const spec = findOption(word, GLOBAL_OPTIONS);
    if (spec && spec.kind !== 'boolean' && !word.includes('=')) i += 1;
  }
  return -1;
}

/** The option a word names (`--config`, `--config=x`, `-c`, `--no-color`), among `options`. */
export function findOption(word: string, options: readonly OptionSpec[]): OptionSpec | undefined {
  const name = word.split('=')[0]!;
  if (name.startsWith('--')) {
    const long = name.slice(2);
    return options.find((o) => o.name === long) ?? options.find((o) => o.kind === 'boolean' && `no-${o.name}` === long);
  }
  return name.length === 2 ? options.find((o) => o.short === name[1]) : undefined;
}

/** Whether `--help`/`-h` (or `--version`/`-v`) appears before any `--`. */
export function hasFlag(argv: readonly string[], name: 'help' | 'version'): boolean {
  const short = name === 'help' ? 'h' : 'v';
  for (const word of argv) {
    if (word === '--') return false;
    if (word === `--${name}` || word === `-${short}`) return true;
    if (/^-[a-zA-Z]{2,}$/.test(word) && word.includes(short) && [...word.slice(1)].every((c) => c === 'h' || c === 'v')) return true;
  }
  return false;
}

/** Split the words into option occurrences and arguments; unknown options and missing values are collected. */
function scan(argv: readonly string[], options: readonly OptionSpec[]) {
  const found: Occurrence[] = [];
  const positionals: string[] = [];
  const unknown: string[] = [];
  const noValue: string[] = [];
  const badBoolean: { spelled: string; text: string }[] = [];
  /** an option without its value → the word after it (`--name -x`: perhaps the value, meant with '=') */
  const followedBy = new Map<string, string>();
  const take = (spec: OptionSpec, spelled: string, inline: string | undefined, negated: boolean, i: number): number => {
    if (spec.kind === 'boolean') {
      if (inline === undefined) found.push({ spec, spelled, value: !negated });
      else if (!negated && /^(true|false)$/i.test(inline)) found.push({ spec, spelled, value: inline.toLowerCase() === 'true' });
      else badBoolean.push({ spelled, text: inline });
      return i;
    }
    if (inline !== undefined) found.push({ spec, spelled, value: inline });
    else if (i + 1 < argv.length && argv[i + 1] !== '--' && !looksLikeOption(argv[i + 1]!)) found.push({ spec, spelled, value: argv[++i]! });
    else {
      noValue.push(spelled);
      if (i + 1 < argv.length) followedBy.set(spelled, argv[i + 1]!);
    }
    return i;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(word)) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq === -1 ? word : word.slice(0, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    if (name.startsWith('--')) {
      const long = name.slice(2);
      const direct = options.find((o) => o.name === long);
      const negated = direct ? undefined : options.find((o) => o.kind === 'boolean' && `no-${o.name}` === long);
      if (direct) i = take(direct, name, inline, false, i);
      else if (negated) i = take(negated, name, inline, true, i);
      else unknown.push(name);
      continue;
    }
    const letters = name.slice(1);
    if (letters.length === 1) {
      const spec = options.find((o) => o.short === letters);
      if (spec) i = take(spec, name, inline, false, i);
      else unknown.push(name);
      continue;
    }
    // -hv: boolean letters grouped; anything else (e.g. PowerShell's -WhatIf) is unknown
    const group = [...letters].map((l) => options.find((o) => o.short === l && o.kind === 'boolean'));
    if (inline === undefined && group.every(Boolean)) for (const spec of group) found.push({ spec: spec!, spelled: `-${spec!.short}`, value: true });
    else unknown.push(name);
  }
  return { found, positionals, unknown, noValue, badBoolean, followedBy };
}

/**
 * Parse a verb's words (without the verb itself) against its options and the global ones.
 * `env` supplies values for options that declare an environment variable.
 */
export function parseVerbArgs(spec: CommandSpec<any, any>, words: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const verb = spec.name;
  const options = optionsOf(spec).all;
  const { found, positionals, unknown, noValue, badBoolean, followedBy } = scan(words, options);
  const see = `See "entra-portal ${verb} --help".`;

  // `--name -x`: the "unknown option" is the value, written without the '=' it needs — unless it
  // reads as an option (`--word`, -WhatIf, a password option): that keeps its own message
  const dashValue = noValue.find((o) => {
    const next = followedBy.get(o) ?? '';
    return /^-[^-]/.test(next) && unknown.includes(next.split('=')[0]!) && !readsAsOption(next, options);
  });
  if (dashValue) {
    const value = followedBy.get(dashValue)!;
    throw new UsageError(`${verb}: ${dashValue} needs a value; ${value} is not one of its options`, {
      remedy: `If ${value} is the value, write it with '=': ${dashValue}=${value}. ${see}`,
    });
  }
  if (unknown.length) throw unknownOptionError(verb, unknown, options);
  if (noValue.length) {
    const what = [...new Set(noValue)].join(', ');
    throw new UsageError(`${verb}: ${what} needs a value`, {
      remedy: `Give it after a space or '=' (a value that starts with '-' needs '=': ${noValue[0]}=-x). ${see}`,
    });
  }
  if (badBoolean.length) {
    const b = badBoolean[0]!;
    throw new UsageError(`${verb}: ${b.spelled} takes no value ('${b.text}' given)`, { remedy: `Write ${b.spelled} alone${b.spelled.startsWith('--no-') ? '' : `, ${b.spelled}=true or ${b.spelled}=false`}.` });
  }

  const args: ParsedArgs = {};
  const byOption = new Map<OptionSpec, Occurrence[]>();
  for (const o of found) byOption.set(o.spec, [...(byOption.get(o.spec) ?? []), o]);
  for (const [option, occurrences] of byOption) {
    if (option.repeatable) continue;
    if (option.kind === 'boolean') {
      if (new Set(occurrences.map((o) => o.value)).size > 1) {
        throw new UsageError(`${verb}: ${[...new Set(occurrences.map((o) => o.spelled))].join(' and ')} contradict each other: give one`);
      }
    } else if (occurrences.length > 1) {
      throw new UsageError(`${verb}: --${option.name} was given ${occurrences.length} times; give it once`, {
        remedy: `It takes one value. ${see}`,
      });
    }
  }
  for (const option of options) {
    const key = camelCase(option.name);
    const occurrences = byOption.get(option);
    if (occurrences) {
      const values = occurrences.map((o) => (option.kind === 'boolean' ? o.value : coerce(option, o.value as string, verb)));
      args[key] = option.repeatable ? values : values[0];
    } else if (option.env && env[option.env] !== undefined && env[option.env] !== '') {
      const value = coerce(option, env[option.env]!, verb, true);
      args[key] = option.repeatable ? [value] : value;
    } else if (option.default !== undefined) {
      args[key] = option.default;
    }
    // an absent boolean stays undefined: `--no-multi-tenant` (false) is not the same as saying nothing
  }

  const declared = spec.positionals ?? [];
  if (positionals.length > declared.length) {
    const extra = positionals.slice(declared.length);
    throw new UsageError(`${verb}: unexpected argument${extra.length === 1 ? '' : 's'} ${extra.map((w) => `'${w}'`).join(', ')}`, {
      remedy: `Usage: ${usageLine(spec)}; values with spaces need quotes. ${see}`,
    });
  }
  declared.forEach((p, i) => {
    if (i < positionals.length) args[camelCase(p.name)] = positionals[i];
  });
  const missingArgs = declared.filter((p, i) => p.required && i >= positionals.length);
  if (missingArgs.length) {
    const example = spec.examples[0]?.[0].replace(/\$0/g, 'entra-portal');
    throw new UsageError(`${verb}: missing ${missingArgs.map((p) => `<${p.value ?? p.name}>`).join(' ')}`, {
      remedy: example ? `For example: ${example}` : see,
    });
  }
  const missing = options.filter((o) => o.required && args[camelCase(o.name)] === undefined);
  if (missing.length) {
    throw new UsageError(`${verb}: missing ${missing.map((o) => `--${o.name}`).join(', ')}`, { remedy: missing[0]!.required! });
  }
  for (const option of byOption.keys()) {
    if (option.needs && args[camelCase(option.needs)] !== true) {
      throw new UsageError(`${verb}: --${option.name} works only with --${option.needs}`, { remedy: `Add --${option.needs}, or leave out --${option.name}. ${see}` });
    }
  }
  if (args.verbose === true && args.quiet === true) throw new UsageError(`${verb}: --verbose and --quiet cannot be used together: choose one`);
  return args;
}
