/**
 * The emulator state: a snapshot file (`<state>.json`, the whole state as of a generation, written
 * atomically: temporary file + fsync + rename + directory fsync) and an append-only journal beside it
 * (journal.ts: one line per commit holding only the records that commit changed, fdatasync'ed before
 * the change is answered). A commit so costs what it changes; the journal is folded into a new
 * snapshot once it outgrows the snapshot (amortised: a compaction per "snapshot size" of changes) and
 * when the emulator stops cleanly, so a stopped emulator leaves one self-contained JSON file.
 * Concurrent commits are grouped: a commit that arrives while a write is in flight waits for the next
 * write, which carries every change made until then.
 * A kill -9 at any point leaves the snapshot old-or-new and the journal's acknowledged lines intact.
 * A corrupt file is an error naming the file, never a silent reset.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { InputError, LockedError, OperationError } from '../errors.js';
import { stableGuid, TABLE_KINDS, Tenant } from './directory.js';
import { ensureFirstParty, seedTenant } from './seed.js';
import { Journal, readJournal, type JournalContents, type JournalOp } from './journal.js';
import { makeServerCert, stillValid } from './tls.js';
import { generatePki, signingOf, usePki, type StatePki } from './pki.js';
import type { EmulatorPki, StateFile, TenantMeta, TenantState } from './types.js';
import { makeDirectory, readRegularFile, writeFileAtomic } from '../util/fs.js';
import { acquireLock, type FileLock } from '../config/lock.js';
import { systemClock } from '../context.js';

export const DEFAULT_TENANTS = ['contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);

/** A journal is folded into a new snapshot once it is larger than this and than the snapshot. */
export const COMPACT_MIN_BYTES = 1 << 20;

type FileFields = Omit<StateFile, 'tenants'>;

export class Store {
  readonly tenants = new Map<string, Tenant>();
  private readonly byDomain = new Map<string, Tenant>();
  private saving: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private lock: FileLock | undefined;
  private journal: Journal | undefined;
  /** tenants not yet in any snapshot or journal line */
  private readonly unsaved = new Set<Tenant>();
  /** the file-level fields (PKI) changed since the last commit */
  private fileChanged = false;
  /** what the journal needs before its next line: a new header, or a torn tail cut off */
  private journalFix: { reset: true } | { truncate: number } | undefined;
  /** the next commit writes a snapshot (new state, or one without stateId) */
  private snapshotDue = false;
  /** commits in the journal since the snapshot */
  private journalled = 0;
  private snapshotBytes = 0;
  /** measured by the benchmark: bytes written by commits so far */
  bytesWritten = 0;

  private constructor(
    readonly path: string | undefined,
    readonly file: FileFields,
    tenants: Tenant[],
  ) {
    for (const t of tenants) this.add(t);
  }

  /** the journal size below which it is never folded into a snapshot */
  private compactMinBytes = COMPACT_MIN_BYTES;

  /** `pki`: key material for a new state (an existing state file keeps its own). */
  static async open(path: string | undefined, pki?: EmulatorPki | string, compactMinBytes = COMPACT_MIN_BYTES, purpose?: string): Promise<Store> {
    let loaded: StateFile | undefined;
    let lock: FileLock | undefined;
    let journal: JournalContents | undefined;
    let snapshotBytes = 0;
    if (path) {
      await makeDirectory(dirname(path));
      lock = await lockState(path, purpose);
      try {
        const read = await readState(path);
        loaded = read?.data;
        snapshotBytes = read?.bytes ?? 0;
        if (loaded?.stateId) journal = await readJournal(journalPath(path), { state: loaded.stateId, generation: loaded.generation ?? 0 }, MAX_STATE_BYTES);
      } catch (err) {
        await lock.release();
        throw err;
      }
    }
    let fresh = false;
    if (!loaded) {
      loaded = { format: 'entra-portal-emulator-state', version: 1, ...(pki ? usePki(pki) : freshPki(path === undefined)), tenants: [] };
      fresh = true;
    }
    const { tenants, ...rest } = loaded;
    const file: FileFields = { ...rest, stateId: rest.stateId ?? randomUUID(), generation: rest.generation ?? 0 };
    const states = replay(tenants, journal?.ops ?? [], file);
    const store = new Store(path, file, states.map((t) => new Tenant(t)));
    store.lock = lock;
    store.compactMinBytes = compactMinBytes;
    store.snapshotBytes = snapshotBytes;
    for (const t of store.tenants.values()) {
      ensureFirstParty(t); // derived, deterministic: nothing to write for it
      for (const table of t.tables()) table.settle();
    }
    if (path) {
      store.journal = new Journal(journalPath(path));
      store.snapshotDue = fresh || !loaded.stateId;
      store.journalled = journal?.ops.length ?? 0;
      if (!journal || journal.status !== 'match') store.journalFix = { reset: true };
      else if (journal.torn) store.journalFix = { truncate: journal.validBytes };
      store.journal.bytes = journal?.validBytes ?? 0;
    }
    if (!store.file.signing.certPem) {
      // states from before the JWKS carried x5c: certify the same key (the kid changes once)
      store.file.signing = signingOf(store.file.signing.keyPem);
      store.fileChanged = true;
    }
    if (!stillValid(store.file.server.certPem)) {
      store.file.server = makeServerCert(store.file.ca, store.file.server.keyPem);
      store.fileChanged = true;
    }
    for (const d of DEFAULT_TENANTS) if (!store.find(d)) store.addNew(seedTenant(d));
    if (fresh || store.fileChanged || store.unsaved.size > 0) await store.commit();
    return store;
  }

