/**
 * apply against the embedded emulator with `latency=50` (every request, the token's included):
 *  - a no-op `apply --what-if`: HTTP round trips and wall time, vs the floor = a fresh token + one
 *    Graph round trip on an identical session (target: ≤ 2 round trips after the token: one $batch, then the grants and app-role assignments);
 *  - a full registration from scratch: its round trips and writes.
 * Session start-up (the emulator's TLS set-up) is outside both timings. Medians of a few runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type Context } from '../src/context.js';
import { loadConfig } from '../src/config/index.js';
import { openSession, type Session as GraphSession } from '../src/session.js';
import { graphCall } from '../src/graph/request.js';
import { apply } from '../src/cmdlets/apply.js';
import type { BenchRow } from './run.js';
import { median } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FAULTS = 'latency=50';

const CONFIG = {
  version: 1,
  region: 'Emulator',
  tenant: 'contoso.onmicrosoft.com',
  application: { name: 'Veeam Restore Portal', uniqueName: 'veeam-restore-portal', multiTenant: false },
  portal: { url: 'https://portal.abc.com:4443', restApiPort: 4443 },
};

const sink = { write: () => true };
function ctxFor(dir: string): Context {
  return createContext({ cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', ENTRA_PORTAL_EMULATOR_FAULTS: FAULTS }, stderr: sink, stdout: sink, verbosity: 'quiet' });
}

const graphTrips = (s: GraphSession) => (s.emulator?.requests ?? []).filter((r) => r.path.startsWith('/v1.0') && !(r as { inBatch?: boolean }).inBatch);

async function withSession<T>(dir: string, fn: (s: GraphSession, ctx: Context) => Promise<T>): Promise<T> {
  const ctx = ctxFor(dir);
  const s = await openSession(await loadConfig(join(dir, 'entra-portal.json5')), ctx);
  try {
    return await fn(s, ctx);
  } finally {
    await s.close();
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-portal-bench-apply-'));
  try {
    const config = join(dir, 'entra-portal.json5');
    await writeFile(config, JSON.stringify(CONFIG, null, 2));

    const registration = await withSession(dir, async (s, ctx) => {
      const t0 = performance.now();
      await apply({ config, session: s }, ctx);
      const ms = performance.now() - t0;
      const trips = graphTrips(s);
      return { ms, trips: trips.length, writes: trips.filter((r) => r.write).length };
    });

    const noop: number[] = [];
    const floor: number[] = [];
    let noopTrips = 0;
    for (let i = 0; i < RUNS; i++) {
      await withSession(dir, async (s, ctx) => {
        const t0 = performance.now();
        const r = await apply({ config, session: s, whatIf: true }, ctx);
        noop.push(performance.now() - t0);
        if (!r.inSync) throw new Error('the no-op run was not in sync');
        noopTrips = graphTrips(s).length;
      });
      await withSession(dir, async (s) => {
        const t0 = performance.now();
        await s.credential.getToken(s.endpoints.scope);
        await graphCall(s, { method: 'GET', path: `/applications?$top=1&$select=id` });
        floor.push(performance.now() - t0);
      });
    }
    const n = median(noop);
    const f = median(floor);
    return [
      { name: 'no-op apply --what-if: round trips', value: `${noopTrips}`, note: `after the token; target ≤ 2 ${noopTrips <= 2 ? '✓' : '✗'}` },
      { name: 'no-op apply --what-if: wall time', value: `${n.toFixed(0)} ms`, note: `median of ${RUNS}, latency=50` },
      { name: 'floor (token + 1 round trip)', value: `${f.toFixed(0)} ms`, note: `no-op / floor = ${(n / f).toFixed(2)}×` },
      { name: 'registration from scratch', value: `${registration.trips} round trips`, note: `${registration.writes} writes, ${registration.ms.toFixed(0)} ms` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
