import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Chalk } from 'chalk';
import { renderChecklist } from '../../src/checks/render.js';
import { testPortalExitCode, summarize, type TestPortalResult } from '../../src/checks/result.js';
import type { CheckResult } from '../../src/checks/types.js';

const checks: CheckResult[] = [
  { id: 'config', status: 'pass', message: 'valid' },
  { id: 'tls.trust', status: 'warn', message: 'self-signed', remedy: 'use a CA' },
  { id: 'tcp', status: 'fail', message: 'refused', remedy: 'open the port' },
  { id: 'tls.handshake', status: 'skip', message: 'skipped: tcp failed' },
];

test('the checklist: marks, remedies under failures and warnings, a summary line; no colour at level 0', () => {
  const text = renderChecklist(checks, new Chalk({ level: 0 }));
  assert.equal(
    text,
    [
      '✔ config         valid',
      '! tls.trust      self-signed',
      '                 → use a CA',
      '✖ tcp            refused',
      '                 → open the port',
      '– tls.handshake  skipped: tcp failed',
      '',
      'The Restore Portal has problems: 1 passed, 1 warning, 1 failed, 1 skipped.',
    ].join('\n'),
  );
});

test('colour when asked (a terminal)', () => {
  assert.match(renderChecklist(checks, new Chalk({ level: 1 })), /\x1b\[31m✖/);
});

test('exit codes: 0 with warnings, 2 on a failure, 65 when the config is invalid input', () => {
  const result = (cs: CheckResult[]): TestPortalResult => ({ passed: summarize(cs).fail === 0, summary: summarize(cs), checks: cs });
  assert.equal(testPortalExitCode(result(checks.slice(0, 2))), 0);
  assert.equal(testPortalExitCode(result(checks)), 2);
  assert.equal(testPortalExitCode(result([{ id: 'config', status: 'fail', message: 'bad', details: { inputError: true } }])), 65);
});
