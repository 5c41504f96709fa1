/**
 * The command-line parser against every verb's declared options: a single-value option given twice
 * is a usage error naming it, for every verb and every option; typos and other tools' names get a
 * suggestion; values are checked by the option's declaration (64), before anything runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../commands/index.js';
import type { CommandSpec, OptionSpec } from '../../src/cli/command.js';
import { GLOBAL_OPTIONS, optionsOf } from '../../src/cli/options.js';
import { findVerb, parseVerbArgs } from '../../src/cli/parse.js';
import { closest, editDistance, suggestOption } from '../../src/cli/usage.js';
import { UsageError } from '../../src/errors.js';
import { runMain, withTempDir } from '../helpers/cli.js';

/** A value the option accepts. */
function sample(o: OptionSpec): string {
  if (o.choices) return o.choices[0]!;
  if (o.kind === 'integer' || o.kind === 'number') return String([1, 443, 2048, 30].find((n) => !o.check || o.check(n)));
  return 'x';
}

/** The least the verb needs to parse: its required arguments and options. */
function required(spec: CommandSpec<any, any>): string[] {
  const words = (spec.positionals ?? []).filter((p) => p.required).map(() => 'https://portal.abc.com:4443');
  for (const o of spec.options ?? []) if (o.required) words.push(`--${o.name}`, sample(o));
  return words;
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `a UsageError, got ${String(err)}`);
    return err;
  }
  assert.fail('no error');
}

test('every single-value option of every verb, given twice, is a usage error that names it (64), before anything runs', async () => {
  await withTempDir(async (dir) => {
    let checked = 0;
    for (const spec of commands) {
      // a verb's own declaration of a global option replaces it (apply's -c is repeatable: fleets)
      for (const o of optionsOf(spec).all) {
        if (o.kind === 'boolean' || o.repeatable) continue;
        const needs = o.needs ? [`--${o.needs}`] : [];
        const argv = [spec.name, ...required(spec).filter((w, i, all) => !(w === `--${o.name}` || all[i - 1] === `--${o.name}`)), ...needs, `--${o.name}`, sample(o), `--${o.name}=${sample(o)}`];
        const r = await runMain(argv, { cwd: dir });
        assert.equal(r.code, 64, `${argv.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^error: ${spec.name}: --${o.name} was given 2 times; give it once`), argv.join(' '));
        checked += 1;
      }
    }
    assert.ok(checked > 30, `checked ${checked}`);
  });
});

test('the short and long spellings of one option count together; a repeated -c too (where it is not a fleet)', () => {
  const setApp = commands.find((c) => c.name === 'set-app')!;
  assert.match(usageError(() => parseVerbArgs(setApp, ['--app-id', '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', '-c', 'a.json5', '--config', 'b.json5'], {})).message, /--config was given 2 times/);
  assert.match(usageError(() => parseVerbArgs(setApp, ['--app-id', '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', '-c=a', '-c', 'b'], {})).message, /--config was given 2 times/);
  // apply and test-portal take -c many times: a fleet of configs
  const apply = commands.find((c) => c.name === 'apply')!;
  assert.deepEqual(parseVerbArgs(apply, ['-c=a', '--config', 'b'], {}).config, ['a', 'b']);
});

test('a repeated boolean is harmless; a contradicted one is not', () => {
  const apply = commands.find((c) => c.name === 'apply')!;
  assert.equal(parseVerbArgs(apply, ['--prune', '--prune'], {}).prune, true);
  assert.match(usageError(() => parseVerbArgs(apply, ['--prune', '--no-prune'], {})).message, /--prune and --no-prune contradict each other/);
  assert.match(usageError(() => parseVerbArgs(apply, ['--json=maybe'], {})).message, /--json takes no value/);
  assert.equal(parseVerbArgs(apply, ['--json=false'], {}).json, false);
});

test('an option may be declared repeatable: it then collects every value, in order', () => {
  const spec: CommandSpec = { name: 'fleet', describe: '', examples: [], options: [{ name: 'config', short: 'c', kind: 'string', repeatable: true, describe: '' }], run: async () => undefined };
  // a verb's own declaration of a global option's name wins over the global one
  const args = parseVerbArgs({ ...spec, options: spec.options }, ['-c', 'a.json5', '-c', 'b/*.json5'], {});
  assert.deepEqual(args.config, ['a.json5', 'b/*.json5']);
});

