/**
 * The Entra emulator (docs/emulator.md): a local, protocol-faithful Microsoft Graph v1.0 subset and
 * token service over HTTPS on loopback, for tests, the demo and `region: 'Emulator'`.
 *
 *   const emu = await startEmulator({ statePath, faults: 'throttle=0.2,retry-after=0' });
 *   // Graph root and login authority host: emu.url; token scope: `${emu.url}/.default`
 *   // trust: emu.caPem in-process, or NODE_EXTRA_CA_CERTS=emu.caFile for a child process
 *   await emu.stop();
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { readRegularFile, writeFileAtomic } from '../util/fs.js';
import { Engine } from './engine.js';
import { parseFaults } from './faults.js';
import { startRestoreApi } from './restore-api.js';
import { createHandler } from './server.js';
import { Store } from './store.js';
import type { Tenant } from './directory.js';
import type { EmulatorHandle, EmulatorOptions, EmulatorTenant } from './types.js';

export type { EmulatorClock, EmulatorHandle, EmulatorOptions, EmulatorPki, EmulatorTenant, RequestLogEntry, RestorePortalSettings } from './types.js';
export { parseFaults } from './faults.js';
export { generatePki } from './pki.js';

function publicTenant(t: Tenant): EmulatorTenant {
  return { id: t.id, domain: t.domain, operator: { ...t.operator }, unprivileged: { ...t.unprivileged } };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))]);
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}

/**
 * The CA file is rewritten only when its content changes (a run that only reads writes nothing), and
 * never through a link (writeFileAtomic refuses one: exit 65).
 */
async function writeIfChanged(path: string, text: string): Promise<void> {
  const same = await readRegularFile(path, { maxBytes: 64 * 1024, what: 'the emulator CA file', noFollow: true }).then(
    (b) => b.toString('utf8') === text,
    () => false,
  );
  if (!same) await writeFileAtomic(path, text, 0o644);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const faults = parseFaults(options.faults);
  const store = await Store.open(options.statePath, options.pki, options.compactBytes, options.lockPurpose);
  const servers: Server[] = [];
  let tempDir: string | undefined;
  try {
    for (const t of options.tenants ?? []) await store.ensure(t);
    const engine = new Engine(store, faults, options.tokenLifetimeSeconds ?? 3599, options.clock, options.requestLogLimit);
    if (options.deviceLogin) engine.deviceLogin = options.deviceLogin;
    const { ca, server: tls } = store.file;
    const handler = createHandler(engine);
    // The chain includes the CA so clients that only pin the CA still build a path.
    const tlsOptions = { cert: `${tls.certPem}${ca.certPem}`, key: tls.keyPem };
    // Keep idle connections much longer than clients do (undici: 4 s): when the server closes an
    // idle socket at the moment a client reuses it, the client sees "fetch failed" — with Node's 5 s
    // default that race was hit whenever a busy machine stretched a pause between two requests.
    // stop() closes every connection, so nothing waits on these.
    const keepAlive = (s: Server) => {
      s.keepAliveTimeout = 65_000;
      s.headersTimeout = 66_000;
      return s;
    };
    const v4 = keepAlive(createServer(tlsOptions, handler));
    servers.push(v4);
    engine.port = await listen(v4, options.port ?? 0, '127.0.0.1');
    // Best effort: `localhost` may resolve to ::1 first.
    const v6 = keepAlive(createServer(tlsOptions, handler));
    try {
      await listen(v6, engine.port, '::1');
      servers.push(v6);
    } catch {
      v6.close();
    }

    let caFile: string;
    if (options.statePath) {
      const p = options.statePath;
      caFile = join(dirname(p), `${basename(p, extname(p))}-ca.pem`);
    } else {
      tempDir = await mkdtemp(join(tmpdir(), 'entra-portal-emulator-'));
      caFile = join(tempDir, 'emulator-ca.pem');
    }
    await writeIfChanged(caFile, ca.certPem);

    let restore: Awaited<ReturnType<typeof startRestoreApi>> | undefined;
    if (options.restoreApi) {
      restore = await startRestoreApi(tls, ca.certPem, options.restoreApi.port, options.restoreApi.settings);
      servers.push(restore.server);
    }

    const handle: EmulatorHandle = {
      url: engine.url,
      caFile,
      caPem: ca.certPem,
      tenants: [...store.tenants.values()].map(publicTenant),
      requests: engine.requests,
      async ensureTenant(domainOrId) {
        const t = await store.ensure(domainOrId);
        if (!handle.tenants.some((x) => x.id === t.id)) handle.tenants.push(publicTenant(t));
        return publicTenant(t);
      },
      ...(restore ? { restoreApiUrl: restore.url } : {}),
      stop: async () => {
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((resolve) => {
                s.close(() => resolve());
                s.closeAllConnections();
              }),
          ),
        );
        await store.close();
        if (tempDir) await rm(tempDir, { recursive: true, force: true });
      },
    };
    return handle;
  } catch (err) {
    for (const s of servers) s.close();
    await store.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
}
