/**
 * The errno-like code of a failed network call. Node's fetch reports every failure as
 * `TypeError: fetch failed` and hides the reason (ECONNRESET, ECONNREFUSED, an untrusted
 * certificate…) in `cause`, sometimes several levels deep.
 */
export function errnoOf(err: unknown): { errno: string; detail: string } {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const x = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof x.code === 'string' && x.code) return { errno: x.code, detail: String(x.message ?? x.code) };
    if (x.name === 'TimeoutError' || x.name === 'AbortError') return { errno: x.name, detail: String(x.message ?? '') };
    if (x.cause === undefined) break;
    e = x.cause;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { errno: 'ENETWORK', detail: msg };
}
