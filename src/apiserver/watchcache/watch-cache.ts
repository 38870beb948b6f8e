/**
 * The API server's watch cache: an in-memory copy of every stored object, kept current by ONE store watch
 * over `/registry/`, with a ring of recent events per resource for watchers that resume from a
 * resourceVersion.
 *
 * Why one watch and not one per resource: a consistent read must wait until the cache has seen the
 * store's current revision. Revisions are global, so only a watch that sees every write can tell when the
 * cache has caught up (etcd's progress notifications play that part upstream).
 *
 * Contract:
 * - `start()` lists everything at one revision, then follows the store from it; `revision` is the newest
 *   revision applied. `waitFor(rev)` resolves once `revision >= rev`.
 * - `list(storage, namespace)` returns the objects of one resource (optionally one namespace) in key order,
 *   as of `revision`.
 * - `watch(storage, fromRv, w)` delivers, in order and without gaps, every event of that resource after
 *   `fromRv`; it throws `TooOld` when the ring no longer holds them (the caller falls back to the store).
 * - Delivery to watchers is synchronous and never waits for a reader: each watcher buffers and drops
 *   itself when it falls too far behind (see watcher.ts).
 */
import { ApiError } from '../../api/errors.js';
import type { Store, StoreError, Watch, WatchEvent } from '../../storage/store.js';
import { type CacheEvent, CachedObject } from './cached-object.js';

export interface CacheWatcher {
  /** Receives an event of the watched resource. */
  deliver(ev: CacheEvent): void;
  /** Called once when the cache stops (the watch must end). */
  terminate(reason: string): void;
}

export class TooOldError extends Error {}

const RING_CAPACITY = 10_000;

/** All cached state of one resource (one storage prefix). */
class ResourceCache {
  /** namespace → (key → object); '' holds cluster-scoped objects. */
  readonly byNamespace = new Map<string, Map<string, CachedObject>>();
  readonly byKey = new Map<string, CachedObject>();
  private ring: CacheEvent[] = [];
  private ringStart = 0;
  /** Events after this revision are all in the ring. */
  completeFrom: number;
  readonly watchers = new Set<CacheWatcher>();
  private sortedKeys?: Map<string, CachedObject[]>;

  constructor(startRev: number) {
    this.completeFrom = startRev;
  }

  put(o: CachedObject): CachedObject | undefined {
    const prev = this.byKey.get(o.key);
    this.byKey.set(o.key, o);
    let ns = this.byNamespace.get(o.namespace);
    if (!ns) this.byNamespace.set(o.namespace, (ns = new Map()));
    ns.set(o.key, o);
    if (!prev) this.sortedKeys = undefined;
    return prev;
  }

  remove(key: string): CachedObject | undefined {
    const prev = this.byKey.get(key);
    if (!prev) return undefined;
    this.byKey.delete(key);
    this.byNamespace.get(prev.namespace)?.delete(key);
    this.sortedKeys = undefined;
    return prev;
  }

  record(ev: CacheEvent): void {
    this.ring.push(ev);
    if (this.ring.length - this.ringStart > RING_CAPACITY) {
      this.completeFrom = this.ring[this.ringStart]!.rv;
      this.ringStart++;
      if (this.ringStart > RING_CAPACITY) {
        this.ring = this.ring.slice(this.ringStart);
        this.ringStart = 0;
      }
    }
    for (const w of this.watchers) w.deliver(ev);
  }

  eventsAfter(rv: number): CacheEvent[] {
    if (rv < this.completeFrom) throw new TooOldError(`too old resource version: ${rv} (${this.completeFrom})`);
    const out: CacheEvent[] = [];
    // Binary search for the first event with rev > rv.
    let lo = this.ringStart;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ring[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.ring.length; i++) out.push(this.ring[i]!);
    return out;
  }

  /** Objects in key order; `namespace` undefined means all. Sorted arrays are memoised until a key set change. */
  list(namespace: string | undefined): CachedObject[] {
    this.sortedKeys ??= new Map();
    const memoKey = namespace ?? '\u0000all';
    let arr = this.sortedKeys.get(memoKey);
    if (!arr) {
      const src = namespace === undefined ? this.byKey : this.byNamespace.get(namespace) ?? new Map<string, CachedObject>();
      const keys = [...src.keys()].sort();
      arr = keys.map((k) => src.get(k)!);
      this.sortedKeys.set(memoKey, arr);
      return arr;
    }
    // Objects may have been replaced since the memo: refresh by key.
    const src = namespace === undefined ? this.byKey : this.byNamespace.get(namespace)!;
    return arr.map((o) => src.get(o.key) ?? o);
  }
}

export class WatchCache {
  private readonly resources = new Map<string, ResourceCache>();
  revision = 0;
  private storeWatch?: Watch;
  private waiters: { rev: number; resolve: () => void }[] = [];
  private stopped = false;
  private failure?: string;
  /** Objects this API server just wrote, by key: their watch event reuses them instead of parsing again. */
  private readonly primed = new Map<string, CachedObject>();

