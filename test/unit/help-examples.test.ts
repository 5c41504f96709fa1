/**
 * Every verb's --help examples: laid out to be copied (one command per line, long ones continued
 * with ` \`), and naming only options the verb has (a renamed option would leave a dead example).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yargs from 'yargs';
import { commands } from '../../commands/index.js';
import { GLOBAL_OPTIONS, formatExamples, topLevelHelp } from '../../src/cli/help.js';
import type { GlobalArgs } from '../../src/cli/command.js';
import type { Argv } from 'yargs';

test('formatExamples: a command per line, continued after " \\" when long, quoted words kept whole', () => {
  const text = formatExamples([
    ['$0 install-cert --generate --subject "CN=Restore Portal, O=Contoso" --validity-days 365 --key-size 3072', 'choose the name'],
  ], 60);
  assert.equal(
    text,
    'Examples:\n  entra-portal install-cert --generate --subject \\\n      "CN=Restore Portal, O=Contoso" --validity-days 365 \\\n      --key-size 3072\n      # choose the name\n',
  );
  for (const line of text.split('\n')) assert.ok(line.length <= 60, line);
});

test('every example of every verb uses only options that verb accepts', () => {
  for (const spec of commands) {
    let y = yargs() as unknown as Argv<GlobalArgs>;
    for (const o of GLOBAL_OPTIONS) y = y.option(o.name, { type: o.type, ...(o.alias ? { alias: o.alias } : {}) }) as unknown as Argv<GlobalArgs>;
    const built = spec.builder ? spec.builder(y) : y;
    const options = (built as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[] } }).getOptions();
    const known = new Set([...Object.keys(options.key), ...options.boolean.map((b) => `no-${b}`)]);
    const verb = spec.command.split(' ')[0]!;
    assert.ok(spec.examples?.length, `${verb} has examples`);
    for (const [command] of spec.examples ?? []) {
      const words = command.replace('$0', 'entra-portal').split(/\s+/);
      assert.equal(words[words.indexOf('entra-portal') + 1], verb, command);
      for (const w of words.filter((x) => x.startsWith('--'))) {
        assert.ok(known.has(w.slice(2).split('=')[0]!), `${verb} example "${command}": unknown option ${w}`);
      }
    }
  }
});

test('the top-level help fits the terminal: nothing wider than 80 columns on an 80-column one', () => {
  const text = topLevelHelp(commands, 80);
  for (const line of text.split('\n')) assert.ok([...line].length <= 80, line);
  // every verb is still listed, and a wrapped description continues under its column
  for (const c of commands) assert.ok(text.includes(`entra-portal ${c.command} `), c.command);
  assert.match(text, /\n {37}\S/);
});
