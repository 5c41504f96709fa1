/**
 * `npm run bench`: runs every bench/*.bench.ts in one process, one after another, and prints
 * their rows. Targets are reported as ratios measured in the same run (machines are noisy);
 * nothing here fails a build.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchRow {
  name: string;
  value: string;
  /** e.g. "target ≤ 2× bare node: 1.6× ✓" */
  note?: string;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<BenchRow[]> };
  process.stdout.write(`\n## ${file.replace(/\.bench\.ts$/, '')}\n`);
  const rows = await mod.default();
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.value}${r.note ? `   ${r.note}` : ''}\n`);
}
