import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createColors } from '../../src/color.js';
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
  const text = renderChecklist(checks, createColors(0));
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
  assert.match(renderChecklist(checks, createColors(1)), /\x1b\[31m✖/);
});

test('exit codes: 0 with warnings, 2 on a failure, 65 when the config is invalid input', () => {
  const result = (cs: CheckResult[]): TestPortalResult => ({ passed: summarize(cs).fail === 0, summary: summarize(cs), checks: cs });
  assert.equal(testPortalExitCode(result(checks.slice(0, 2))), 0);
  assert.equal(testPortalExitCode(result(checks)), 2);
  assert.equal(testPortalExitCode(result([{ id: 'config', status: 'fail', message: 'bad', details: { inputError: true } }])), 65);
});

test('on a terminal, long messages and remedies wrap under their own column (not at column 0 under the marks)', () => {
  const long: CheckResult[] = [
    { id: 'tcp', status: 'fail', message: 'cannot connect to 127.0.0.1:4999: connection refused: nothing listens on that port', remedy: 'Check that the VB365 REST API service runs and listens on port 4999, and that the firewall lets it in' },
  ];
  const text = renderChecklist(long, createColors(0), undefined, 60);
  const lines = text.split('\n');
  for (const line of lines.slice(0, -1)) assert.ok(line.length <= 60, line); // the summary line is not wrapped
  assert.deepEqual(lines.slice(0, 6), [
    '✖ tcp  cannot connect to 127.0.0.1:4999: connection',
    '       refused: nothing listens on that port',
    '       → Check that the VB365 REST API service runs and',
    '         listens on port 4999, and that the firewall lets',
    '         it in',
    '',
  ]);
  // not a terminal: one line per message, for grep and logs
  assert.equal(renderChecklist(long, createColors(0)).split('\n')[0], `✖ tcp  ${long[0]!.message}`);
});
