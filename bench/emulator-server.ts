/**
 * The emulator from source (not dist/) in a process of its own, for the emulator bench:
 * prints `{"url","caPem","tenants"}` as its first stdout line, runs until SIGTERM/SIGINT, then stops
 * and exits 0 (so `node --cpu-prof` writes its profile). argv[2]: an optional state file.
 * `source`: another checkout's root (with node_modules) whose src/emulator is run instead, e.g. a
 * baseline to compare with in the same bench run.
 *
 *   const emu = await spawnEmulatorServer({ cpuProfDir });   // emu.url, emu.caPem, emu.tenants, emu.stop()
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EmulatorTenant } from '../src/emulator/index.js';

export interface SpawnedEmulator {
  url: string;
  caPem: string;
  tenants: EmulatorTenant[];
  pid: number;
  stop(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);

export async function spawnEmulatorServer(options: { statePath?: string; cpuProfDir?: string; source?: string } = {}): Promise<SpawnedEmulator> {
  const prof = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  const args = [...prof, '--import', import.meta.resolve('tsx'), self, ...(options.statePath ? [options.statePath] : [])];
  const env = { ...process.env, ...(options.source ? { EMULATOR_BENCH_MODULE: pathToFileURL(join(resolve(options.source), 'src/emulator/index.ts')).href } : {}) };
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const doc = JSON.parse(line) as Omit<SpawnedEmulator, 'stop' | 'pid'>;
  return {
    ...doc,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { startEmulator } = (await import(process.env.EMULATOR_BENCH_MODULE ?? '../src/emulator/index.js')) as typeof import('../src/emulator/index.js');
  const h = await startEmulator(process.argv[2] ? { statePath: process.argv[2] } : {});
  const stop = async () => {
    await h.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.stdout.write(`${JSON.stringify({ url: h.url, caPem: h.caPem, tenants: h.tenants })}\n`);
}
