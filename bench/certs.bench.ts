/**
 * Certificates: median time of generateSelfSigned at 2048 bits (≥ 5 runs) and 4096 bits (≥ 3 runs),
 * in-process, and of a whole `entra-portal install-cert --generate` CLI run at 2048 bits (a fresh
 * process: start-up, config load, key generation, store write, .cer, config edit), against the
 * target ≤ 0.3 s at 2048. A bare `node -e 0` in the same run shows the machine's floor.
 * RSA key generation is random: 4096-bit times scatter widely (prime search), hence medians.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSelfSigned, type KeySize } from '../src/certs/index.js';
import { startRsaKeyPair } from '../src/certs/keygen.js';
import type { BenchRow } from './run.js';
import { median, timeProcess } from './util.js';

const RUNS_2048 = Math.max(5, Number(process.env.BENCH_RUNS ?? 9));
const RUNS_4096 = Math.max(3, Math.ceil(RUNS_2048 / 2));
const TARGET_MS = 300;
const bin = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'bin', 'entra-portal.js');

const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const spread = (xs: number[]) => `min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))}, n=${xs.length}`;

async function timeGenerate(keySize: KeySize, runs: number): Promise<number[]> {
  await generateSelfSigned({ subject: 'CN=warm-up', keySize: 2048 }); // load forge once, outside the timings
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await generateSelfSigned({ subject: 'CN=Bench', keySize });
    out.push(performance.now() - t0);
  }
  return out;
}

/** The native floor: node:crypto's RSA key generation alone. */
async function timeKeygen(bits: number, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await startRsaKeyPair(bits);
    out.push(performance.now() - t0);
  }
  return out;
}

/** What generateSelfSigned adds to the key generation: building and signing the X.509 (key given). */
async function timeCertOnly(runs: number): Promise<number[]> {
  const pair = await startRsaKeyPair(2048);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await generateSelfSigned({ subject: 'CN=Bench', keyPair: Promise.resolve(pair) });
    out.push(performance.now() - t0);
  }
  return out;
}

export default async function bench(): Promise<BenchRow[]> {
  const g2048 = await timeGenerate(2048, RUNS_2048);
  const g4096 = await timeGenerate(4096, RUNS_4096);
  const k2048 = await timeKeygen(2048, RUNS_2048);
  const certOnly = await timeCertOnly(RUNS_2048);

  const dir = mkdtempSync(join(tmpdir(), 'entra-portal-bench-certs-'));
  const cli: number[] = [];
  const bare: number[] = [];
  const select: number[] = [];
  try {
    writeFileSync(join(dir, 'entra-portal.json5'), "{\n  version: 1,\n  application: { name: 'Bench Portal' },\n}\n");
    timeProcess([bin, 'install-cert', '--generate', '--quiet'], dir); // warm the file cache
    for (let i = 0; i < RUNS_2048; i++) {
      bare.push(timeProcess(['-e', '0'], dir));
      cli.push(timeProcess([bin, 'install-cert', '--generate', '--quiet'], dir));
      // the same run without key generation: start-up, config load, store read, .cer, config edit
      const t = /thumbprint: '([0-9A-F]{40})'/.exec(readFileSync(join(dir, 'entra-portal.json5'), 'utf8'))![1]!;
      select.push(timeProcess([bin, 'install-cert', '--thumbprint', t, '--quiet'], dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ok = (ms: number) => (ms <= TARGET_MS ? '✓' : '✗');
  const m2048 = median(g2048);
  const mCli = median(cli);
  return [
    { name: 'generateSelfSigned 2048 (median)', value: fmt(m2048), note: `target ≤ 0.3 s: ${ok(m2048)}  (${spread(g2048)})` },
    { name: 'generateSelfSigned 4096 (median)', value: fmt(median(g4096)), note: spread(g4096) },
    { name: 'crypto.generateKeyPair 2048 (median)', value: fmt(median(k2048)), note: `the native floor (prime search: times scatter) (${spread(k2048)})` },
    { name: 'X.509 build + sign, key given (median)', value: fmt(median(certOnly)), note: 'what generateSelfSigned adds to the key generation' },
    { name: 'node -e 0 (median)', value: fmt(median(bare)), note: 'the floor of any CLI run on this machine' },
    {
      name: 'install-cert --generate CLI 2048 (median)',
      value: fmt(mCli),
      note: `target ≤ 0.3 s: ${ok(mCli)}; ${(mCli / median(bare)).toFixed(1)}× bare node (${spread(cli)})`,
    },
    { name: 'install-cert --thumbprint CLI (median)', value: fmt(median(select)), note: `the same run without key generation (${spread(select)})` },
  ];
}
