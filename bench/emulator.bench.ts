/**
 * Emulator throughput and footprint (issue 3, "Benchmark"): GET /applications(appId=…) per second
 * and application creations per second on one keep-alive connection, and the heap held by a tenant
 * of 10,000 applications. Bounded loops, loopback only, state in memory.
 */
import { request, Agent } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './run.js';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import { tokenFor } from '../test/helpers/emulator.js';

function call(h: EmulatorHandle, agent: Agent, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const url = new URL(path, h.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  (runInNewContext('gc') as () => void)();
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const h = await startEmulator();
  try {
    const t = h.tenants[0]!;
    const token = await tokenFor(h, t);
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: h.caPem });
    const app = (await call(h, agent, token, 'POST', '/v1.0/applications', { displayName: 'bench' })).json as { appId: string };

    const gets = 3000;
    for (let i = 0; i < 200; i++) await call(h, agent, token, 'GET', `/v1.0/applications(appId='${app.appId}')`); // warm-up
    let start = performance.now();
    for (let i = 0; i < gets; i++) {
      const r = await call(h, agent, token, 'GET', `/v1.0/applications(appId='${app.appId}')`);
      if (r.status !== 200) throw new Error(`GET answered ${r.status}`);
    }
    const getRate = gets / ((performance.now() - start) / 1000);
    rows.push({ name: 'GET /applications(appId=…) per s', value: getRate.toFixed(0), note: `one keep-alive connection, ${gets} requests; target ≥ 2,000/s: ${getRate >= 2000 ? '✓' : '✗'}` });

    const creates = 500;
    start = performance.now();
    for (let i = 0; i < creates; i++) {
      const r = await call(h, agent, token, 'POST', '/v1.0/applications', { displayName: `bench-${i}` });
      if (r.status !== 201) throw new Error(`POST answered ${r.status}`);
    }
    const createRate = creates / ((performance.now() - start) / 1000);
    rows.push({ name: 'POST /applications per s', value: createRate.toFixed(0), note: `in-memory state, ${creates} creations` });
    agent.destroy();
  } finally {
    await h.stop();
  }

  // Creations with a state file: every answer waits for its atomic write (tmp + fsync + rename).
  const dir = await mkdtemp(join(tmpdir(), 'emulator-bench-'));
  const f = await startEmulator({ statePath: join(dir, 'state.json') });
  try {
    const token = await tokenFor(f, f.tenants[0]!);
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: f.caPem });
    const creates = 100;
    const start = performance.now();
    for (let i = 0; i < creates; i++) await call(f, agent, token, 'POST', '/v1.0/applications', { displayName: `durable-${i}` });
    const rate = creates / ((performance.now() - start) / 1000);
    rows.push({ name: 'POST /applications per s (state file)', value: rate.toFixed(0), note: `${creates} creations, each durable before its 201` });
    agent.destroy();
  } finally {
    await f.stop();
    await rm(dir, { recursive: true, force: true });
  }

  // Memory: a fresh emulator, heap before and after 10,000 applications (8 connections to fill it faster).
  gc();
  const m = await startEmulator();
  try {
    const t = m.tenants[0]!;
    const token = await tokenFor(m, t);
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: m.caPem });
    await call(m, agent, token, 'GET', '/v1.0/applications?$top=1');
    gc();
    const before = process.memoryUsage().heapUsed;
    const n = 10_000;
    for (let i = 0; i < n; i += 8) {
      await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, j) => call(m, agent, token, 'POST', '/v1.0/applications', { displayName: `mem-${i + j}` })));
    }
    m.requests.length = 0; // the request log is not tenant state
    gc();
    const delta = process.memoryUsage().heapUsed - before;
    rows.push({ name: 'heap for 10,000 applications', value: `${(delta / 1024 / 1024).toFixed(1)} MiB`, note: `${((delta / n) / 1024).toFixed(1)} KiB per application (full Graph shape)` });
    agent.destroy();
  } finally {
    await m.stop();
  }
  return rows;
}
