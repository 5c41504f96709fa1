import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createColors } from '../../src/color.js';
import { createLogger, fitProgressLine } from '../../src/context.js';

test('a progress line on a terminal fits one row (a wrapped one left its first row behind, cut mid-word)', () => {
  const long = 'Waiting for Microsoft Entra to replicate: creating the service principal of b329dcf5 (400 Request_BadRequest); next check in 3.7 s';
  assert.equal(fitProgressLine(long, 60), `${long.slice(0, 58)}…`);
  assert.equal(fitProgressLine(long, 60).length, 59);
  assert.equal(fitProgressLine('short', 60), 'short');
  assert.equal(fitProgressLine(long, undefined), long);

  const written: string[] = [];
  const stderr = { isTTY: true, columns: 40, write: (s: string) => written.push(s) };
  const log = createLogger(stderr, 'normal', createColors(0));
  log.progress(long);
  log.done();
  assert.equal(written[0], `\r\x1b[K${long.slice(0, 38)}…`);
  assert.equal(written[1], '\r\x1b[K');
  // not a terminal: the whole message, one per line (for logs)
  const piped: string[] = [];
  createLogger({ write: (s: string) => piped.push(s) }, 'normal', createColors(0)).progress(long);
  assert.deepEqual(piped, [`${long}\n`]);
});
