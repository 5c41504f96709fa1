/**
 * Fleets: 200 configs (region Emulator, one folder, spread over 20 tenants) with the emulator's
 * `latency=50` on every request:
 *  - one fleet drift check (`apply --what-if --detailed-exitcode -c '<dir>/*.json5'`) as one process,
 *    vs the same 200 drift checks as 200 sequential processes (target: fleet ≥ 8× faster);
 *  - the fleet process's peak RSS (target ≤ 300 MiB);
 *  - the same 200 configs in ONE tenant: Graph allows 150 reads that select keyCredentials a minute
 *    per tenant (the emulator enforces it too), so the fleet paces itself — no 429 may reach the user.
 * FLEET_BENCH_CONFIGS and FLEET_BENCH_SEQUENTIAL (how many of the sequential runs to time, the rest
 * extrapolated) shorten it on a slow machine; by default everything is measured.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.js';

const BIN = fileURLToPath(new URL('../bin/entra-portal.js', import.meta.url));
const MAXRSS_HOOK = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))';

interface Run {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
  maxRssKiB: number;
}

function run(args: string[], cwd: string, faults: string): Promise<Run> {
  const env = { PATH: process.env.PATH, HOME: cwd, XDG_DATA_HOME: join(cwd, '.xdg'), NO_COLOR: '1', ENTRA_PORTAL_EMULATOR_FAULTS: faults };
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', MAXRSS_HOOK, BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const maxRssKiB = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ ms, code: code ?? 1, stdout, stderr, maxRssKiB });
    });
  });
}

async function makeFleet(dir: string, configs: number, tenants: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < configs; i++) {
    const tenant = `tenant-${(i % tenants) + 1}.onmicrosoft.com`;
    await writeFile(
      join(dir, `c${String(i).padStart(3, '0')}.json5`),
      `{ version: 1, region: 'Emulator', tenant: '${tenant}', application: { name: 'Fleet ${i}', uniqueName: 'fleet-${i}', multiTenant: false }, portal: { url: 'https://p${i}.abc.com:4443', restApiPort: 4443 } }\n`,
    );
  }
}

export default async function fleetBench(): Promise<BenchRow[]> {
  const configs = Number(process.env.FLEET_BENCH_CONFIGS) || 200;
  const sequential = Math.min(configs, Number(process.env.FLEET_BENCH_SEQUENTIAL) || configs);
  const faults = 'latency=50';
  const root = await mkdtemp(join(tmpdir(), 'entra-portal-fleet-bench-'));
  try {
    const spread = join(root, 'spread');
    await makeFleet(spread, configs, 20);
    const register = await run(['apply', '-c', '*.json5', '--json'], spread, faults);
    if (register.code !== 0) throw new Error(`registering the fleet failed (${register.code}): ${register.stderr.slice(-2000)}`);

    const fleet = await run(['apply', '--what-if', '--detailed-exitcode', '-c', '*.json5', '--json'], spread, faults);
    const doc = JSON.parse(fleet.stdout) as { summary: { inSync: number; failed: number } };
    if (fleet.code !== 0 || doc.summary.inSync !== configs) throw new Error(`fleet drift check: exit ${fleet.code}, ${JSON.stringify(doc.summary)}`);

    let seqMs = 0;
    for (let i = 0; i < sequential; i++) {
      const r = await run(['apply', '--what-if', '--detailed-exitcode', '-c', `c${String(i).padStart(3, '0')}.json5`], spread, faults);
      if (r.code !== 0) throw new Error(`sequential run ${i}: exit ${r.code}: ${r.stderr.slice(-1000)}`);
      seqMs += r.ms;
    }
    const seqTotal = (seqMs / sequential) * configs;
    const speedup = seqTotal / fleet.ms;
    const rssMiB = fleet.maxRssKiB / 1024;

    // one tenant: more reads that select keyCredentials than Graph allows in a minute
    const one = join(root, 'one-tenant');
    await makeFleet(one, configs, 1);
    const oneRegister = await run(['apply', '-c', '*.json5'], one, faults);
    if (oneRegister.code !== 0) throw new Error(`registering the one-tenant fleet failed: ${oneRegister.stderr.slice(-2000)}`);
    // --verbose: every retry (a 429 answered by the emulator) is logged in that config's narration
    const paced = await run(['apply', '--what-if', '--detailed-exitcode', '-c', '*.json5', '--json', '--verbose'], one, faults);
    const pacedDoc = JSON.parse(paced.stdout) as { summary: { inSync: number; failed: number }; results: { log: string }[] };
    const narration = [paced.stderr, ...pacedDoc.results.map((r) => r.log)].join('\n');
    const throttled = narration.split('\n').filter((l) => /\b429\b|TooManyRequests|throttl/i.test(l)).length;

    return [
      { name: `fleet drift check, ${configs} configs / 20 tenants`, value: `${(fleet.ms / 1000).toFixed(1)} s`, note: `one process; latency=50` },
      {
        name: `${configs} sequential processes`,
        value: `${(seqTotal / 1000).toFixed(1)} s`,
        note: `${sequential === configs ? 'measured' : `${sequential} measured, extrapolated`}; fleet is ${speedup.toFixed(1)}× faster (target ≥ 8× ${speedup >= 8 ? '✓' : '✗'})`,
      },
      { name: 'fleet peak RSS', value: `${rssMiB.toFixed(0)} MiB`, note: `target ≤ 300 MiB ${rssMiB <= 300 ? '✓' : '✗'}` },
      {
        name: `${configs} configs in one tenant`,
        value: `${(paced.ms / 1000).toFixed(1)} s`,
        note: `paced under 150 keyCredentials reads a minute: exit ${paced.code}, ${pacedDoc.summary.inSync} in sync, ${throttled} 429s met (target 0 ${throttled === 0 && paced.code === 0 ? '✓' : '✗'})`,
      },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
