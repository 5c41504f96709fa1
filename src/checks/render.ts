/**
 * The human checklist for test-portal: one line per check (✔ pass, ! warn, ✖ fail, – skip), the
 * remedy under each failure and warning, a summary line. Colour only when the sink is a terminal
 * (and NO_COLOR / --no-color are not set): the caller passes the chalk instance.
 */
import type { ChalkInstance } from 'chalk';
import { summarize } from './result.js';
import type { CheckResult, CheckStatus } from './types.js';

const MARK: Record<CheckStatus, string> = { pass: '✔', warn: '!', fail: '✖', skip: '–' };

export function renderChecklist(checks: readonly CheckResult[], color: ChalkInstance, heading?: string): string {
  const paint: Record<CheckStatus, (s: string) => string> = {
    pass: color.green,
    warn: color.yellow,
    fail: color.red,
    skip: color.dim,
  };
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines: string[] = [];
  if (heading) lines.push(heading, '');
  for (const c of checks) {
    const text = c.status === 'skip' ? color.dim(c.message) : c.message;
    lines.push(`${paint[c.status](MARK[c.status])} ${c.id.padEnd(width)}  ${text}`);
    // the config check lists every problem of the file (file:line:col: path: message)
    const problems = c.details?.problems;
    if (c.status === 'fail' && Array.isArray(problems)) {
      for (const p of problems) lines.push(`  ${' '.repeat(width)}  ${String(p)}`);
    }
    if (c.remedy && (c.status === 'fail' || c.status === 'warn')) {
      lines.push(`  ${' '.repeat(width)}  ${color.cyan('→')} ${c.remedy}`);
    }
  }
  const s = summarize(checks);
  const parts = [`${s.pass} passed`, `${s.warn} warning${s.warn === 1 ? '' : 's'}`, `${s.fail} failed`, `${s.skip} skipped`];
  const verdict = s.fail ? color.red('The Restore Portal has problems') : s.warn ? color.yellow('The Restore Portal works, with warnings') : color.green('The Restore Portal works');
  lines.push('', `${verdict}: ${parts.join(', ')}.`);
  return lines.join('\n');
}
