/**
 * Pacing of the reads Graph throttles hardest: reading an application with `$select=keyCredentials`
 * (the only way to get the certificates' key bytes) is limited to 150 requests a minute per tenant
 * (https://learn.microsoft.com/graph/api/application-get, "Get application"; likewise
 * application-list). One drift check makes one such read; a fleet of configs against one tenant
 * would make hundreds. Instead of collecting 429s, every session of this process draws from one
 * token bucket per tenant and waits when it is empty.
 */
import type { GraphSession } from './session.js';

export const KEY_CREDENTIAL_READS_PER_MINUTE = 150;

interface Bucket {
  tokens: number;
  at: number;
  /** a promise chain: waiters are served in order */
  queue: Promise<void>;
}

const buckets = new Map<string, Bucket>();

/** A GET of applications whose `$select` names keyCredentials. */
export function selectsKeyCredentials(method: string, path: string): boolean {
  if (method.toUpperCase() !== 'GET' || !/^\/?applications\b/i.test(path)) return false;
  const select = /[?&]\$select=([^&]*)/i.exec(path)?.[1];
  return !!select && decodeURIComponent(select).split(',').some((p) => p.trim().toLowerCase() === 'keycredentials');
}

/**
 * Take `count` tokens from the session's tenant bucket, waiting (on the session's clock) while it
 * is empty. The bucket holds a minute's allowance and refills continuously.
 */
export async function paceKeyCredentialReads(session: Pick<GraphSession, 'endpoints' | 'tenant' | 'ctx'>, count: number, perMinute = KEY_CREDENTIAL_READS_PER_MINUTE): Promise<void> {
  if (count <= 0) return;
  const { clock, log } = session.ctx;
  const key = `${session.endpoints.graph}|${session.tenant.toLowerCase()}`;
  let bucket = buckets.get(key);
  if (!bucket) buckets.set(key, (bucket = { tokens: perMinute, at: clock.now(), queue: Promise.resolve() }));
  const b = bucket;
  const turn = b.queue.then(async () => {
    const ratePerMs = perMinute / 60_000;
    let shown = false;
    for (;;) {
      const now = clock.now();
      b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * ratePerMs);
      b.at = now;
      if (b.tokens >= count) {
        b.tokens -= count;
        break;
      }
      const waitMs = Math.ceil((count - b.tokens) / ratePerMs);
      if (!shown && waitMs > 1000) {
        log.progress(`pacing certificate reads in tenant ${session.tenant}: Graph allows ${perMinute} a minute (next in ${Math.ceil(waitMs / 1000)} s)`);
        shown = true;
      }
      await clock.sleep(waitMs);
    }
    if (shown) log.done();
  });
  b.queue = turn.catch(() => undefined);
  await turn;
}

/** Forget every bucket (tests). */
export function resetPacing(): void {
  buckets.clear();
}
