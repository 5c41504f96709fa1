/**
 * A Map of directory records that remembers which keys changed since the last commit, so that a
 * durable commit writes only those (store.ts, journal.ts). `set` and `delete` mark a key; a record
 * changed in place must be marked with `touch` (the handlers do so right where they change it).
 */
export class Table<T> extends Map<string, T> {
  /** keys changed since `drain()`; undefined while the constructor's super() fills the map */
  private changed: Set<string> | undefined;

  constructor(
    readonly kind: string,
    entries?: Iterable<readonly [string, T]>,
  ) {
    super(entries);
    this.changed = new Set();
  }

  override set(key: string, value: T): this {
    super.set(key, value);
    this.changed?.add(key);
    return this;
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had) this.changed?.add(key);
    return had;
  }

  /** Marks a record changed in place. */
  touch(key: string): void {
    if (this.has(key)) this.changed?.add(key);
  }

  /** Marks every record (a new tenant: everything is to be written). */
  touchAll(): void {
    for (const k of this.keys()) this.changed?.add(k);
  }

  /** The changes since the last drain, as [key, current value or undefined when deleted]. */
  drain(): [string, T | undefined][] {
    if (!this.changed || this.changed.size === 0) return [];
    const out: [string, T | undefined][] = [...this.changed].map((k) => [k, this.get(k)]);
    this.changed.clear();
    return out;
  }

  /** Forgets the marks (after loading, the records are already on disk). */
  settle(): void {
    this.changed?.clear();
  }
}
