/**
 * `--report <file.html>`: the fleet run as one self-contained HTML page — no script, no external
 * asset (a Content-Security-Policy forbids loading any), so it can be mailed, archived by CI or
 * opened offline. Per config: its status, what drifted, the failed checks with their remedies, the
 * certificate's days left. Every value is HTML-escaped: names and URIs come from Entra and configs.
 */
import { displayPath } from '../util/paths.js';
import type { FleetEntry, FleetResult, FleetStatus, FleetVerb } from './run.js';

const esc = (v: unknown): string =>
  String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    // control characters would be invisible (or worse) in a page: show them
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const ORDER: Record<FleetStatus, number> = { failed: 0, drift: 1, changed: 2, ok: 3 };

function statusText(r: FleetEntry, verb: FleetVerb): string {
  if (verb === 'test-portal') return { ok: 'passed', changed: 'passed', drift: 'checks failed', failed: 'failed' }[r.status];
  return { ok: 'in sync', changed: 'applied', drift: 'drift', failed: 'failed' }[r.status];
}

function daysCell(r: FleetEntry, warnDays: number): string {
  const c = r.certificate;
  if (!c) return '<td class="muted">—</td>';
  const cls = c.daysLeft < 0 ? 'failed' : c.daysLeft < warnDays ? 'drift' : '';
  const text = c.daysLeft < 0 ? `expired ${-c.daysLeft} d ago` : `${c.daysLeft} d`;
  return `<td class="${cls}" title="${esc(c.thumbprint)} until ${esc(c.notAfter)}">${esc(text)}</td>`;
}

function details(r: FleetEntry, verb: FleetVerb): string {
  const items: string[] = [];
  if (r.error) {
    items.push(`<li><strong>${esc(r.error.message)}</strong>${r.error.remedy ? `<br><span class="remedy">${esc(r.error.remedy)}</span>` : ''}</li>`);
  } else if (verb === 'test-portal' && r.result && 'checks' in r.result) {
    for (const c of r.result.checks.filter((x) => x.status === 'fail' || x.status === 'warn')) {
      items.push(`<li><span class="${c.status === 'fail' ? 'failed' : 'drift'}">${esc(c.id)}</span> ${esc(c.message)}${c.remedy ? `<br><span class="remedy">${esc(c.remedy)}</span>` : ''}</li>`);
    }
  } else {
    for (const f of r.findings) items.push(`<li>${esc(f)}</li>`);
  }
  return items.length ? `<ul>${items.join('')}</ul>` : '<span class="muted">nothing to report</span>';
}

export function renderReport(verb: FleetVerb, result: FleetResult, options: { cwd: string; generatedAt: string; toolVersion: string; warnDays?: number }): string {
  const warnDays = options.warnDays ?? 30;
  const s = result.summary;
  const sorted = [...result.results].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.config.localeCompare(b.config));
  const rows = sorted
    .map(
      (r) => `<tr class="row-${r.status}">
<td class="nowrap"><code>${esc(displayPath(r.config, options.cwd))}</code></td>
<td>${esc(r.tenant ?? '')}</td>
<td class="id"><code>${esc(r.appId ?? '')}</code></td>
<td class="${r.status}">${esc(statusText(r, verb))}</td>
${daysCell(r, warnDays)}
<td>${details(r, verb)}</td>
</tr>`,
    )
    .join('\n');
  const title = `entra-portal ${verb}: ${s.total} config${s.total === 1 ? '' : 's'}`;
  const cards =
    verb === 'test-portal'
      ? [['passed', s.inSync + s.changed, 'ok'], ['checks failed', s.drift, 'drift'], ['failed', s.failed, 'failed']]
      : [['in sync', s.inSync, 'ok'], ['applied', s.changed, 'ok'], ['drift', s.drift, 'drift'], ['failed', s.failed, 'failed']];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1b1f24; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
.meta { color: #57606a; margin-bottom: 1.25rem; }
.cards { display: flex; gap: .75rem; margin-bottom: 1.25rem; flex-wrap: wrap; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.card b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d0d7de; padding: .45rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td ul { margin: 0; padding-left: 1.1rem; }
code { font-size: 12.5px; }
td.nowrap, td.ok, td.drift, td.failed { white-space: nowrap; }
td.id code { word-break: break-all; }
.ok { color: #1a7f37; font-weight: 600; }
.drift { color: #9a6700; font-weight: 600; }
.failed { color: #cf222e; font-weight: 600; }
.remedy { color: #57606a; }
.muted { color: #8c959f; }
tr.row-failed { background: #fff5f5; }
tr.row-drift { background: #fffbea; }
@media print { body { margin: 0; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<div class="meta">generated ${esc(options.generatedAt)} by entra-portal ${esc(options.toolVersion)} · exit code ${result.exitCode}</div>
<div class="cards">${cards.map(([name, n, cls]) => `<div class="card"><b class="${n ? cls : 'muted'}">${n}</b>${esc(name)}</div>`).join('')}</div>
<table>
<thead><tr><th>config</th><th>tenant</th><th>application</th><th>result</th><th>certificate</th><th>${verb === 'test-portal' ? 'failed checks and warnings' : 'what differs'}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
