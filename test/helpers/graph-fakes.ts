/** Test doubles for the Graph layer's *own* unit tests: a virtual clock and a recording logger. */
import type { Clock, Logger } from '../../src/context.js';

export interface FakeClock extends Clock {
  /** every sleep, in ms, in order */
  sleeps: number[];
}

/** A clock whose sleep advances virtual time at once (no real waiting). */
export function fakeClock(start = Date.UTC(2026, 10, 27, 12, 0, 0)): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

export interface RecordingLogger extends Logger {
  lines: { level: string; message: string }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const rec = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, info: rec('info'), warn: rec('warn'), notice: rec('notice'), verbose: rec('verbose'), progress: rec('progress'), done: () => undefined };
}
