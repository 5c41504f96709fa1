/**
 * The plan as a readable diff for stderr, like `terraform plan`: `+` add/create, `~` update,
 * `-` remove, `!` unmanaged and kept (still drift). Colour comes from ctx.color (off when not a TTY
 * or NO_COLOR). Values from Entra are shown with control characters escaped.
 */
import type { Colors } from '../color.js';
import { describeChange } from './describe.js';
import type { Change, Plan } from './types.js';
import { escapeControl } from '../util/text.js';

export { describeChange };

export type ChangeSymbol = '+' | '~' | '-' | '!';

export function symbolFor(c: Change): ChangeSymbol {
  if (c.action === 'keep') return '!';
  if (c.action === 'remove') return '-';
  if (c.action === 'update') return '~';
  return '+';
}

export function renderPlan(p: Plan, color: Colors): string {
  if (p.changes.length === 0) return `${color.green('No changes.')} Entra matches the config.\n`;
  const lines = p.changes.map((c) => {
    const sym = symbolFor(c);
    const paint = sym === '+' ? color.green : sym === '-' ? color.red : color.yellow;
    const reason = c.reason ? color.dim(`  # ${escapeControl(c.reason)}`) : '';
    return `  ${paint(sym)} ${escapeControl(describeChange(c, { verbs: false }))}${reason}`;
  });
  const count = (s: ChangeSymbol) => p.changes.filter((c) => symbolFor(c) === s).length;
  const kept = count('!');
  return `Plan: ${count('+')} to add, ${count('~')} to change, ${count('-')} to remove${kept ? `, ${kept} unmanaged (kept)` : ''}.\n${lines.join('\n')}\n`;
}