test('values: --name=value, a value starting with "-" only after "=", "--" ends the options', () => {
  const newApp = commands.find((c) => c.name === 'new-app')!;
  assert.equal(parseVerbArgs(newApp, ['--name=-dash'], {}).name, '-dash');
  assert.match(usageError(() => parseVerbArgs(newApp, ['--name', '--json'], {})).message, /new-app: --name needs a value/);
  // a value that starts with '-' after a space: the value's option and the '=' form, not "unknown option -x"
  const dash = usageError(() => parseVerbArgs(newApp, ['--name', '-x'], {}));
  assert.match(dash.message, /new-app: --name needs a value; -x is not one of its options/);
  assert.match(dash.remedy ?? '', /--name=-x/);
  assert.match(usageError(() => parseVerbArgs(newApp, ['--name', '-WhatIf'], {})).message, /unknown option -WhatIf \(did you mean --what-if\?\)/);
  assert.doesNotMatch(usageError(() => parseVerbArgs(newApp, ['--name', '-password=hunter2'], {})).message, /hunter2/);
  const url = commands.find((c) => c.name === 'set-portal-url')!;
  assert.equal(parseVerbArgs(url, ['--', '--odd'], {}).url, '--odd');
  assert.equal(parseVerbArgs(url, ['https://a.b:1', '--rest-api-port', '1'], {}).restApiPort, 1);
});

test('options may come before the verb: the verb is the first word that is not an option or a global value', () => {
  assert.equal(findVerb(['-c', 'x.json5', '--json', 'apply', '--prune']), 3);
  assert.equal(findVerb(['--config=x', 'apply']), 1);
  assert.equal(findVerb(['--json']), -1);
});

test('values are checked by the option: a number out of range or a choice not offered is a usage error (64) naming the rule', () => {
  const cert = commands.find((c) => c.name === 'install-cert')!;
  assert.equal(usageError(() => parseVerbArgs(cert, ['--generate', '--key-size', '1024'], {})).message, 'install-cert: --key-size must be 2048, 3072 or 4096, not "1024"');
  assert.match(usageError(() => parseVerbArgs(cert, ['--generate', '--validity-days', '3651'], {})).message, /from 1 to 3650/);
  assert.match(usageError(() => parseVerbArgs(cert, ['--generate', '--validity-days', '1e3'], {})).message, /whole number/);
  const tp = commands.find((c) => c.name === 'test-portal')!;
  assert.equal(parseVerbArgs(tp, ['--timeout', '0.5'], {}).timeout, 0.5);
  assert.match(usageError(() => parseVerbArgs(tp, ['--timeout', '0'], {})).message, /--timeout must be a number of seconds more than 0/);
  assert.equal(parseVerbArgs(tp, ['--auth', 'Environment'], {}).auth, 'environment', 'choices match in any case');
});

test('ENTRA_PORTAL_AUTH chooses the sign-in mode; the option wins over it; a bad value names the variable (64)', () => {
  const apply = commands.find((c) => c.name === 'apply')!;
  assert.equal(parseVerbArgs(apply, [], {}).auth, 'auto');
  assert.equal(parseVerbArgs(apply, [], { ENTRA_PORTAL_AUTH: 'azure-cli' }).auth, 'azure-cli');
  assert.equal(parseVerbArgs(apply, ['--auth', 'environment'], { ENTRA_PORTAL_AUTH: 'azure-cli' }).auth, 'environment');
  assert.match(usageError(() => parseVerbArgs(apply, [], { ENTRA_PORTAL_AUTH: 'az' })).message, /ENTRA_PORTAL_AUTH 'az' is not one of/);
});

test('suggestions: typos, other tools\' names (--dry-run, -WhatIf, --debug) and the verbs', () => {
  assert.equal(editDistance('prnue', 'prune'), 2);
  assert.equal(closest('frobnicate', ['apply', 'demo']), undefined);
  const options = [...commands.find((c) => c.name === 'apply')!.options!, ...GLOBAL_OPTIONS];
  assert.equal(suggestOption('--dry-run', options), '--what-if');
  assert.equal(suggestOption('-WhatIf', options), '--what-if');
  assert.equal(suggestOption('--what-iff', options), '--what-if');
  assert.equal(suggestOption('--debug', options), '--verbose');
  assert.equal(suggestOption('-json', options), '--json');
  assert.equal(suggestOption('--no-colour', options), '--no-color');
  assert.equal(suggestOption('--frobnicate', options), undefined);
});

test('an unknown option is reported before the required one it hides, with the suggestion', () => {
  const newApp = commands.find((c) => c.name === 'new-app')!;
  const err = usageError(() => parseVerbArgs(newApp, ['--nme', 'X'], {}));
  assert.equal(err.message, 'new-app: unknown option --nme (did you mean --name?)');
  assert.match(err.remedy ?? '', /entra-portal new-app --help/);
});

test('apply\'s options on an edit verb need --apply', () => {
  const setApp = commands.find((c) => c.name === 'set-app')!;
  const args = parseVerbArgs(setApp, ['--app-id', 'x', '--apply', '--prune', '--detailed-exitcode', '--propagation-timeout', '30', '--auth', 'environment'], {});
  assert.deepEqual([args.apply, args.prune, args.detailedExitcode, args.propagationTimeout, args.auth], [true, true, true, 30, 'environment']);
  assert.equal(usageError(() => parseVerbArgs(setApp, ['--app-id', 'x', '--prune'], {})).message, 'set-app: --prune works only with --apply');
  // the variable alone does not count as giving --auth
  assert.equal(parseVerbArgs(setApp, ['--app-id', 'x'], { ENTRA_PORTAL_AUTH: 'environment' }).auth, 'environment');
});
