/**
 * Emulator throughput and footprint. GETs: the emulator (from source) in a
 * process of its own, driven by a light load generator in another process (bench/https-load.ts:
 * keep-alive, 8 connections, bounded), against a bare node:https server answering the same JSON
 * body under the same generator, rounds interleaved: the ratio of the two medians is the finding,
 * the absolute rate depends on the machine. Per round, the server process's CPU time per request
 * (/proc) is read too: 1 / that cost is the rate of one core, less sensitive to what else runs.
 * Also: creations per second (in memory, and durable with a state file) and the heap held by a
 * tenant of 10,000 applications. Loopback only; nothing here fails on a time.
 *   EMULATOR_BENCH_CPU_PROF=<dir>     profiles the emulator process (node --cpu-prof)
 *   EMULATOR_BENCH_BASELINE=<root>    also measures another checkout's emulator in the same rounds
 *                                     (e.g. `git archive <commit> src | tar -x -C /tmp/base`, node_modules linked)
 *   BENCH_ROUNDS=<n>                  rounds (default 3)
 */
import { request, Agent } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './run.js';
import { spawnEmulatorServer, type SpawnedEmulator } from './emulator-server.js';
import { runLoad } from './https-load.js';
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** A bare node:https server in its own process answering `body` to every request: the ceiling here. */
async function spawnBare(body: string): Promise<{ url: string; ca: string; pid: number; stop: () => void }> {
  const { makeCa, makeServerCert } = await import('../src/emulator/tls.js');
  const ca = makeCa();
  const tls = makeServerCert(ca);
  const code = `const b=process.env.B;const s=require('node:https').createServer({cert:process.env.C,key:process.env.K,keepAliveTimeout:5000},(q,r)=>{q.resume();q.on('end',()=>{r.writeHead(200,{'Content-Type':'application/json','Content-Length':Buffer.byteLength(b)});r.end(b)})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, B: body, C: tls.certPem, K: tls.keyPem } });
  const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { url: `https://127.0.0.1:${port}`, ca: ca.certPem, pid: child.pid!, stop: () => child.kill() };
}

const CONNECTIONS = 8;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const LOAD = { connections: CONNECTIONS, warmup: 2000, requests: 40_000, maxSeconds: 4 };

interface Side {
  name: string;
  url: string;
  ca: string;
  path: string;
  headers: Record<string, string>;
  pid: number;
  /** checks a timed run's last body */
  check: (body: string) => void;
  rates: number[];
  /** server CPU µs per request, per round */
  cpu: number[];
}

async function operatorToken(h: Pick<EmulatorHandle, 'url' | 'caPem' | 'tenants'>): Promise<string> {
  const t = h.tenants[0]!;
  const { ClientSecretCredential } = await import('@azure/identity');
  const credential = new ClientSecretCredential(t.id, t.operator.clientId, t.operator.clientSecret, { authorityHost: h.url, disableInstanceDiscovery: true, tlsOptions: { ca: h.caPem } });
  return (await credential.getToken(`${h.url}/.default`)).token;
}

/** An application to read, and the GET side that reads it. */
async function getSide(name: string, emu: SpawnedEmulator): Promise<Side & { token: string; sample: unknown }> {
  const h = { url: emu.url, caPem: emu.caPem, tenants: emu.tenants } as EmulatorHandle;
  const token = await operatorToken(h);
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: h.caPem });
  try {
    const app = (await call(h, agent, token, 'POST', '/v1.0/applications', { displayName: 'bench' })).json as { appId: string };
    const path = `/v1.0/applications(appId='${app.appId}')`;
    const sample = await call(h, agent, token, 'GET', path);
    if (sample.status !== 200) throw new Error(`GET answered ${sample.status}`);
    const check = (body: string) => {
      if ((JSON.parse(body) as { appId?: string }).appId !== app.appId) throw new Error(`${name}: a GET answered another body`);
    };
    return { name, url: h.url, ca: h.caPem, path, headers: { Authorization: `Bearer ${token}` }, pid: emu.pid, check, rates: [], cpu: [], token, sample: sample.json };
  } finally {
    agent.destroy();
  }
}

