/**
 * Emulator throughput and footprint (issue 3, "Benchmark"): GET /applications(appId=…) per second
 * and application creations per second on one keep-alive connection (the emulator runs in its own
 * process, the built CLI: `npm run bench` builds first), durable creations with a state file, and the
 * heap held by a tenant of 10,000 applications. Bounded loops, loopback only.
 */
import { request, Agent } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
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

/** The emulator in its own process (the built CLI), so it has a core of its own, as in real use. */
async function spawnEmulator(): Promise<{ h: EmulatorHandle; stop: () => Promise<void> }> {
  const bin = fileURLToPath(new URL('../bin/entra-portal.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'emulator', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const doc = JSON.parse(line) as { url: string; caFile: string; tenants: EmulatorHandle['tenants'] };
  const caPem = await readFile(doc.caFile, 'utf8');
  const h = { url: doc.url, caFile: doc.caFile, caPem, tenants: doc.tenants } as EmulatorHandle;
  return {
    h,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** The same client loop against a bare node:https server (fixed JSON) in its own process: the ceiling here. */
async function bareHttpsRate(n: number): Promise<number> {
  const { makeCa, makeServerCert } = await import('../src/emulator/tls.js');
  const ca = makeCa();
  const tls = makeServerCert(ca);
  const code = `const s=require('node:https').createServer({cert:process.env.C,key:process.env.K},(q,r)=>{q.resume();q.on('end',()=>{const b='{"id":"x","appId":"y","displayName":"bench"}';r.writeHead(200,{'Content-Type':'application/json','Content-Length':b.length});r.end(b)})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, C: tls.certPem, K: tls.keyPem } });
  try {
    const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const h = { url: `https://127.0.0.1:${port}` } as EmulatorHandle;
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem });
    for (let i = 0; i < 200; i++) await call(h, agent, 'x', 'GET', '/');
    const start = performance.now();
    for (let i = 0; i < n; i++) await call(h, agent, 'x', 'GET', '/');
    agent.destroy();
    return n / ((performance.now() - start) / 1000);
  } finally {
    child.kill();
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { h, stop } = await spawnEmulator();
  try {
    const t = h.tenants[0]!;
    const { ClientSecretCredential } = await import('@azure/identity');
    const token = (
      await new ClientSecretCredential(t.id, t.operator.clientId, t.operator.clientSecret, { authorityHost: h.url, disableInstanceDiscovery: true, tlsOptions: { ca: h.caPem } }).getToken(`${h.url}/.default`)
    ).token;
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
    const bare = await bareHttpsRate(gets);
    rows.push({
      name: 'GET /applications(appId=…) per s',
      value: getRate.toFixed(0),
      note: `emulator in its own process, one keep-alive connection, ${gets} sequential requests; target ≥ 2,000/s: ${getRate >= 2000 ? '✓' : '✗'}; bare node:https on this machine now: ${bare.toFixed(0)}/s (${((getRate / bare) * 100).toFixed(0)}%)`,
    });

    const creates = 500;
    start = performance.now();
    for (let i = 0; i < creates; i++) {
      const r = await call(h, agent, token, 'POST', '/v1.0/applications', { displayName: `bench-${i}` });
      if (r.status !== 201) throw new Error(`POST answered ${r.status}`);
    }
    const createRate = creates / ((performance.now() - start) / 1000);
    rows.push({ name: 'POST /applications per s', value: createRate.toFixed(0), note: `in-memory state, ${creates} sequential creations` });
    agent.destroy();
  } finally {
    await stop();
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
