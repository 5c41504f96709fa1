/**
 * What every handler shares: the store, the faults and their random draws, the token-signing key,
 * the emulator's own origins (the accepted audiences) and the replication-lag clock.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Faults } from './faults.js';
import { prng } from './faults.js';
import type { Store } from './store.js';
import type { Tenant } from './directory.js';
import type { EmulatorClock, RequestLogEntry, VerifiedToken } from './types.js';

export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
export const wallClock: EmulatorClock = { now: () => Date.now() };

export class Engine {
  readonly signingKey: KeyObject;
  readonly verifyKey: KeyObject;
  readonly kid: string;
  /** standard base64 DER of the signing key's certificate (JWKS x5c) */
  readonly signingCertDer: string | undefined;
  readonly random: () => number;
  /** committed writes so far (drop-after-write counts them) */
  writes = 0;
  /**
   * Bumped before every Graph call that may change a stored object (any method but GET; see
   * runGraphCall): a serialised answer made at an older epoch is not reused (graph/query.ts).
   */
  epoch = 0;
  /** stored object → its last serialised GET answer (graph/query.ts entityResult) */
  readonly serializedAnswers = new Map<object, { epoch: number; ctx: string; body: Record<string, unknown>; text: string; bytes: number }>();
  /** top-level requests whose socket is destroyed after their commit (drop-after-write) */
  readonly dropRoots = new Set<string>();
  port = 0;
  /** the most recent log entries (see log()) */
  readonly requests: RequestLogEntry[] = [];
  private logged = 0;
  /** Authorization header values whose token verified → what the token establishes (graph/auth.ts) */
  readonly verifiedTokens = new Map<string, VerifiedToken>();
  /** the most recent entry of verifiedTokens (most calls repeat the previous caller's header) */
  lastToken: { authorization: string; facts: VerifiedToken } | undefined;
  /** pending device codes and issued refresh tokens (in memory: a restart signs users out) */
  readonly deviceCodes = new Map<string, { tenantId: string; clientId: string; scope: string; userCode: string; expires: number; userId?: string }>();
  readonly refreshTokens = new Map<string, { tenantId: string; clientId: string; userId: string }>();
  /** 'auto': a device code nobody signed in at /devicelogin is approved as the administrator */
  deviceLogin: 'auto' | 'manual' = 'auto';

  constructor(
    readonly store: Store,
    readonly faults: Faults,
    readonly tokenLifetime: number,
    /** directory time: lag, deleted items' retention, object timestamps (types.ts EmulatorClock) */
    readonly clock: EmulatorClock = wallClock,
    readonly requestLogLimit = DEFAULT_REQUEST_LOG_LIMIT,
  ) {
    this.signingKey = createPrivateKey(store.file.signing.keyPem);
    this.verifyKey = createPublicKey(this.signingKey);
    this.kid = store.file.signing.kid;
    const cert = store.file.signing.certPem;
    this.signingCertDer = cert ? new X509Certificate(cert).raw.toString('base64') : undefined;
    this.random = prng(faults.seed);
  }

  /** The canonical URL: the Graph root, the login authority host and the token audience. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Origins that name this emulator (clients may use localhost or [::1] as well). */
  private origins: string[] = [];
  ownOrigins(): string[] {
    if (!this.origins[0]?.endsWith(`:${this.port}`)) {
      this.origins = [`https://127.0.0.1:${this.port}`, `https://localhost:${this.port}`, `https://[::1]:${this.port}`];
    }
    return this.origins;
  }

  isOwnOrigin(s: string): boolean {
    return this.ownOrigins().includes(s.replace(/\/+$/, '').toLowerCase());
  }

  /** Host header → origin, for the few Host values clients send (reset when the port changes). */
  private readonly originByHost = new Map<string, string>();
  private originPort = -1;

  /** The origin a request addressed (from Host), falling back to the canonical URL. */
  originOf(host: string | undefined): string {
    if (!host) return this.url;
    if (this.originPort !== this.port || this.originByHost.size >= 64) {
      this.originByHost.clear();
      this.originPort = this.port;
    }
    let origin = this.originByHost.get(host);
    if (origin === undefined) {
      const o = `https://${host.toLowerCase()}`;
      origin = this.isOwnOrigin(o) ? o : this.url;
      this.originByHost.set(host, origin);
    }
    return origin;
  }

  /**
   * Appends to the request log. The array is trimmed to `requestLogLimit` entries once it exceeds
   * it by a quarter (amortised O(1) per entry; memory bounded by 1.25 × the limit).
   */
  log(entry: Omit<RequestLogEntry, 'seq'>): void {
    const e = { seq: ++this.logged, ...entry };
    const limit = this.requestLogLimit;
    if (limit <= 0) return;
    this.requests.push(e);
    if (this.requests.length > limit + (limit >> 2)) this.requests.splice(0, this.requests.length - limit);
  }

  /**
   * Replication lag: with the `lag` fault an object created just now is missing from every replica
   * for `lag` ms — reads 404, and so do writes addressed to it and references to it (Entra 404s a
   * PATCH or addPassword right after the POST). With `grant-lag`, an oauth2PermissionGrant changed or
   * deleted just now is served in its former version for that long (noteChanged).
   */
  noteCreated(tenant: Tenant, id: string): void {
    if (this.faults.lag <= 0) return;
    this.sweep(tenant);
    tenant.lagging.set(id, { until: this.clock.now() + this.faults.lag, before: null });
  }

  /** Forgets replications that are done (bounded memory for a long run with lag faults). */
  private sweep(tenant: Tenant): void {
    if (tenant.lagging.size < 256) return;
    for (const id of [...tenant.lagging.keys()]) this.pending(tenant, id);
  }

  /** A change to an existing grant: replicas serve `before` (a copy of it) for `grant-lag` ms. */
  noteChanged(tenant: Tenant, id: string, before: Record<string, unknown>): void {
    if (this.faults.grantLag <= 0) return;
    this.sweep(tenant);
    const pending = this.pending(tenant, id);
    // still pending: the replicas still serve the version before the first change
    tenant.lagging.set(id, { until: this.clock.now() + this.faults.grantLag, before: pending ? pending.before : structuredClone(before) });
  }

  /** The replication still pending for this object, if any. */
  pending(tenant: Tenant, id: string): { until: number; before: Record<string, unknown> | null } | undefined {
    const p = tenant.lagging.get(id);
    if (!p) return undefined;
    if (this.clock.now() >= p.until) {
      tenant.lagging.delete(id);
      return undefined;
    }
    return p;
  }

  /** False while a new object is still "replicating" (the `lag` fault). */
  visible(tenant: Tenant, id: string): boolean {
    const p = this.pending(tenant, id);
    return !p || p.before !== null;
  }

  /** The version of an object the replicas serve now: `current`, its former version, or none. */
  replicaView<T extends Record<string, unknown>>(tenant: Tenant, id: string, current: T | undefined): T | undefined {
    const p = this.pending(tenant, id);
    return p ? ((p.before ?? undefined) as T | undefined) : current;
  }
}