async function measure(side: Side): Promise<void> {
  const r = await runLoad({ ...LOAD, url: side.url, ca: side.ca, path: side.path, headers: side.headers, serverPid: side.pid });
  if (r.statuses['200'] !== r.requests) throw new Error(`${side.name} answered ${JSON.stringify(r.statuses)}`);
  side.check(r.sampleBody);
  side.rates.push(r.perSecond);
  if (r.serverCpuSeconds !== undefined) side.cpu.push((r.serverCpuSeconds / r.requests) * 1e6);
}

const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // EMULATOR_BENCH_CPU_PROF=<dir>: the emulator process writes a .cpuprofile there when it stops.
  // EMULATOR_BENCH_BASELINE=<checkout root with node_modules>: that checkout's emulator is measured
  // in the same rounds (before/after comparisons from one run).
  const emu = await spawnEmulatorServer(process.env.EMULATOR_BENCH_CPU_PROF ? { cpuProfDir: process.env.EMULATOR_BENCH_CPU_PROF } : {});
  const baselineDir = process.env.EMULATOR_BENCH_BASELINE;
  const base = baselineDir ? await spawnEmulatorServer({ source: baselineDir }) : undefined;
  const h = { url: emu.url, caPem: emu.caPem, tenants: emu.tenants } as EmulatorHandle;
  try {
    const side = await getSide('emulator', emu);
    const baseSide = base ? await getSide(`baseline emulator (${baselineDir})`, base) : undefined;
    const bodyText = JSON.stringify(side.sample);
    const bare = await spawnBare(bodyText);
    const bareSide: Side = { name: 'bare node:https', url: bare.url, ca: bare.ca, path: side.path, headers: side.headers, pid: bare.pid, check: () => {}, rates: [], cpu: [] };

    // Interleaved rounds (emulator, [baseline,] bare, …) under the same load generator; medians.
    // Two measures per round: the rate the load generator saw, and the server process's CPU time per
    // request over the timed requests (/proc), i.e. what one request costs the server; 1 / that cost
    // is the rate one core would sustain, whatever else the machine (or the generator) was doing.
    try {
      for (let r = 0; r < ROUNDS; r++) {
        await measure(side);
        if (baseSide) await measure(baseSide);
        await measure(bareSide);
      }
    } finally {
      bare.stop();
      await base?.stop();
    }
    const getRate = median(side.rates);
    const bareRate = median(bareSide.rates);
    const load = `load generator in its own process: ${CONNECTIONS} keep-alive connections, 1 request in flight on each, ≤ ${LOAD.requests} requests or ${LOAD.maxSeconds} s per round after ${LOAD.warmup} warm-up`;
    rows.push({
      name: 'GET /applications(appId=…) per s',
      value: getRate.toFixed(0),
      note: `target ≥ 2,000/s: ${getRate >= 2000 ? '✓' : '✗'}; emulator (from source) in its own process; ${load}; median of ${ROUNDS} rounds (${list(side.rates)})`,
    });
    if (baseSide) rows.push({ name: 'baseline emulator GET per s', value: median(baseSide.rates).toFixed(0), note: `${baselineDir}, same rounds (${list(baseSide.rates)})` });
    rows.push({
      name: 'bare node:https, same load, per s',
      value: bareRate.toFixed(0),
      note: `the ceiling: the same ${Buffer.byteLength(bodyText)}-byte JSON body, fixed; rounds interleaved with the emulator's (${list(bareSide.rates)})`,
    });
    rows.push({ name: 'emulator / bare node:https (rate)', value: `${((getRate / bareRate) * 100).toFixed(0)}%`, note: 'medians of the same run' });
    if (side.cpu.length > 0 && bareSide.cpu.length > 0) {
      const ec = median(side.cpu);
      const bc = median(bareSide.cpu);
      rows.push({
        name: 'emulator CPU per GET',
        value: `${ec.toFixed(0)} µs`,
        note: `server process user+system time over the timed requests (${list(side.cpu)}): one core sustains ~${(1e6 / ec).toFixed(0)}/s; target ≥ 2,000/s: ${1e6 / ec >= 2000 ? '✓' : '✗'}`,
      });
      if (baseSide && baseSide.cpu.length > 0) {
        const b0 = median(baseSide.cpu);
        rows.push({ name: 'baseline emulator CPU per GET', value: `${b0.toFixed(0)} µs`, note: `same measure (${list(baseSide.cpu)}); emulator / baseline: ${(ec / b0).toFixed(2)}×` });
      }
      rows.push({ name: 'bare node:https CPU per GET', value: `${bc.toFixed(0)} µs`, note: `same measure (${list(bareSide.cpu)}): ~${(1e6 / bc).toFixed(0)}/s per core` });
      rows.push({ name: 'emulator / bare node:https (cost)', value: `${(ec / bc).toFixed(2)}×`, note: 'CPU per request, medians of the same run' });
    }

    const token = side.token;
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: h.caPem });
    const creates = 500;
    const start = performance.now();
    for (let i = 0; i < creates; i++) {
      const r = await call(h, agent, token, 'POST', '/v1.0/applications', { displayName: `bench-${i}` });
      if (r.status !== 201) throw new Error(`POST answered ${r.status}`);
    }
    const createRate = creates / ((performance.now() - start) / 1000);
    rows.push({ name: 'POST /applications per s', value: createRate.toFixed(0), note: `in-memory state, ${creates} sequential creations on one keep-alive connection (node:https client)` });
    agent.destroy();

    const posts = await runLoad({
      connections: CONNECTIONS,
      warmup: 200,
      requests: 3000,
      maxSeconds: 4,
      url: h.url,
      ca: h.caPem,
      path: '/v1.0/applications',
      method: 'POST',
      headers: { ...side.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ displayName: 'bench-load' }),
      serverPid: emu.pid,
    });
    if (posts.statuses['201'] !== posts.requests) throw new Error(`POSTs answered ${JSON.stringify(posts.statuses)}`);
    const postCpu = posts.serverCpuSeconds === undefined ? '' : `; server CPU ${((posts.serverCpuSeconds / posts.requests) * 1e6).toFixed(0)} µs per creation`;
    rows.push({
      name: 'POST /applications per s (load generator)',
      value: posts.perSecond.toFixed(0),
      note: `in-memory state, ${posts.requests} creations, the GETs' load generator (${CONNECTIONS} connections)${postCpu}`,
    });
  } finally {
    await emu.stop();
    await base?.stop();
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

  // Durable writes at scale: a commit appends what it changed to the journal (src/emulator/journal.ts),
  // so its cost does not grow with the state. 5,000 applications, then sequential PATCHes.
  const big = await mkdtemp(join(tmpdir(), 'emulator-bench-'));
  const d = await startEmulator({ statePath: join(big, 'state.json') });
  try {
    const token = await tokenFor(d, d.tenants[0]!);
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: d.caPem });
    const n = 5000;
    const ids: string[] = [];
    for (let i = 0; i < n; i += 8) {
      const made = await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, j) => call(d, agent, token, 'POST', '/v1.0/applications', { displayName: `scale-${i + j}` })));
      ids.push(...made.map((r) => (r.json as { id: string }).id));
    }
    const journal = join(big, 'state.json.journal');
    const before = (await stat(journal)).size;
    const patches = 100;
    const start = performance.now();
    for (let i = 0; i < patches; i++) await call(d, agent, token, 'PATCH', `/v1.0/applications/${ids[(i * 37) % n]}`, { notes: `n${i}` });
    const ms = (performance.now() - start) / patches;
    const grown = (await stat(journal)).size - before;
    const snapshot = (await stat(join(big, 'state.json'))).size;
    rows.push({
      name: `durable PATCH at ${n} applications`,
      value: `${ms.toFixed(1)} ms`,
      note: `${grown > 0 ? (grown / patches / 1024).toFixed(1) : '?'} KiB appended per commit (the snapshot is ${(snapshot / 1024 / 1024).toFixed(1)} MiB; a whole-file rewrite per commit wrote all of it)`,
    });
    agent.destroy();
  } finally {
    await d.stop();
    await rm(big, { recursive: true, force: true });
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
    m.requests.length = 0; // the request log is not tenant state (and is bounded: requestLogLimit)
    gc();
    const delta = process.memoryUsage().heapUsed - before;
    rows.push({ name: 'heap for 10,000 applications', value: `${(delta / 1024 / 1024).toFixed(1)} MiB`, note: `${((delta / n) / 1024).toFixed(1)} KiB per application (full Graph shape)` });
    agent.destroy();
  } finally {
    await m.stop();
  }
  return rows;
}
