/**
 * Fault injection: `--faults` / ENTRA_PORTAL_EMULATOR_FAULTS,
 * comma-separated `name=value`:
 *   latency=<ms>           delay every request
 *   throttle=<0..1>        share of Graph requests (and $batch items) answered 429 + Retry-After
 *   unavailable=<0..1>     share answered 503 + Retry-After
 *   retry-after=<s>        the Retry-After sent with those (default 1)
 *   lag=<ms>               a new object 404s on reads and writes and is refused as a reference for this long
 *   grant-lag=<ms>         an oauth2PermissionGrant changed or deleted just now reads as before for this long
 *   drop-after-write=<n>   commit the n-th write, then destroy the socket without answering
 *   seed=<int>             reproducible draws
 *   key-reads=<n>          reads that $select keyCredentials allowed per tenant and minute (Graph's
 *                          documented limit, 150, is on by default; 0 turns it off)
 */
import { InputError } from '../errors.js';

export interface Faults {
  latency: number;
  throttle: number;
  unavailable: number;
  retryAfter: number;
  lag: number;
  grantLag: number;
  dropAfterWrite: number;
  seed: number | undefined;
  /** reads selecting keyCredentials allowed per tenant per minute; 0 = unlimited */
  keyReads: number;
}

/** Graph's limit on reads that select keyCredentials (https://learn.microsoft.com/graph/api/application-get). */
export const KEY_READS_PER_MINUTE = 150;

export const NO_FAULTS: Faults = { latency: 0, throttle: 0, unavailable: 0, retryAfter: 1, lag: 0, grantLag: 0, dropAfterWrite: 0, seed: undefined, keyReads: KEY_READS_PER_MINUTE };

export function parseFaults(spec: string | undefined): Faults {
  const f: Faults = { ...NO_FAULTS };
  if (!spec || !spec.trim()) return f;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z-]+)=(.+)$/.exec(part);
    const bad = (why: string) =>
      new InputError(`invalid emulator fault '${part}': ${why}`, {
        remedy: 'use e.g. latency=50,throttle=0.2,unavailable=0.1,retry-after=0,lag=5000,grant-lag=5000,drop-after-write=3,seed=7,key-reads=150',
      });
    if (!m) throw bad('expected name=value');
    const [, name, raw] = m as unknown as [string, string, string];
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw bad('expected a non-negative number');
    switch (name) {
      case 'latency':
        f.latency = n;
        break;
      case 'throttle':
      case 'unavailable':
        if (n > 1) throw bad('expected a share between 0 and 1');
        f[name] = n;
        break;
      case 'retry-after':
        f.retryAfter = n;
        break;
      case 'lag':
        f.lag = n;
        break;
      case 'grant-lag':
        f.grantLag = n;
        break;
      case 'drop-after-write':
        if (!Number.isInteger(n)) throw bad('expected a whole number');
        f.dropAfterWrite = n;
        break;
      case 'key-reads':
        if (!Number.isInteger(n)) throw bad('expected a whole number (0 turns the limit off)');
        f.keyReads = n;
        break;
      case 'seed':
        if (!Number.isInteger(n)) throw bad('expected a whole number');
        f.seed = n;
        break;
      default:
        throw bad('unknown fault (latency, throttle, unavailable, retry-after, lag, grant-lag, drop-after-write, seed, key-reads)');
    }
  }
  return f;
}

/** mulberry32: a small seeded PRNG so a `seed` gives the same sequence of draws. */
export function prng(seed: number | undefined): () => number {
  if (seed === undefined) return Math.random;
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
