import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createColors } from '../../src/color.js';

test('level 0 paints nothing; level 1 wraps in SGR codes', () => {
  assert.equal(createColors(0).red('x'), 'x');
  assert.equal(createColors(0).green.bold('x'), 'x');
  const c = createColors(1);
  assert.equal(c.red('✖'), '\x1b[31m✖\x1b[39m');
  assert.equal(c.green.bold('ok'), '\x1b[32m\x1b[1mok\x1b[22m\x1b[39m');
  assert.equal(c.dim(''), '');
});

test('a nested style does not end the outer one early', () => {
  const c = createColors(1);
  const inner = c.dim('b');
  const outer = c.bold(`a${inner}c`);
  // after the inner dim closes (22, which also ends bold), bold is opened again for "c"
  assert.equal(outer, '\x1b[1ma\x1b[2mb\x1b[22m\x1b[1mc\x1b[22m');
});
