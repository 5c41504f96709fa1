/**
 * A fleet run for people: one table row per config (config, tenant, appId, result, what drifted or
 * failed), then the summary line. Values from configs and Entra are shown with control characters
 * escaped; long findings are cut to the row (the JSON and the report have them whole).
 */
import type { Colors } from '../color.js';
import { displayPath } from '../util/paths.js';
import { escapeControl } from '../util/text.js';
import type { FleetEntry, FleetResult, FleetStatus, FleetVerb } from './run.js';

const LABEL: Record<FleetStatus, string> = { ok: 'in sync', changed: 'applied', drift: 'drift', failed: 'FAILED' };
const TEST_LABEL: Record<FleetStatus, string> = { ok: 'passed', changed: 'passed', drift: 'checks failed', failed: 'FAILED' };

function label(r: FleetEntry, verb: FleetVerb): string {
  return (verb === 'test-portal' ? TEST_LABEL : LABEL)[r.status];
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export function renderFleet(verb: FleetVerb, result: FleetResult, options: { color: Colors; cwd: string; columns?: number }): string {
  const { color } = options;
  const rows = result.results.map((r) => ({
    config: escapeControl(displayPath(r.config, options.cwd)),
    tenant: escapeControl(r.tenant ?? ''),
    appId: r.appId ?? '',
    result: label(r, verb),
    what: escapeControl(r.findings.length === 0 ? '' : r.findings.length === 1 ? r.findings[0]! : `${r.findings[0]} (+${r.findings.length - 1} more)`),
    status: r.status,
  }));
  const head = { config: 'CONFIG', tenant: 'TENANT', appId: 'APP ID', result: 'RESULT', what: 'WHAT' };
  const width = (k: keyof typeof head) => Math.max(head[k].length, ...rows.map((r) => r[k].length));
  const w = { config: width('config'), tenant: width('tenant'), appId: width('appId'), result: width('result') };
  const fixed = w.config + w.tenant + w.appId + w.result + 8;
  const whatWidth = Math.max(20, (options.columns ?? 160) - fixed);
  const paint = (status: FleetStatus, text: string) => (status === 'failed' ? color.red(text) : status === 'drift' ? color.yellow(text) : color.green(text));
  const line = (r: typeof head & { status?: FleetStatus }) =>
    [
      r.config.padEnd(w.config),
      r.tenant.padEnd(w.tenant),
      r.appId.padEnd(w.appId),
      r.status ? paint(r.status, r.result.padEnd(w.result)) : r.result.padEnd(w.result),
      cut(r.what, whatWidth),
    ]
      .join('  ')
      .trimEnd();
  const s = result.summary;
  const parts = verb === 'test-portal'
    ? [`${s.inSync + s.changed} passed`, `${s.drift} with failing checks`, `${s.failed} failed`]
    : [`${s.inSync} in sync`, ...(s.changed ? [`${s.changed} applied`] : []), `${s.drift} drifted`, `${s.failed} failed`];
  return `${line(head)}\n${rows.map(line).join('\n')}\n\n${s.total} config${s.total === 1 ? '' : 's'}: ${parts.join(', ')}.\n`;
}
