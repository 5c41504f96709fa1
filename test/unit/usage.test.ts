import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance, unknownOptions, usageHint, type VerbOptions } from '../../src/cli/usage.js';

const VERBS = ['new-app', 'set-app', 'install-cert', 'set-portal-url', 'apply', 'test-portal', 'emulator', 'demo'];
const apply: VerbOptions = {
  verb: 'apply',
  names: ['help', 'h', 'version', 'config', 'c', 'json', 'what-if', 'verbose', 'quiet', 'color', 'detailed-exitcode', 'prune', 'propagation-timeout', 'auth'],
  booleans: ['help', 'version', 'json', 'what-if', 'verbose', 'quiet', 'color', 'detailed-exitcode', 'prune'],
  positionals: [],
  example: 'entra-portal apply',
};
const newApp: VerbOptions = { ...apply, verb: 'new-app', names: [...apply.names, 'name', 'unique-name'] };
const setPortalUrl: VerbOptions = { ...apply, verb: 'set-portal-url', positionals: ['url'], example: 'entra-portal set-portal-url https://portal.abc.com:4443' };

test('edit distance and the closest candidate within a typo', () => {
  assert.equal(editDistance('prnue', 'prune'), 2);
  assert.equal(closest('what-iff', apply.names), 'what-if');
  assert.equal(closest('frobnicate', VERBS), undefined);
});

test('unknown options: camelCase and --no-<boolean> forms of known ones are known; values after -- are not options', () => {
  assert.deepEqual(unknownOptions(['apply', '--whatIf', '--no-prune', '--detailedExitcode', '-c', 'x', '--', '--bogus'], apply), []);
  assert.deepEqual(unknownOptions(['apply', '--what-iff', '--prnue=1', '-x'], apply), ['what-iff', 'prnue', 'x']);
});

test('an unknown option is named with a suggestion, even when yargs complained about a required one first', () => {
  const hint = usageHint('Missing required argument: name\ngive the display name', ['new-app', '--nme', 'X'], VERBS, newApp);
  assert.equal(hint?.message, 'new-app: unknown option --nme (did you mean --name?)');
  assert.match(hint?.remedy ?? '', /entra-portal new-app --help/);
  // yargs lists the camelCase twin too ("what-iff, whatIff"): one option, one suggestion
  assert.equal(usageHint('Unknown arguments: what-iff, whatIff', ['apply', '--what-iff'], VERBS, apply)?.message, 'apply: unknown option --what-iff (did you mean --what-if?)');
});

test('an unknown verb is named, with the nearest verb; -c <file> is not taken for a verb', () => {
  assert.equal(usageHint('Did you mean apply?', ['-c', 'x.json5', 'aply'], VERBS)?.message, "unknown verb 'aply'. Did you mean apply?");
  assert.equal(usageHint('Unknown argument: frobnicate', ['frobnicate'], VERBS)?.message, "unknown verb 'frobnicate'");
});

test('a missing positional, a missing option, a bad choice and --verbose with --quiet say what to do', () => {
  const url = usageHint('Not enough non-option arguments: got 0, need at least 1', ['set-portal-url'], VERBS, setPortalUrl);
  assert.equal(url?.message, 'set-portal-url: missing <url>');
  assert.equal(url?.remedy, 'For example: entra-portal set-portal-url https://portal.abc.com:4443');
  const name = usageHint('Missing required argument: name\ngive the display name: --name "Veeam Restore Portal"', ['new-app'], VERBS, newApp);
  assert.deepEqual(name, { message: 'new-app: missing --name', remedy: 'give the display name: --name "Veeam Restore Portal"' });
  const auth = usageHint('Invalid values:\n  Argument: auth, Given: "enviroment", Choices: "auto", "environment"', ['apply', '--auth', 'enviroment'], VERBS, apply);
  assert.equal(auth?.message, 'apply: --auth "enviroment" is not one of: auto, environment. Did you mean environment?');
  assert.equal(usageHint('Not enough arguments following: c', ['apply', '-c'], VERBS, apply)?.message, 'apply: -c needs a value');
  assert.equal(usageHint('Not enough arguments following: password-env', ['install-cert', '--password-env'], VERBS, { ...apply, verb: 'install-cert', names: [...apply.names, 'password-env'] })?.message, 'install-cert: --password-env needs a value');
  assert.equal(usageHint('Arguments verbose and quiet are mutually exclusive', ['apply', '--verbose', '--quiet'], VERBS, apply)?.message, 'apply: --verbose and --quiet cannot be used together: choose one');
});

test('an extra word (a value with spaces and no quotes, a second URL) is named, with the usage line', () => {
  const hint = usageHint('Unknown arguments: Restore, Portal', ['new-app', '--name', 'Veeam', 'Restore', 'Portal'], VERBS, newApp);
  assert.equal(hint?.message, "new-app: unexpected arguments 'Restore', 'Portal'");
  assert.match(hint?.remedy ?? '', /values with spaces need quotes/);
  const url = usageHint('Unknown argument: https://b.abc.com:4443', ['set-portal-url', 'https://a.abc.com:4443', 'https://b.abc.com:4443'], VERBS, setPortalUrl);
  assert.equal(url?.message, "set-portal-url: unexpected argument 'https://b.abc.com:4443'");
  assert.match(url?.remedy ?? '', /^Usage: entra-portal set-portal-url <url> \[options\]/);
});
