/**
 * Sessions shared by a fleet run: one Graph session (one HTTP agent, one token cache) per cloud,
 * tenant and sign-in, and one embedded emulator per folder of `region: 'Emulator'` configs (they
 * share its state, as separate runs would one after another). Each config's run borrows a session;
 * the pool closes everything at the end.
 */
import type { Context } from '../context.js';
import type { AuthMode } from '../cloud/auth-modes.js';
import type { EmulatorHandle } from '../emulator/index.js';
import type { GraphSession } from '../graph/session.js';
import type { OpenSessionOptions, Session, SessionConfig } from '../session.js';

export interface SessionPool {
  /**
   * The shared session for this config (opened on first use), as seen by one run: it logs and
   * waits through that run's context (its narration stays its own); its `close()` does nothing.
   */
  get(loaded: SessionConfig, runCtx?: Context): Promise<GraphSession>;
  /** close every session and emulator */
  close(): Promise<void>;
}

export interface SessionPoolOptions {
  auth?: AuthMode;
  propagationTimeout?: number;
}

/** What makes two configs share a session: the cloud (or the emulator's folder) and the tenant. */
export async function keyOf(loaded: SessionConfig): Promise<{ key: string; emulatorDir?: string }> {
  const { isEmulatorConfig, resolveEndpoints } = await import('../cloud/endpoints.js');
  const c = loaded.config;
  if (isEmulatorConfig(c)) return { key: `emulator|${loaded.dir}|${(c.tenant ?? '').toLowerCase()}`, emulatorDir: loaded.dir };
  const e = resolveEndpoints(c);
  return { key: `${e.graph}|${e.login}|${(c.tenant ?? '').toLowerCase()}` };
}

export function sessionPool(ctx: Context, options: SessionPoolOptions = {}): SessionPool {
  const sessions = new Map<string, Promise<Session>>();
  const emulators = new Map<string, Promise<EmulatorHandle>>();
  const open: OpenSessionOptions = {
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.propagationTimeout ? { propagationTimeout: options.propagationTimeout } : {}),
  };
  return {
    async get(loaded, runCtx) {
      const { key, emulatorDir } = await keyOf(loaded);
      let session = sessions.get(key);
      if (!session) {
        session = (async () => {
          const { openSession, startEmbeddedEmulator } = await import('../session.js');
          if (emulatorDir === undefined) return openSession(loaded, ctx, open);
          let emulator = emulators.get(emulatorDir);
          if (!emulator) emulators.set(emulatorDir, (emulator = startEmbeddedEmulator(emulatorDir, ctx)));
          return openSession(loaded, ctx, { ...open, emulator: await emulator });
        })();
        sessions.set(key, session);
        // a failed open is not cached: the next config retries (and reports its own failure)
        session.catch(() => sessions.delete(key));
      }
      const s = await session;
      return { ...s, ...(runCtx ? { ctx: runCtx } : {}), close: async () => {} };
    },
    async close() {
      const all = await Promise.allSettled([...sessions.values()]);
      for (const r of all) if (r.status === 'fulfilled') await r.value.close().catch(() => undefined);
      for (const e of await Promise.allSettled([...emulators.values()])) if (e.status === 'fulfilled') await e.value.stop().catch(() => undefined);
      sessions.clear();
      emulators.clear();
    },
  };
}
