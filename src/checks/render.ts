/**
 * The human checklist for test-portal: one line per check (✔ pass, ! warn, ✖ fail, – skip), the
 * remedy under each failure and warning, a summary line. Colour only when the sink is a terminal
 * (and NO_COLOR / --no-color are not set): the caller passes the colours.
 */
import type { Colors } from '../color.js';
import { escapeControl } from '../util/text.js';
import { summarize } from './result.js';
import type { CheckResult, CheckStatus } from './types.js';

const MARK: Record<CheckStatus, string> = { pass: '✔', warn: '!', fail: '✖', skip: '–' };

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/**
 * `columns`: the terminal's width, to wrap messages and remedies under their own column (the
 * terminal would otherwise break them at column 0, under the marks). Undefined when not a terminal:
 * one line per message then, for grep and logs.
 */
export function renderChecklist(checks: readonly CheckResult[], color: Colors, heading?: string, columns?: number): string {
  const paint: Record<CheckStatus, (s: string) => string> = {
    pass: color.green,
    warn: color.yellow,
    fail: color.red,
    skip: color.dim,
  };
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines: string[] = [];
  if (heading) lines.push(escapeControl(heading), '');
  const pad = ' '.repeat(width + 4);
  // room for text after the id column (never squeezed below 40: a narrow terminal wraps it then)
  const room = columns ? Math.max(40, columns - pad.length - 1) : Infinity;
  const wrap = (text: string, indent = 0) => (room === Infinity ? [text] : wrapWords(text, room - indent));
  for (const c of checks) {
    // messages quote names and URIs from Entra and the config: escaped (--json keeps them)
    const [first = '', ...more] = wrap(escapeControl(c.message));
    const style = c.status === 'skip' ? color.dim : (t: string) => t;
    lines.push(`${paint[c.status](MARK[c.status])} ${c.id.padEnd(width)}  ${style(first)}`);
    for (const m of more) lines.push(`${pad}${style(m)}`);
    // the config check lists every problem of the file (file:line:col: path: message)
    const problems = c.details?.problems;
    if (c.status === 'fail' && Array.isArray(problems)) {
      for (const p of problems) lines.push(`${pad}${escapeControl(String(p))}`);
    }
    if (c.remedy && (c.status === 'fail' || c.status === 'warn')) {
      const [head = '', ...rest] = wrap(escapeControl(c.remedy), 2);
      lines.push(`${pad}${color.cyan('→')} ${head}`);
      for (const r of rest) lines.push(`${pad}  ${r}`);
    }
  }
  const s = summarize(checks);
  const parts = [`${s.pass} passed`, `${s.warn} warning${s.warn === 1 ? '' : 's'}`, `${s.fail} failed`, `${s.skip} skipped`];
  const verdict = s.fail ? color.red('The Restore Portal has problems') : s.warn ? color.yellow('The Restore Portal works, with warnings') : color.green('The Restore Portal works');
  lines.push('', `${verdict}: ${parts.join(', ')}.`);
  return lines.join('\n');
}
