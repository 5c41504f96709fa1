import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks } from '../../src/checks/runner.js';
import { fail, pass, skip, type CheckDefinition, type CheckId } from '../../src/checks/types.js';

const def = (id: CheckId, deps: CheckId[], run: CheckDefinition['run'], extra: Partial<CheckDefinition> = {}): CheckDefinition => ({ id, deps, run, ...extra });

test('a failed dependency skips its dependents (and theirs) with the reason, no cascade of failures', async () => {
  const ran: string[] = [];
  const { results } = await runChecks([
    def('config', [], async () => pass('ok')),
    def('url.format', ['config'], async () => fail('bad url', 'fix it')),
    def('dns', ['url.format'], async () => (ran.push('dns'), pass('x'))),
    def('tcp', ['dns'], async () => (ran.push('tcp'), pass('x'))),
  ]);
  assert.deepEqual(ran, []);
  assert.deepEqual(
    results.map((r) => [r.id, r.status, r.message]),
    [
      ['config', 'pass', 'ok'],
      ['url.format', 'fail', 'bad url'],
      ['dns', 'skip', 'skipped: url.format failed'],
      ['tcp', 'skip', 'skipped: url.format failed'],
    ],
  );
  assert.equal(results[1]!.remedy, 'fix it');
});

test('a not-applicable skip lets dependents run; warn satisfies too; data flows to dependents', async () => {
  const { results } = await runChecks([
    def('dns', [], async () => skip('IPv4', { notApplicable: true })),
    def('tcp', ['dns'], async () => ({ status: 'warn', message: 'slow', data: 42 })),
    def('tls.handshake', ['tcp'], async (rc) => pass(`got ${rc.dep<number>('tcp').data}`)),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['skip', 'warn', 'pass']);
  assert.equal(results[2]!.message, 'got 42');
  assert.equal('data' in results[1]!, false, 'data never reaches the output');
});

test('independent chains run concurrently: a slow chain does not hold the other back', async () => {
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { results } = await runChecks([
    def('tcp', [], async () => {
      await gate;
      order.push('tcp');
      return pass('late');
    }),
    def('entra.app', [], async () => {
      order.push('entra.app');
      release();
      return pass('first');
    }),
  ]);
  assert.deepEqual(order, ['entra.app', 'tcp']);
  assert.deepEqual(results.map((r) => r.id), ['tcp', 'entra.app'], 'results keep the declared order');
});

test('a check that outlives its budget fails with the timeout message and sees its signal aborted', async () => {
  let aborted = false;
  const { results } = await runChecks([
    def(
      'tcp',
      [],
      (rc) =>
        new Promise((resolve) => {
          rc.signal.addEventListener('abort', () => {
            aborted = true;
            resolve(pass('too late'));
          });
        }),
      { timeoutMs: 20, timeoutMessage: 'no answer within 0.02 s', timeoutRemedy: 'open the port' },
    ),
  ]);
  assert.equal(results[0]!.status, 'fail');
  assert.equal(results[0]!.message, 'no answer within 0.02 s');
  assert.equal(results[0]!.remedy, 'open the port');
  assert.equal(aborted, true);
});

test('a check that throws is a failure with its message, not a crash', async () => {
  const { results } = await runChecks([def('config', [], async () => Promise.reject(new Error('boom')))]);
  assert.deepEqual([results[0]!.status, results[0]!.message], ['fail', 'boom']);
});

test('an unknown dependency is a programming error', async () => {
  await assert.rejects(runChecks([def('tcp', ['dns'], async () => pass('x'))]), /unknown check dns/);
});