  constructor(private readonly store: Store, private readonly prefix = '/registry/') {}

  async start(): Promise<void> {
    let cont: string | undefined;
    let rev = 0;
    const loaded: CachedObject[] = [];
    do {
      const page = await this.store.list(this.prefix, { limit: 5000, continue: cont, revision: rev || undefined });
      rev = page.revision;
      for (const kv of page.kvs) loaded.push(CachedObject.fromStore(kv.key, kv.value, kv.modRevision));
      cont = page.continue;
    } while (cont);
    this.revision = rev;
    for (const o of loaded) this.resource(storageOf(o.key)).put(o);
    this.storeWatch = this.store.watch(this.prefix, rev, (evs) => this.apply(evs), (err) => this.fail(err));
  }

  stop(): void {
    this.stopped = true;
    this.storeWatch?.close();
    for (const r of this.resources.values()) for (const w of r.watchers) w.terminate('the server is shutting down');
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private fail(err: StoreError): void {
    this.failure = err.message;
    for (const r of this.resources.values()) for (const w of [...r.watchers]) w.terminate(`watch cache failed: ${err.message}`);
    // Restart from scratch: re-list and follow again.
    if (this.stopped) return;
    this.resources.clear();
    setTimeout(() => { this.start().then(() => { this.failure = undefined; }, () => {}); }, 100).unref();
  }

  /** Undefined when healthy; otherwise why the cache cannot serve. */
  get unhealthy(): string | undefined {
    return this.failure;
  }

  private resource(storage: string): ResourceCache {
    let r = this.resources.get(storage);
    if (!r) this.resources.set(storage, (r = new ResourceCache(this.revision)));
    return r;
  }

  private apply(events: WatchEvent[]): void {
    for (const e of events) {
      const r = this.resource(storageOf(e.kv.key));
      const rev = e.kv.modRevision;
      const primed = this.primed.get(e.kv.key);
      if (primed && primed.rv <= rev) this.primed.delete(e.kv.key);
      if (e.type === 'put') {
        const o = primed?.rv === rev ? primed : CachedObject.fromStore(e.kv.key, e.kv.value, rev);
        const prev = r.put(o);
        r.record({ type: prev ? 'MODIFIED' : 'ADDED', object: o, prev, rv: rev });
      } else {
        const prev = r.remove(e.kv.key);
        const base = prev ?? (e.prev ? CachedObject.fromStore(e.kv.key, e.prev.value, e.prev.modRevision) : undefined);
        if (base) {
          const obj = { ...base.obj, metadata: { ...base.obj.metadata, resourceVersion: String(rev) } };
          r.record({ type: 'DELETED', object: new CachedObject(e.kv.key, obj, rev), prev: base, rv: rev });
        }
      }
      if (rev > this.revision) this.revision = rev;
    }
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.rev <= this.revision);
      this.waiters = this.waiters.filter((w) => w.rev > this.revision);
      for (const w of ready) w.resolve();
    }
  }

  /**
   * Offers the object just written at `o.rv` (which must not be changed any more): when its event
   * arrives, the cache takes it as is rather than parsing the stored bytes again.
   */
  prime(o: CachedObject): void {
    if (o.rv <= this.revision) return;
    if (this.primed.size > 10_000) this.primed.clear();
    this.primed.set(o.key, o);
  }

  /** Resolves once the cache has applied revision `rev` (or rejects after `timeoutMs`). */
  waitFor(rev: number, timeoutMs = 3000): Promise<void> {
    if (this.revision >= rev || this.stopped) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        reject(new ApiError('Timeout', `Too large resource version: ${rev}, current: ${this.revision}`, { retryAfterSeconds: 1 }, 504));
      }, timeoutMs);
      const entry = { rev, resolve: () => { clearTimeout(t); resolve(); } };
      this.waiters.push(entry);
    });
  }

  list(storage: string, namespace?: string): CachedObject[] {
    return this.resources.get(storage)?.list(namespace) ?? [];
  }

  get(key: string): CachedObject | undefined {
    return this.resources.get(storageOf(key))?.byKey.get(key);
  }

  count(storage: string): number {
    return this.resources.get(storage)?.byKey.size ?? 0;
  }

  /**
   * Registers `w` for events of `storage` after `fromRv` and returns the backlog it must handle first.
   * Throws TooOldError when the backlog is no longer complete.
   */
  watch(storage: string, fromRv: number, w: CacheWatcher): { backlog: CacheEvent[]; cancel: () => void } {
    const r = this.resource(storage);
    const backlog = r.eventsAfter(fromRv);
    r.watchers.add(w);
    return { backlog, cancel: () => { r.watchers.delete(w); } };
  }
}

/** `/registry/pods/ns/name` → `pods`. */
export function storageOf(key: string): string {
  const end = key.indexOf('/', 10);
  return end < 0 ? key.slice(10) : key.slice(10, end);
}
