/**
 * Start-up cost of the CLI: median wall time of `entra-portal --help` and of a `set-portal-url`
 * edit, against a bare `node -e 0`, in the same run (target: --help ≤ 2× bare node). Heavy modules
 * (@azure/identity, the Graph client, ajv, the JSON5 editor) must stay off the --help path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.js';
import { median, timeProcess } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const bin = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'bin', 'entra-portal.js');

export default async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'entra-portal-bench-'));
  try {
    // warm the file system cache once
    timeProcess(['-e', '0'], dir);
    timeProcess([bin, '--help'], dir);
    const bare: number[] = [];
    const help: number[] = [];
    const edit: number[] = [];
    // interleaved, so a noisy moment hits all three alike
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeProcess(['-e', '0'], dir));
      help.push(timeProcess([bin, '--help'], dir));
      edit.push(timeProcess([bin, 'set-portal-url', `https://portal${i % 2}.abc.com:4443`, '--quiet'], dir));
    }
    const b = median(bare);
    const h = median(help);
    const e = median(edit);
    const ratio = h / b;
    return [
      { name: 'node -e 0', value: `${b.toFixed(0)} ms`, note: `median of ${RUNS}` },
      { name: 'entra-portal --help', value: `${h.toFixed(0)} ms`, note: `${ratio.toFixed(2)}× bare node (target ≤ 2×) ${ratio <= 2 ? '✓' : '✗'}` },
      { name: 'entra-portal set-portal-url', value: `${e.toFixed(0)} ms`, note: `${(e / b).toFixed(2)}× bare node (edit: load, lock, validate, atomic write)` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
