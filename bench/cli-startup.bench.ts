/**
 * Start-up: every verb's own overhead against a bare `node -e 0`, measured in the same run,
 * interleaved. The target (at most 2× bare node) is judged on the process's own CPU time (user +
 * system, start-up included): on a machine shared with other work, wall time measures the others'
 * load as much as ours. Each figure is the mean of the middle half of its runs (bench/util.ts
 * middleMean; "±" is the spread of that middle half), median wall times beside it. bin/ runs the
 * bundled build (scripts/bundle.mjs): `npm run bench` builds it first.
 *
 * "Own overhead" is the run without network and without key generation (those are benched
 * elsewhere: apply.bench.ts, certs.bench.ts): the edit verbs do their whole job (load, lock,
 * validate, atomic write); install-cert selects a certificate already in the store; apply and
 * test-portal run on a config that names no application and no portal, so they stop where the first
 * request would go (apply: before the sign-in; test-portal: every network check skipped). emulator
 * and demo are network and key generation by nature: their parsing and help are what is measured.
 * Two rows repeat a verb with ENTRA_PORTAL_CODE_CACHE=off: what the build's V8 code cache buys.
 * The last row is the sign-in libraries alone, which apply and test-portal load at their first request.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.js';
import { measureProcess, median, middleMean, spreadPercent, timeProcess } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = join(root, 'bin', 'entra-portal.js');
const TARGET = 2;

interface Case {
  name: string;
  /** the arguments of run i (alternating values make every edit a real change) */
  argv: (i: number) => string[];
  /** the folder it runs in, under the bench's own */
  cwd: string;
  expect?: number;
  env?: Record<string, string>;
}

export default async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'entra-portal-bench-'));
  try {
    const at = (name: string) => {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const edit = at('edit');
    const run = (args: string[], cwd: string, expect = 0) => timeProcess([bin, ...args], cwd, expect);
    // a config pinning an application, with a portal URL and a certificate in the store (for
    // install-cert --thumbprint and consent-url; the key is generated once, here)
    run(['set-app', '--app-id', '4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5c', '--multi-tenant', '--tenant', 'contoso.onmicrosoft.com'], edit);
    run(['set-portal-url', 'https://portal.abc.com:4443'], edit);
    run(['install-cert', '--generate'], edit);
    const thumbprint = /thumbprint: '([0-9A-F]{40})'/.exec(readFileSync(join(edit, 'entra-portal.json5'), 'utf8'))![1]!;
    // a config that names no application and no portal: apply and test-portal stop before the network
    const empty = at('empty');
    writeFileSync(join(empty, 'entra-portal.json5'), "{ version: 1, tenant: 'contoso.onmicrosoft.com' }\n");

    const guid = (i: number) => `4c0c2a11-5d3b-4f6e-9a7b-0d1e2f3a4b5${i % 2}`;
    const cases: Case[] = [
      { name: 'entra-portal --help', argv: () => ['--help'], cwd: dir },
      { name: 'entra-portal --version', argv: () => ['--version'], cwd: dir },
      { name: 'new-app', argv: (i) => ['new-app', '--name', `Bench ${i % 2}`, '--quiet'], cwd: at('new') },
      { name: 'set-app', argv: (i) => ['set-app', '--app-id', guid(i), '--quiet'], cwd: at('set') },
      { name: 'set-portal-url', argv: (i) => ['set-portal-url', `https://portal${i % 2}.abc.com:4443`, '--quiet'], cwd: edit },
      { name: 'install-cert --thumbprint', argv: () => ['install-cert', '--thumbprint', thumbprint, '--quiet'], cwd: edit },
      { name: 'add-customer', argv: (i) => ['add-customer', '--tenant', `customer${i % 2}.onmicrosoft.com`, '--quiet'], cwd: edit },
      { name: 'consent-url', argv: () => ['consent-url', '--tenant', 'fabrikam.onmicrosoft.com'], cwd: edit },
      { name: 'apply (up to the sign-in)', argv: () => ['apply', '--what-if', '--quiet'], cwd: empty, expect: 65 },
      { name: 'test-portal (no network)', argv: () => ['test-portal', '--quiet'], cwd: empty, expect: 2 },
      { name: 'set-app, code cache off', argv: (i) => ['set-app', '--app-id', guid(i), '--quiet'], cwd: at('set'), env: { ENTRA_PORTAL_CODE_CACHE: 'off' } },
      { name: 'test-portal, code cache off', argv: () => ['test-portal', '--quiet'], cwd: empty, expect: 2, env: { ENTRA_PORTAL_CODE_CACHE: 'off' } },
      { name: 'emulator --help', argv: () => ['emulator', '--help'], cwd: dir },
      { name: 'demo --help', argv: () => ['demo', '--help'], cwd: dir },
    ];
    const libraries = ['--input-type=module', '-e', "await import('@azure/identity'); await import('@microsoft/microsoft-graph-client')"];

    // warm the file system cache once
    timeProcess(['-e', '0'], dir);
    for (const c of cases) run(c.argv(1), c.cwd, c.expect ?? 0);
    const bare: { wallMs: number; cpuMs: number }[] = [];
    const times = cases.map(() => [] as { wallMs: number; cpuMs: number }[]);
    const signIn: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(measureProcess(['-e', '0'], dir));
      cases.forEach((c, k) => times[k]!.push(measureProcess([bin, ...c.argv(i)], c.cwd, c.expect ?? 0, c.env)));
      signIn.push(measureProcess(libraries, root));
    }
    const cpu = (xs: { cpuMs: number }[]) => middleMean(xs.map((x) => x.cpuMs));
    const spread = (xs: { cpuMs: number }[]) => `±${(spreadPercent(xs.map((x) => x.cpuMs)) / 2).toFixed(0)}%`;
    const wall = (xs: { wallMs: number }[]) => median(xs.map((x) => x.wallMs));
    const b = cpu(bare);
    const rows: BenchRow[] = [
      { name: 'node -e 0', value: `${b.toFixed(1)} ms CPU ${spread(bare)}`, note: `${wall(bare).toFixed(0)} ms wall; ${RUNS} interleaved runs each, CPU = mean of the middle half` },
    ];
    for (const [k, c] of cases.entries()) {
      const m = cpu(times[k]!);
      const ratio = m / b;
      rows.push({
        name: c.name,
        value: `${m.toFixed(1)} ms CPU ${spread(times[k]!)}`,
        note: `${ratio.toFixed(2)}× bare node${c.env ? '' : ` (target ≤ ${TARGET}×) ${ratio <= TARGET ? '✓' : '✗'}`}   wall ${wall(times[k]!).toFixed(0)} ms, ${(wall(times[k]!) / wall(bare)).toFixed(2)}×`,
      });
    }
    const s = cpu(signIn);
    rows.push({ name: 'sign-in libraries', value: `${s.toFixed(0)} ms CPU`, note: `${(s / b).toFixed(2)}× bare node: @azure/identity and the Graph SDK, loaded at apply's and test-portal's first request` });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
