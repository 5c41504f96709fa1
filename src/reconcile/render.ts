/**
 * The plan as a readable diff for stderr, like `terraform plan`: `+` add/create, `~` update,
 * `-` remove. Colour comes from ctx.color (off when not a TTY or NO_COLOR).
 */
import type { Colors } from '../color.js';
import type { Change, KeyCredentialView, PermissionView, Plan } from './types.js';

const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

function certificate(v: KeyCredentialView | undefined): string {
  if (!v) return '(none)';
  const dates = v.startDateTime || v.endDateTime ? ` valid ${v.startDateTime?.slice(0, 10) ?? '?'} → ${v.endDateTime?.slice(0, 10) ?? '?'}` : '';
  return `${v.thumbprint ?? `keyId ${v.keyId ?? '?'}`}${v.displayName ? ` (${v.displayName})` : ''}${dates}`;
}

function permission(v: PermissionView | undefined): string {
  if (!v) return '(none)';
  return `${v.resource ?? v.resourceAppId}: ${v.value ?? v.id} (${v.type})`;
}

/** One line per change, without colour. */
export function describeChange(c: Change): string {
  switch (c.resource) {
    case 'application':
      return c.action === 'create'
        ? `application "${c.after.displayName ?? ''}"${c.after.uniqueName ? ` (uniqueName ${c.after.uniqueName})` : ''} will be created`
        : `application.${c.field}: ${show(c.before)} → ${show(c.after)}`;
    case 'redirectUri':
      return `spa redirect URI ${c.action === 'add' ? c.after : c.before}`;
    case 'keyCredential':
      return `certificate ${certificate(c.action === 'add' ? c.after : c.before)}`;
    case 'requiredResourceAccess':
      return `permission ${permission(c.action === 'add' ? c.after : c.before)}`;
    case 'servicePrincipal':
      return c.action === 'create' ? `service principal for ${c.after.appId} (tag ${c.after.tags.join(', ')})` : `service principal tags: ${show(c.before)} → ${show(c.after)}`;
    case 'oauth2PermissionGrant':
      return c.action === 'create'
        ? `admin consent on ${c.target}: "${c.after}"`
        : `admin consent on ${c.target}: "${c.before ?? ''}" → "${c.after}"`;
    case 'config':
      return `config ${c.field} = ${c.after}`;
  }
}

export function symbolFor(c: Change): '+' | '~' | '-' {
  if (c.action === 'remove') return '-';
  if (c.action === 'update') return '~';
  return '+';
}

export function renderPlan(p: Plan, color: Colors): string {
  if (p.changes.length === 0) return `${color.green('No changes.')} Entra matches the config.\n`;
  const lines = p.changes.map((c) => {
    const sym = symbolFor(c);
    const paint = sym === '+' ? color.green : sym === '-' ? color.red : color.yellow;
    const reason = c.reason ? color.dim(`  # ${c.reason}`) : '';
    return `  ${paint(sym)} ${describeChange(c)}${reason}`;
  });
  const count = (s: string) => p.changes.filter((c) => symbolFor(c) === s).length;
  return `Plan: ${count('+')} to add, ${count('~')} to change, ${count('-')} to remove.\n${lines.join('\n')}\n`;
}
