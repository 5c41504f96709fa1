/**
 * A small HTTPS load generator for the benches: its own process (so the server under test keeps a
 * core to itself), N keep-alive TLS connections to a loopback URL, one request in flight on each
 * (no pipelining), a fixed request replayed, responses framed by Content-Length only. It is
 * deliberately lighter than node:https's client so that the server, not the client, is the limit.
 *
 *   const r = await runLoad({ url, ca, path, headers, connections: 8, warmup: 1000, requests: 20000, maxSeconds: 5 });
 *
 * Bounded: at most `warmup + requests` requests and about `maxSeconds` of timed load.
 * Run as a script it reads a LoadConfig (JSON) from argv[2] and prints a LoadResult (JSON).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface LoadConfig {
  /** https://127.0.0.1:PORT (loopback only) */
  url: string;
  /** PEM the server's chain is checked against */
  ca: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** untimed requests first (connections, TLS, JIT) */
  warmup: number;
  /** timed requests at most */
  requests: number;
  /** timed load stops after this long even if `requests` are not done */
  maxSeconds: number;
  /** the server's process id: its CPU time over the timed requests is reported (Linux /proc) */
  serverPid?: number;
}

export interface LoadResult {
  /** timed requests completed */
  requests: number;
  seconds: number;
  perSecond: number;
  /** status code → count over the timed requests */
  statuses: Record<string, number>;
  /** mean time per request on one connection (ms) */
  meanLatencyMs: number;
  /** the last response body (for a sanity check by the caller) */
  sampleBody: string;
  /** CPU seconds (user + system) the server process spent over the timed requests, when known */
  serverCpuSeconds?: number;
}

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat (Linux; undefined elsewhere). */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the parenthesised command name: state is field 3, utime 14, stime 15 (clock ticks)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

// sysconf(_SC_CLK_TCK): 100 on every Linux Node supports
const CLOCK_TICKS = 100;

function requestBytes(c: LoadConfig, host: string): Buffer {
  const lines = [`${c.method ?? 'GET'} ${c.path} HTTP/1.1`, `Host: ${host}`, 'Connection: keep-alive'];
  for (const [k, v] of Object.entries(c.headers ?? {})) lines.push(`${k}: ${v}`);
  if (c.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(c.body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${c.body ?? ''}`, 'utf8');
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

/** One keep-alive TLS connection that replays `req` while `more()` says so, one response at a time. */
class Connection {
  private buf: Buffer = Buffer.alloc(0);
  private end = -1;
  private bodyAt = 0;
  private status = 0;
  private more: () => boolean = () => false;
  private onResponse: (status: number, body: Buffer) => void = () => {};
  private settle: ((err?: Error) => void) | undefined;

  private constructor(
    private readonly sock: TLSSocket,
    private readonly req: Buffer,
  ) {
    sock.on('data', (chunk: Buffer) => this.data(chunk));
    sock.on('error', (err) => this.settle?.(err));
    sock.on('close', () => this.settle?.(new Error('the server closed a keep-alive connection')));
  }

  static open(c: LoadConfig, req: Buffer): Promise<Connection> {
    const u = new URL(c.url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new Error(`loopback only: ${c.url}`);
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port: Number(u.port), ca: c.ca, ...(host === 'localhost' ? { servername: host } : {}) });
      sock.once('secureConnect', () => {
        sock.off('error', reject);
        resolve(new Connection(sock, req));
      });
      sock.once('error', reject);
    });
  }

  /** Sends requests back to back until `more()` is false; resolves after the last response. */
  run(more: () => boolean, onResponse: (status: number, body: Buffer) => void): Promise<void> {
    this.more = more;
    this.onResponse = onResponse;
    return new Promise((resolve, reject) => {
      this.settle = (err) => {
        this.settle = undefined;
        if (err) reject(err);
        else resolve();
      };
      this.next();
    });
  }

  close(): void {
    this.settle = undefined;
    this.sock.destroy();
  }

  private next(): void {
    if (this.more()) this.sock.write(this.req);
    else this.settle?.();
  }

  private data(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.end < 0) {
      const h = this.buf.indexOf(CRLF2);
      if (h < 0) return;
      const head = this.buf.toString('latin1', 0, h);
      this.status = Number(head.slice(9, 12));
      const m = CONTENT_LENGTH.exec(head);
      if (!m && this.status !== 204 && this.status !== 304) {
        this.settle?.(new Error(`a response without Content-Length: ${head.split('\r\n')[0]}`));
        return;
      }
      this.bodyAt = h + 4;
      this.end = this.bodyAt + (m ? Number(m[1]) : 0);
    }
    if (this.buf.length < this.end) return;
    const body = this.buf.subarray(this.bodyAt, this.end);
    this.buf = this.buf.subarray(this.end);
    this.end = -1;
    this.onResponse(this.status, body);
    this.next();
  }
}

export async function runLoadHere(c: LoadConfig): Promise<LoadResult> {
  const req = requestBytes(c, new URL(c.url).host);
  const conns = await Promise.all(Array.from({ length: c.connections }, () => Connection.open(c, req)));
  try {
    // warm-up (JIT on both sides, caches), untimed
    let left = c.warmup;
    await Promise.all(conns.map((k) => k.run(() => left-- > 0, () => {})));

    const statuses: Record<string, number> = {};
    let sampleBody: Buffer = Buffer.alloc(0);
    let completed = 0;
    left = c.requests;
    const cpuBefore = c.serverPid === undefined ? undefined : cpuSecondsOf(c.serverPid);
    const start = performance.now();
    const deadline = start + c.maxSeconds * 1000;
    const more = () => left-- > 0 && performance.now() < deadline;
    const onResponse = (status: number, body: Buffer) => {
      completed++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      sampleBody = body;
    };
    await Promise.all(conns.map((k) => k.run(more, onResponse)));
    const seconds = (performance.now() - start) / 1000;
    const cpuAfter = c.serverPid === undefined ? undefined : cpuSecondsOf(c.serverPid);
    return {
      ...(cpuBefore !== undefined && cpuAfter !== undefined ? { serverCpuSeconds: cpuAfter - cpuBefore } : {}),
      requests: completed,
      seconds,
      perSecond: completed / seconds,
      statuses,
      meanLatencyMs: (seconds * 1000 * c.connections) / Math.max(1, completed),
      sampleBody: Buffer.from(sampleBody).toString('utf8'),
    };
  } finally {
    for (const k of conns) k.close();
  }
}

const self = fileURLToPath(import.meta.url);

/** Runs the load in a child process (this file under tsx) and returns its result. */
export async function runLoad(c: LoadConfig): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), self, JSON.stringify(c)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(Buffer.concat(out).toString('utf8')) as LoadResult;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await runLoadHere(JSON.parse(process.argv[2]!) as LoadConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
