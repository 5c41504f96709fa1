/**
 * Help, laid out by hand from the options as data (command.ts): the top level (`entra-portal`,
 * `--help`, `help`) and each verb's (`<verb> --help`, `help <verb>`): the usage line with what the
 * verb requires, its own options first, then the global ones, each with its value, default and
 * environment variable; then examples to copy, one command per line.
 */
import type { CommandSpec, OptionSpec } from './command.js';
import { GLOBAL_OPTIONS, optionsOf } from './options.js';
import { optionSynopsis, usageLine } from './usage.js';

export { packageVersion } from '../version.js';

const ABOUT =
  'Register or configure the Microsoft Entra application behind the Veeam Backup\n' +
  'for Microsoft 365 Restore Portal from a declarative JSON5 file, keep Entra in\n' +
  'sync with it, and prove that the portal works.';

export const EXIT_CODES =
  'Exit codes: 0 success or in sync · 1 failed · 2 drift or a failing check\n' +
  '64 usage (fix the command line) · 65 invalid input (fix the file)\n' +
  '75 temporary: throttling, propagation, a lock held by another run\n' +
  '77 insufficient rights in Entra · 130 stopped by Ctrl-C · 143 stopped by SIGTERM\n' +
  'Docs: README.md and docs/. Every verb takes --help with examples.';

const TOP_EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['entra-portal demo', 'the whole job end to end against the embedded Entra emulator'],
  ["entra-portal new-app --name 'Veeam Restore Portal'", 'describe a new application in ./entra-portal.json5'],
  ['entra-portal set-portal-url https://portal.abc.com:4443 --apply', 'set the portal address and reconcile Entra'],
  ['entra-portal apply --what-if --detailed-exitcode', 'drift check for cron/CI: exit 2 when Entra differs'],
  ['entra-portal test-portal --json', 'check the portal from the network to sign-in'],
];

/** Help is laid out for the terminal, at most 100 columns (a pipe gets 100). */
export function helpWidth(columns: number | undefined): number {
  return Math.min(100, columns && columns >= 40 ? columns : 100);
}


/** Two columns; the right one wrapped at word boundaries to `maxWidth`, continuation lines under it. */
function table(rows: ReadonlyArray<readonly [string, string]>, maxWidth: number, indent = '  '): string[] {
  const width = Math.min(Math.max(...rows.map(([left]) => left.length)), 30);
  const out: string[] = [];
  for (const [left, right] of rows) {
    // a left column wider than the others gets its own line; the text starts under the column
    const own = left.length > width;
    const room = Math.max(30, maxWidth - indent.length - width - 2);
    const parts = wrap(right, room);
    if (own) out.push(`${indent}${left}`);
    parts.forEach((p, i) => out.push(`${indent}${(i === 0 && !own ? left : '').padEnd(width)}  ${p}`));
  }
  return out;
}

/** Words into lines of at most `room` columns; a longer word is cut after a comma (or anywhere). */
function wrap(text: string, room: number): string[] {
  const words = text.split(' ').flatMap((w) => {
    const pieces: string[] = [];
    while (w.length > room) {
      const comma = w.lastIndexOf(',', room - 1);
      const cut = comma > 0 ? comma + 1 : room;
      pieces.push(w.slice(0, cut));
      w = w.slice(cut);
    }
    return [...pieces, w];
  });
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** The right column for an option: what it does, then its default, variable and whether it is required. */
function optionText(o: OptionSpec): string {
  const extras: string[] = [];
  if (o.required) extras.push('required');
  if (o.defaultText) extras.push(`default: ${o.defaultText}`);
  else if (o.default !== undefined && o.kind !== 'boolean') extras.push(`default: ${o.default}`);
  if (o.env) extras.push(`env: ${o.env}`);
  if (o.repeatable) extras.push('may be repeated');
  return extras.length ? `${o.describe} [${extras.join('; ')}]` : o.describe;
}

function optionRows(options: readonly OptionSpec[]): [string, string][] {
  return options.map((o) => [optionSynopsis(o, true), optionText(o)]);
}

/** The top-level help: what the tool does, the verbs, the global options, examples, exit codes. */
export function topLevelHelp(commands: readonly CommandSpec<any, any>[], columns?: number): string {
  const maxWidth = helpWidth(columns);
  const verbs = commands.map((c): [string, string] => [[c.name, ...(c.positionals ?? []).map((p) => `<${p.value ?? p.name}>`)].join(' '), c.describe]);
  verbs.push(['help [verb]', 'this help, or a verb\'s: its options and examples (also: <verb> --help)'], ['version', 'the version (also: --version, -v)']);
  return [
    'Usage: entra-portal <verb> [options]',
    '',
    ABOUT,
    '',
    'Verbs:',
    ...table(verbs, maxWidth),
    '',
    'Global options (every verb):',
    ...table(optionRows(GLOBAL_OPTIONS), maxWidth),
    '',
    formatExamples(TOP_EXAMPLES, Math.min(96, maxWidth)),
    EXIT_CODES,
    '',
  ].join('\n');
}

/** A verb's help: usage line, description, its options, the global options, examples, notes. */
export function verbHelp(spec: CommandSpec<any, any>, columns?: number): string {
  const maxWidth = helpWidth(columns);
  const positionals = (spec.positionals ?? []).map((p): [string, string] => [`<${p.value ?? p.name}>`, p.describe]);
  const usage = wrap(usageLine(spec), maxWidth - 7).map((l, i) => `${i === 0 ? 'Usage: ' : '         '}${l}`);
  const lines = [...usage, '', ...wrap(spec.describe, maxWidth), ''];
  if (positionals.length) lines.push('Arguments:', ...table(positionals, maxWidth), '');
  const { own, globals } = optionsOf(spec);
  if (own.length) lines.push('Options:', ...table(optionRows(own), maxWidth), '');
  lines.push('Global options:', ...table(optionRows(globals), maxWidth), '');
  lines.push(formatExamples(spec.examples, Math.min(96, maxWidth)).trimEnd(), '');
  if (spec.notes?.length) {
    // a note is a paragraph: wrapped to the width, continuation lines under its own indentation
    for (const note of spec.notes) {
      const indent = /^ */.exec(note)![0];
      lines.push(...wrap(note.trim(), maxWidth - indent.length).map((l) => indent + l));
    }
    lines.push('');
  }
  lines.push(EXIT_CODES, '');
  return lines.join('\n');
}

/** Split a command line into shell words, keeping quoted strings whole. */
function shellWords(command: string): string[] {
  return command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

/**
 * A verb's examples for its `--help`, one runnable command per line and what it does under it
 * (side by side, commands would wrap mid-argument and could not be copied). A long command
 * continues on the next line after ` \`, as a shell reads it; no line exceeds `width`.
 */
export function formatExamples(examples: ReadonlyArray<readonly [string, string]>, width = 96): string {
  const lines = ['Examples:'];
  for (const [command, what] of examples) {
    let line = '  ';
    for (const w of shellWords(command.replace(/\$0/g, 'entra-portal'))) {
      if (line.trim() && line.length + 1 + w.length + 2 > width) {
        lines.push(`${line} \\`);
        line = '      ';
      }
      line += line.trim() ? ` ${w}` : w;
    }
    lines.push(line);
    let note = '      #';
    for (const w of what.split(' ')) {
      if (note.length + 1 + w.length > width) {
        lines.push(note);
        note = '      #';
      }
      note += ` ${w}`;
    }
    lines.push(note);
  }
  return `${lines.join('\n')}\n`; // a blank line before the verb's own notes, if any
}
