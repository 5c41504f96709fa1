/**
 * Help as a person reads it: a verb's own options first, the global ones under "Global options",
 * each with its value and default, the usage line naming what the verb requires, examples one
 * command per line using only options the verb has, nothing wider than the terminal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../commands/index.js';
import { formatExamples, topLevelHelp, verbHelp } from '../../src/cli/help.js';
import { optionsOf } from '../../src/cli/options.js';
import { runMain, withTempDir } from '../helpers/cli.js';

test('verb help: usage line with what is required, own options first, then "Global options", with values and defaults', () => {
  const help = (name: string) => verbHelp(commands.find((c) => c.name === name)!, 100);
  const setApp = help('set-app');
  assert.match(setApp, /^Usage: entra-portal set-app --app-id <guid> \[options\]\n/);
  assert.ok(setApp.indexOf('\nOptions:\n') < setApp.indexOf('\nGlobal options:\n'));
  assert.ok(setApp.indexOf('--app-id <guid>') < setApp.indexOf('-c, --config <file>'));
  assert.match(setApp, /--app-id <guid> +the Application \(client\) ID.*\n?.*\[required\]/);
  assert.match(help('set-portal-url'), /^Usage: entra-portal set-portal-url <url> \[options\]/);
  assert.match(help('install-cert'), /^Usage: entra-portal install-cert \(--generate \| --pfx <file> \| --thumbprint <sha1>\) \[options\]/);
  const cert = help('install-cert');
  assert.match(cert, /--validity-days <days> +with --generate: days of validity, 1–3650 \[default: 365\]/);
  assert.match(cert, /--key-size <bits> +with --generate: RSA key size, 2048, 3072 or 4096 \[default: 2048\]/);
  const tp = help('test-portal');
  assert.match(tp, /--timeout <seconds>/);
  assert.match(tp, /\[default: 5\]/);
  assert.match(tp, /env:\s+ENTRA_PORTAL_AUTH/); // may wrap: the option column is as wide as the longest option
  // --color defaults to true: what a user types is --no-color, and it says what it does
  assert.match(setApp, /\n {2}--no-color +no colour/);
  assert.doesNotMatch(setApp, /default: true|default: false|\[string\]|\[boolean\]/);
});

test('verb help: each example is one copyable line naming the verb and only options it accepts; no line over the width', () => {
  for (const spec of commands) {
    const known = new Set(optionsOf(spec).all.flatMap((o) => [o.name, `no-${o.name}`]));
    assert.ok(spec.examples.length > 0, `${spec.name} has examples`);
    for (const [command] of spec.examples) {
      const words = command.replace('$0', 'entra-portal').split(/\s+/);
      assert.equal(words[words.indexOf('entra-portal') + 1], spec.name, command);
      for (const w of words.filter((x) => x.startsWith('--'))) assert.ok(known.has(w.slice(2).split('=')[0]!), `${spec.name} example "${command}": unknown option ${w}`);
    }
    for (const width of [100, 80]) {
      for (const line of verbHelp(spec, width).split('\n')) assert.ok([...line].length <= width, `${spec.name} at ${width}: ${line}`);
    }
  }
  const set = verbHelp(commands.find((c) => c.name === 'set-app')!, 100).split('\n');
  assert.ok(set.includes('  entra-portal set-app --app-id 4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c --apply'));
  assert.ok(set.includes("      # pin it and bring it to the Restore Portal's shape in Entra"));
});

test('formatExamples: a command per line, continued after " \\" when long, quoted words kept whole', () => {
  const text = formatExamples([['$0 install-cert --generate --subject "CN=Restore Portal, O=Contoso" --validity-days 365 --key-size 3072', 'choose the name']], 60);
  assert.equal(text, 'Examples:\n  entra-portal install-cert --generate --subject \\\n      "CN=Restore Portal, O=Contoso" --validity-days 365 \\\n      --key-size 3072\n      # choose the name\n');
});

test('the top-level help lists every verb, help and version; it fits an 80-column terminal', () => {
  const text = topLevelHelp(commands, 80);
  for (const line of text.split('\n')) assert.ok([...line].length <= 80, line);
  for (const c of commands) assert.match(text, new RegExp(`\\n  ${c.name}\\b`));
  assert.match(text, /\n {2}help \[verb\]/);
  assert.match(text, /\n {2}version /);
  assert.match(text, /64 usage \(fix the command line\) · 65 invalid input \(fix the file\)/);
});

test('"help", "help <verb>", "<verb> --help" and "-h": the same texts, exit 0, on stdout', async () => {
  await withTempDir(async (dir) => {
    const top = await runMain(['help'], { cwd: dir });
    assert.equal(top.code, 0);
    assert.equal(top.stderr, '');
    assert.equal((await runMain(['--help'], { cwd: dir })).stdout, top.stdout);
    assert.equal((await runMain(['-h'], { cwd: dir })).stdout, top.stdout);
    const verb = await runMain(['help', 'apply'], { cwd: dir });
    assert.equal(verb.code, 0);
    assert.equal((await runMain(['apply', '--help'], { cwd: dir })).stdout, verb.stdout);
    // help wins over anything else on the line, even a mistake
    assert.equal((await runMain(['apply', '--bogus', '-h'], { cwd: dir })).stdout, verb.stdout);
    const typo = await runMain(['help', 'aply'], { cwd: dir });
    assert.equal(typo.code, 64);
    assert.match(typo.stderr, /unknown verb 'aply'\. Did you mean apply\?/);
    // the help lists "help [verb]" and "version" among the verbs: asking about them is not a typo (it was 64)
    for (const topic of ['help', 'version']) {
      const r = await runMain(['help', topic], { cwd: dir });
      assert.equal(r.code, 0, `help ${topic}: ${r.stderr}`);
      assert.equal(r.stdout, top.stdout);
    }
  });
});