  private add(t: Tenant): void {
    this.tenants.set(t.id, t);
    this.byDomain.set(t.domain.toLowerCase(), t);
  }

  private addNew(t: Tenant): void {
    this.add(t);
    this.unsaved.add(t);
  }

  /**
   * By tenant id or domain, case-insensitive. `adfs` names the first tenant: an ADFS-style authority
   * (`<emulator>/adfs`) is how the Azure CLI signs in to a custom cloud without instance discovery
   * (MSAL for Python skips it only for ADFS authorities; docs/emulator.md "Azure CLI").
   */
  find(idOrDomain: string): Tenant | undefined {
    const k = idOrDomain.toLowerCase();
    if (k === 'adfs') return this.byDomain.get(DEFAULT_TENANTS[0]!);
    return this.tenants.get(k) ?? this.byDomain.get(k);
  }

  async ensure(idOrDomain: string): Promise<Tenant> {
    const found = this.find(idOrDomain);
    if (found) return found;
    if (!/^[0-9a-zA-Z-.]+$/.test(idOrDomain)) throw new InputError(`not a tenant id or domain: '${idOrDomain}'`);
    const t = isGuid(idOrDomain)
      ? seedTenant(`tenant-${idOrDomain.slice(0, 8).toLowerCase()}.onmicrosoft.com`, idOrDomain.toLowerCase())
      : seedTenant(idOrDomain.toLowerCase(), stableGuid(idOrDomain));
    this.addNew(t);
    await this.commit();
    return t;
  }

  snapshot(): StateFile {
    return { ...this.file, tenants: [...this.tenants.values()].map((t) => t.toState()) };
  }

