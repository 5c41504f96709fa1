/**
 * The global options as data (one definition for yargs and for the top-level help), and the
 * top-level help itself. `entra-portal --help`, `--version` and a bare `entra-portal` are answered
 * without loading yargs (~110 ms of module loading plus its help layout): they are the commands a
 * newcomer runs first, and scripts call `--version` often. Verb help (`<verb> --help`) is yargs'.
 */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from './command.js';

export interface GlobalOption {
  name: string;
  alias?: string;
  type: 'string' | 'boolean';
  default?: boolean;
  describe: string;
}

export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  { name: 'config', alias: 'c', type: 'string', describe: 'config file (default ./entra-portal.json5, or $ENTRA_PORTAL_CONFIG)' },
  { name: 'json', type: 'boolean', default: false, describe: 'print exactly one JSON document on stdout' },
  { name: 'what-if', type: 'boolean', default: false, describe: 'show what would change; change nothing' },
  { name: 'verbose', type: 'boolean', describe: 'more detail on stderr' },
  { name: 'quiet', type: 'boolean', describe: 'only warnings and errors on stderr' },
  { name: 'color', type: 'boolean', default: true, describe: 'colour on a terminal (--no-color to disable; NO_COLOR honoured)' },
];

export const USAGE =
  '$0 <verb> [options]\n\n' +
  'Register or configure the Microsoft Entra application behind the Veeam Backup\n' +
  'for Microsoft 365 Restore Portal from a declarative JSON5 file, keep Entra in\n' +
  'sync with it, and prove that the portal works.';

export const EPILOG =
  'Exit codes: 0 success or in sync · 1 failed · 2 drift or a failing check\n' +
  '64 usage · 65 invalid input · 75 temporary failure (throttling, propagation)\n' +
  '77 insufficient rights in Entra\n' +
  'Docs: README.md. Every verb takes --help with examples.';

export const NO_VERB = 'Name a verb: entra-portal <verb> [options].';

const TOP_EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['entra-portal demo', 'the whole job end to end against the embedded Entra emulator'],
  ["entra-portal new-app --name 'Veeam Restore Portal'", 'describe a new application in ./entra-portal.json5'],
  ['entra-portal set-portal-url https://portal.abc.com:4443 --apply', 'set the portal address and reconcile Entra'],
  ['entra-portal apply --what-if --detailed-exitcode', 'drift check for cron/CI: exit 2 when Entra differs'],
  ['entra-portal test-portal --json', 'check the portal from the network to sign-in'],
];

/** This package's version: its package.json is two folders up from src/cli/ and three from dist/src/cli/. */
export function packageVersion(): string {
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'entra-portal' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      /* not there: the other layout */
    }
  }
  return '0.0.0';
}

/** Two columns; the right one wrapped at word boundaries to `maxWidth`, continuation lines under it. */
function table(rows: ReadonlyArray<readonly [string, string]>, maxWidth: number, indent = '  '): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  const room = Math.max(30, maxWidth - indent.length - width - 2);
  const out: string[] = [];
  for (const [left, right] of rows) {
    const parts: string[] = [];
    let line = '';
    for (const word of right.split(' ')) {
      if (line && line.length + 1 + word.length > room) {
        parts.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    parts.push(line);
    parts.forEach((p, i) => out.push(`${indent}${(i === 0 ? left : '').padEnd(width)}  ${p}`));
  }
  return out;
}

/** The top-level help, laid out like yargs' own for the verbs. */
export function topLevelHelp(commands: readonly CommandSpec<any, any>[], columns = process.stdout.columns || 100): string {
  const maxWidth = Math.min(110, columns); // as wide as yargs lays out a verb's help
  const options: [string, string][] = [
    ['-h, --help', 'show help (also: entra-portal <verb> --help)'],
    ...GLOBAL_OPTIONS.map((o): [string, string] => [
      `${o.alias ? `-${o.alias}, ` : '    '}--${o.name}${o.type === 'string' ? ' <file>' : ''}`,
      o.describe,
    ]),
    ['    --version', 'show the version number'],
  ];
  return [
    USAGE.replace('$0', 'entra-portal'),
    '',
    'Verbs:',
    ...table(commands.map((c) => [`entra-portal ${c.command}`, c.describe]), maxWidth),
    '',
    'Global options (every verb):',
    ...table(options, maxWidth),
    '',
    formatExamples(TOP_EXAMPLES, Math.min(96, maxWidth)),
    EPILOG,
    '',
  ].join('\n');
}

/** Split a command line into shell words, keeping quoted strings whole. */
function shellWords(command: string): string[] {
  return command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

/**
 * A verb's examples for its `--help`, one runnable command per line and what it does under it.
 * yargs' own example table puts both side by side in half the width each, so commands wrap
 * mid-argument and cannot be copied; here a long command continues on the next line after ` \`,
 * as a shell reads it, and no line exceeds `width` (yargs re-wraps the epilog past its own width).
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
