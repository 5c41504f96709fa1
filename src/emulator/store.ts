/**
 * The emulator state: one JSON file (issue 3, "State and faults"), written atomically
 * (temporary file + fsync + rename + directory fsync) after every committed change, before the
 * change is answered. Concurrent commits are grouped: a commit that arrives while a write is in
 * flight waits for the next write, which carries every change made until then.
 * A corrupt file is an error naming the file, never a silent reset.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, OperationError } from '../errors.js';
import { seedTenant, stableGuid, Tenant } from './directory.js';
import { makeServerCert, stillValid } from './tls.js';
import { generatePki, usePki, type StatePki } from './pki.js';
import type { EmulatorPki, StateFile } from './types.js';
import { readRegularFile, writeFileAtomic } from '../util/fs.js';
import { acquireLock, type FileLock } from '../config/lock.js';
import { systemClock } from '../context.js';

export const DEFAULT_TENANTS = ['contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);

export class Store {
  readonly tenants = new Map<string, Tenant>();
  private readonly byDomain = new Map<string, Tenant>();
  private saving: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private lock: FileLock | undefined;

  private constructor(
    readonly path: string | undefined,
    readonly file: Omit<StateFile, 'tenants'>,
    tenants: Tenant[],
  ) {
    for (const t of tenants) this.add(t);
  }

  /** `pki`: key material for a new state (an existing state file keeps its own). */
  static async open(path: string | undefined, pki?: EmulatorPki | string): Promise<Store> {
    let loaded: StateFile | undefined;
    let lock: FileLock | undefined;
    if (path) {
      await mkdir(dirname(path), { recursive: true });
      lock = await lockState(path);
      try {
        loaded = await readState(path);
      } catch (err) {
        await lock.release();
        throw err;
      }
    }
    let dirty = false;
    if (!loaded) {
      loaded = { format: 'entra-portal-emulator-state', version: 1, ...(pki ? usePki(pki) : freshPki(path === undefined)), tenants: [] };
      dirty = true;
    } else if (!stillValid(loaded.server.certPem)) {
      loaded.server = makeServerCert(loaded.ca, loaded.server.keyPem);
      dirty = true;
    }
    const { tenants, ...rest } = loaded;
    const store = new Store(path, rest, tenants.map((t) => new Tenant(t)));
    store.lock = lock;
    for (const d of DEFAULT_TENANTS) if (!store.find(d)) (store.add(seedTenant(d)), (dirty = true));
    if (dirty) await store.commit();
    return store;
  }

  private add(t: Tenant): void {
    this.tenants.set(t.id, t);
    this.byDomain.set(t.domain.toLowerCase(), t);
  }

  /** By tenant id or domain, case-insensitive. */
  find(idOrDomain: string): Tenant | undefined {
    const k = idOrDomain.toLowerCase();
    return this.tenants.get(k) ?? this.byDomain.get(k);
  }

  async ensure(idOrDomain: string): Promise<Tenant> {
    const found = this.find(idOrDomain);
    if (found) return found;
    if (!/^[0-9a-zA-Z-.]+$/.test(idOrDomain)) throw new InputError(`not a tenant id or domain: '${idOrDomain}'`);
    const t = isGuid(idOrDomain)
      ? seedTenant(`tenant-${idOrDomain.slice(0, 8).toLowerCase()}.onmicrosoft.com`, idOrDomain.toLowerCase())
      : seedTenant(idOrDomain.toLowerCase(), stableGuid(idOrDomain));
    this.add(t);
    await this.commit();
    return t;
  }

  snapshot(): StateFile {
    return { ...this.file, tenants: [...this.tenants.values()].map((t) => t.toState()) };
  }

  /** Resolves once every change made before the call is on disk. */
  commit(): Promise<void> {
    if (!this.path) return Promise.resolve();
    if (!this.saving) {
      this.saving = this.write().finally(() => (this.saving = undefined));
      return this.saving;
    }
    // a write is in flight and may have serialised the state before this change: queue one more
    this.pending ??= this.saving.then(() => {
      this.pending = undefined;
      return this.commit();
    });
    return this.pending;
  }

  private async write(): Promise<void> {
    await writeFileAtomic(this.path!, JSON.stringify(this.snapshot()), 0o600);
  }

  async close(): Promise<void> {
    while (this.saving || this.pending) await (this.pending ?? this.saving);
    if (this.lock) {
      const lock = this.lock;
      this.lock = undefined;
      await lock.release();
    }
  }
}

let memoryPki: StatePki | undefined;

/** A new CA, server certificate and signing key; in-memory emulators of one process share one set (faster tests). */
function freshPki(inMemory: boolean): StatePki {
  if (inMemory && memoryPki) return memoryPki;
  const { ca, server, signing } = generatePki();
  const pki = { ca, server, signing: { kid: signing.kid!, keyPem: signing.keyPem } };
  if (inMemory) memoryPki = pki;
  return pki;
}

/** Far above any real state (thousands of applications are a few MiB), far below a memory problem. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

async function readState(path: string): Promise<StateFile | undefined> {
  let text: string;
  try {
    // the emulator's own file: a link, a FIFO or a device there was put by someone else
    text = (await readRegularFile(path, { maxBytes: MAX_STATE_BYTES, what: 'the emulator state file', noFollow: true })).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof InputError) throw err;
    throw new OperationError(`cannot read the emulator state file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let data: StateFile;
  try {
    data = JSON.parse(text) as StateFile;
  } catch (err) {
    throw corrupt(path, (err as Error).message);
  }
  if (data?.format !== 'entra-portal-emulator-state' || data.version !== 1) throw corrupt(path, 'not an entra-portal emulator state (format/version)');
  if (!Array.isArray(data.tenants) || !data.ca?.certPem || !data.signing?.keyPem || !data.server?.certPem) throw corrupt(path, 'missing ca, server, signing or tenants');
  return data;
}

function corrupt(path: string, why: string): InputError {
  return new InputError(`the emulator state file ${path} is corrupt: ${why}`, {
    code: 'emulator-state-corrupt',
    remedy: `move it aside (or delete it) to start from a fresh emulator state: ${path}`,
  });
}

/**
 * One emulator per state file: the same `<file>.lock` as config edits (src/config/lock.ts — pid and
 * host, stale when its process is gone, a half-written lock judged by age), without waiting: a
 * second emulator (or CLI run) is told at once. The embedded session waits and retries itself.
 */
async function lockState(path: string): Promise<FileLock> {
  try {
    return await acquireLock(path, { clock: systemClock, timeoutMs: 0 });
  } catch (err) {
    if (!(err instanceof OperationError) || err.code !== 'config-locked') throw err;
    const holder = /held by pid (\d+)/.exec(err.message)?.[1];
    const who = holder === String(process.pid) ? 'already open in this process' : `in use by process ${holder ?? 'unknown'}`;
    throw new OperationError(`the emulator state file ${path} is ${who}`, {
      code: 'emulator-state-locked',
      remedy: `stop the other emulator (or CLI run) first; remove ${path}.lock if that process is gone`,
    });
  }
}