  /** Resolves once every change made before the call is on disk. */
  commit(): Promise<void> {
    if (!this.path) {
      this.drain(); // nothing to write; keep the change marks from growing
      return Promise.resolve();
    }
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

  /** The changes since the last commit, as journal operations (values serialised now). */
  private drain(): JournalOp[] {
    const ops: JournalOp[] = [];
    if (this.fileChanged) {
      const { ca, server, signing } = this.file;
      ops.push(['', 'file', '', { ca, server, signing }]);
      this.fileChanged = false;
    }
    for (const t of this.tenants.values()) {
      const isNew = this.unsaved.delete(t);
      if (isNew || t.metaChanged) ops.push([t.id, 'tenant', '', t.meta()]);
      t.metaChanged = false;
      for (const table of t.tables()) {
        if (isNew) table.touchAll();
        for (const [key, value] of table.drain()) ops.push([t.id, table.kind, key, value ?? null]);
      }
    }
    return ops;
  }

  private async write(): Promise<void> {
    const journal = this.journal!;
    if (this.snapshotDue || journal.bytes > Math.max(this.compactMinBytes, this.snapshotBytes)) return this.compact();
    const ops = this.drain();
    if (ops.length === 0) return;
    const fix = this.journalFix;
    this.journalFix = undefined;
    if (fix && 'reset' in fix) await journal.reset(this.header());
    else if (fix) await journal.truncateTo(fix.truncate);
    const before = journal.bytes;
    await journal.append(ops);
    this.bytesWritten += journal.bytes - before;
    this.journalled++;
  }

  /** Writes the whole state as a new snapshot (generation + 1), then starts an empty journal. */
  private async compact(): Promise<void> {
    this.drain(); // everything is in the snapshot
    const generation = (this.file.generation ?? 0) + 1;
    const text = JSON.stringify({ ...this.snapshot(), generation });
    await writeFileAtomic(this.path!, text, 0o600);
    this.file.generation = generation;
    this.snapshotDue = false;
    this.snapshotBytes = Buffer.byteLength(text);
    this.bytesWritten += this.snapshotBytes;
    this.journalled = 0;
    this.journalFix = undefined;
    await this.journal!.reset(this.header());
  }

  private header(): { state: string; generation: number } {
    return { state: this.file.stateId!, generation: this.file.generation ?? 0 };
  }

  async close(): Promise<void> {
    while (this.saving || this.pending) await (this.pending ?? this.saving);
    if (this.path && this.journal) {
      // a clean stop leaves one self-contained snapshot (readers of the file need no journal)
      if (this.journalled > 0 || this.snapshotDue) await this.compact();
      await this.journal.close();
    }
    if (this.lock) {
      const lock = this.lock;
      this.lock = undefined;
      await lock.release();
    }
  }
}

export const journalPath = (statePath: string): string => `${statePath}.journal`;

/** The snapshot's tenants with the journal's commits applied, oldest first. */
function replay(tenants: TenantState[], commits: JournalOp[][], file: FileFields): TenantState[] {
  if (commits.length === 0) return tenants;
  const keyOf = (kind: string, r: Record<string, unknown>) => String(kind === 'secrets' ? r.keyId : r.id);
  const byId = new Map<string, { meta: TenantMeta; tables: Map<string, Map<string, unknown>> }>();
  for (const t of tenants) {
    const tables = new Map<string, Map<string, unknown>>();
    for (const kind of TABLE_KINDS) {
      const rows = ((t as unknown as Record<string, unknown[] | undefined>)[kind] ?? []) as Record<string, unknown>[];
      tables.set(kind, new Map(rows.map((r) => [keyOf(kind, r), r])));
    }
    const meta = { ...t } as Record<string, unknown>;
    for (const kind of TABLE_KINDS) delete meta[kind];
    byId.set(t.id, { meta: meta as unknown as TenantMeta, tables });
  }
  for (const ops of commits) {
    for (const [tid, kind, key, value] of ops) {
      if (kind === 'file') {
        Object.assign(file, value as object);
        continue;
      }
      if (kind === 'tenant') {
        const cur = byId.get(tid);
        if (cur) cur.meta = value as TenantMeta;
        else byId.set(tid, { meta: value as TenantMeta, tables: new Map(TABLE_KINDS.map((k) => [k, new Map()])) });
        continue;
      }
      const table = byId.get(tid)?.tables.get(kind);
      if (!table) continue; // a table of a later version: not ours to interpret
      if (value === null) table.delete(key);
      else table.set(key, value);
    }
  }
  return [...byId.values()].map(({ meta, tables }) => {
    const state = { ...meta } as Record<string, unknown>;
    for (const [kind, rows] of tables) state[kind] = [...rows.values()];
    return state as unknown as TenantState;
  });
}

let memoryPki: StatePki | undefined;

/** A new CA, server certificate and signing key; in-memory emulators of one process share one set (faster tests). */
function freshPki(inMemory: boolean): StatePki {
  if (inMemory && memoryPki) return memoryPki;
  const { ca, server, signing } = generatePki();
  const pki = { ca, server, signing: signingOf(signing.keyPem, signing.certPem) };
  if (inMemory) memoryPki = pki;
  return pki;
}

/** Far above any real state (thousands of applications are a few MiB), far below a memory problem. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

async function readState(path: string): Promise<{ data: StateFile; bytes: number } | undefined> {
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
  if ((data.stateId !== undefined && typeof data.stateId !== 'string') || (data.generation !== undefined && !Number.isInteger(data.generation))) {
    throw corrupt(path, 'stateId or generation of the wrong type');
  }
  return { data, bytes: Buffer.byteLength(text) };
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
async function lockState(path: string, purpose: string | undefined): Promise<FileLock> {
  try {
    return await acquireLock(path, { clock: systemClock, timeoutMs: 0, ...(purpose ? { purpose } : {}) });
  } catch (err) {
    if (!(err instanceof LockedError)) throw err;
    const holder = err.holder;
    const who =
      holder?.pid === process.pid && holder.host === hostname()
        ? 'already open in this process'
        : `in use by ${holder?.purpose === 'emulator' ? 'a running entra-portal emulator' : 'another entra-portal run'} (process ${holder?.pid ?? 'unknown'})`;
    throw new LockedError(`the emulator state file ${path} is ${who}`, {
      code: 'emulator-state-locked',
      lockPath: err.lockPath,
      ...(holder ? { holder } : {}),
      cause: err,
      remedy: `stop the other emulator (or CLI run) first; remove ${err.lockPath} if that process is gone`,
    });
  }
}

