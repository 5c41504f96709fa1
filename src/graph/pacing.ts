/**
 * Pacing of the reads Graph throttles hardest: reading an application with `$select=keyCredentials`
 * (the only way to get the certificates' key bytes) is limited to 150 requests a minute per tenant
 * (https://learn.microsoft.com/graph/api/application-get, "Get application"; likewise
 * application-list). One drift check makes one such read; a fleet of configs against one tenant
 * would make hundreds. Instead of collecting 429s, every session of this process counts its reads
 * in one sliding window per tenant and waits when the last minute is full.
 */
import type { GraphSession } from './session.js';

export const KEY_CREDENTIAL_READS_PER_MINUTE = 150;

/** The reads of one tenant in the last minute (oldest first), and a queue so waiters take turns. */
interface Window {
  /** each read's time: when it was sent, then (once answered) when its answer came */
  times: { at: number }[];
  queue: Promise<void>;
}

const windows = new Map<string, Window>();
const MINUTE_MS = 60_000;

/** A GET of applications whose `$select` names keyCredentials. */
export function selectsKeyCredentials(method: string, path: string): boolean {
  if (method.toUpperCase() !== 'GET' || !/^\/?applications\b/i.test(path)) return false;
  const select = /[?&]\$select=([^&]*)/i.exec(path)?.[1];
  return !!select && decodeURIComponent(select).split(',').some((p) => p.trim().toLowerCase() === 'keycredentials');
}

/**
 * Make room for `count` reads in the session's tenant, waiting (on the session's clock) until no
 * minute would hold more than `perMinute` of them. A sliding window, not a token bucket: a bucket
 * would allow a full minute's burst and then more within the same 60 s, which a limit counted
 * over any minute refuses. Each read counts from the moment its answer came (call the returned
 * function then): Graph counts a read when it arrives, which under load can be well after it was
 * sent, so a window counted from the sending would let the next minute start too early.
 */
export async function paceKeyCredentialReads(session: Pick<GraphSession, 'endpoints' | 'tenant' | 'ctx'>, count: number, perMinute = KEY_CREDENTIAL_READS_PER_MINUTE): Promise<() => void> {
  if (count <= 0) return () => {};
  const { clock, log } = session.ctx;
  const key = `${session.endpoints.graph}|${session.tenant.toLowerCase()}`;
  let w = windows.get(key);
  if (!w) windows.set(key, (w = { times: [], queue: Promise.resolve() }));
  const win = w;
  const need = Math.min(count, perMinute);
  const mine: { at: number }[] = [];
  const turn = win.queue.then(async () => {
    let shown = false;
    for (;;) {
      const now = clock.now();
      // answered reads may have moved later than unanswered ones: keep the window in time order
      win.times.sort((x, y) => x.at - y.at);
      while (win.times.length > 0 && now - win.times[0]!.at >= MINUTE_MS) win.times.shift();
      if (win.times.length + need <= perMinute) {
        for (let i = 0; i < count; i++) mine.push({ at: now });
        win.times.push(...mine);
        break;
      }
      // wait until enough of the oldest reads have left the window
      const waitMs = Math.max(1, win.times[win.times.length + need - perMinute - 1]!.at + MINUTE_MS - now);
      if (!shown && waitMs > 1000) {
        log.progress(`pacing certificate reads in tenant ${session.tenant}: Graph allows ${perMinute} a minute (next in ${Math.ceil(waitMs / 1000)} s)`);
        shown = true;
      }
      await clock.sleep(waitMs);
    }
    if (shown) log.done();
  });
  win.queue = turn.catch(() => undefined);
  await turn;
  return () => {
    const now = clock.now();
    for (const m of mine) m.at = now;
  };
}

/** Forget every window (tests). */
export function resetPacing(): void {
  windows.clear();
}
