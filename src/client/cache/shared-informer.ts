/**
 * The shared informer (client-go `shared_informer.go`): one reflector feeding one indexed cache, with
 * any number of event handlers, so that every controller interested in pods shares one watch.
 *
 * Contract:
 * - The cache is written before handlers are called, so a handler that reads the lister sees the change.
 * - `onAdd` for objects that appear, `onUpdate(old, new)` for changes, `onDelete` for objects that go.
 *   A deletion noticed only by a relist (the watch missed it) is delivered as a `DeletedFinalStateUnknown`
 *   tombstone holding the last known state.
 * - A relist delivers `onUpdate` for objects still present, so handlers re-check them.
 * - Resync: a handler registered with a resync period gets `onUpdate(obj, obj)` for every cached object
 *   each period (on the injected clock); level-based controllers use it to retry forgotten work.
 * - A handler added after the informer started first gets `onAdd` for every object already cached.
 * - `hasSynced()` turns true once the first list is in the cache; `whenSynced()` resolves then.
 * - Handlers should only enqueue keys. A handler that throws is logged; other handlers still run.
 * - Cached objects are shared: never mutate them, clone first.
 */
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock, type Timer } from '../clock.js';
import { DeletedFinalStateUnknown, metaNamespaceKey } from './keys.js';
import { GenericLister, type Lister } from './lister.js';
import type { ListerWatcher } from './listwatch.js';
import { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.js';
import { NAMESPACE_INDEX, ThreadSafeStore, namespaceIndexFunc, type Indexer, type Indexers } from './store.js';

export interface ResourceEventHandler<T> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  remove(): void;
}

export interface SharedIndexInformer<T> {
  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs?: number): HandlerRegistration;
  getIndexer(): Indexer<T>;
  addIndexers(indexers: Indexers<T>): void;
  lister(): Lister<T>;
  hasSynced(): boolean;
  whenSynced(): Promise<void>;
  lastSyncResourceVersion(): string;
  /** Lists, watches and dispatches until `signal` aborts. Runs once; a second call is an error. */
  run(signal: AbortSignal): Promise<void>;
}

export interface SharedInformerOptions<T> extends ReflectorOptions {
  /** Default resync period of handlers that give none; 0 disables resync. */
  resyncPeriodMs?: number;
  indexers?: Indexers<T>;
  /** Applied to every object before it is cached, e.g. to drop `managedFields` and save memory. */
  transform?: (obj: T) => T;
}

interface Listener<T> {
  handler: ResourceEventHandler<T>;
  resyncMs: number;
  nextResync: number;
}

export class SharedInformer<T extends KubeObject> implements SharedIndexInformer<T>, ReflectorStore<T> {
  private readonly indexer: ThreadSafeStore<T>;
  private readonly reflector: Reflector<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly clock: Clock;
  private readonly defaultResync: number;
  private readonly transform: (obj: T) => T;
  private synced = false;
  private started = false;
  private syncWaiters: (() => void)[] = [];
  private resyncTimer: Timer | undefined;
  private stopped = false;

  constructor(lw: ListerWatcher<T>, opts: SharedInformerOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.defaultResync = opts.resyncPeriodMs ?? 0;
    this.transform = opts.transform ?? ((o) => o);
    this.indexer = new ThreadSafeStore<T>(undefined, { [NAMESPACE_INDEX]: namespaceIndexFunc as (o: T) => string[], ...opts.indexers });
    this.reflector = new Reflector<T>(lw, this, opts);
  }

  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs?: number): HandlerRegistration {
    const resyncMs = resyncPeriodMs ?? this.defaultResync;
    const l: Listener<T> = { handler, resyncMs, nextResync: this.clock.now() + resyncMs };
    this.listeners.add(l);
    if (this.started) for (const obj of this.indexer.list()) this.call(l, 'onAdd', obj, !this.synced);
    this.scheduleResync();
    return { remove: () => this.listeners.delete(l) };
  }

  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  lister(): Lister<T> {
    return new GenericLister<T>(this.indexer);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  /** Number of lists so far (1 + relists). */
  listCount(): number {
    return this.reflector.listCount();
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('shared informer already started');
    this.started = true;
    this.scheduleResync();
    try {
      await this.reflector.run(signal);
    } finally {
      this.stopped = true;
      this.resyncTimer?.stop();
    }
  }

  // ---- ReflectorStore: the reflector's writes become cache updates plus notifications ----

  replace(items: T[], _resourceVersion: string): void {
    const fresh = new Map<string, T>();
    for (const raw of items) {
      const obj = this.transform(raw);
      fresh.set(metaNamespaceKey(obj), obj);
    }
    const initial = !this.synced;
    for (const key of this.indexer.listKeys()) {
      if (fresh.has(key)) continue;
      const last = this.indexer.getByKey(key)!;
      this.indexer.deleteKey(key);
      this.dispatch('onDelete', new DeletedFinalStateUnknown(key, last));
    }
    for (const [key, obj] of fresh) {
      const old = this.indexer.getByKey(key);
      this.indexer.update(obj);
      if (old) this.dispatch('onUpdate', old, obj);
      else this.dispatch('onAdd', obj, initial);
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  add(raw: T): void {
    this.update(raw);
  }

  update(raw: T): void {
    const obj = this.transform(raw);
    const old = this.indexer.get(obj);
    this.indexer.update(obj);
    if (old) this.dispatch('onUpdate', old, obj);
    else this.dispatch('onAdd', obj, false);
  }

  delete(raw: T): void {
    const obj = this.transform(raw);
    this.indexer.delete(obj);
    this.dispatch('onDelete', obj);
  }

  // ---- notifications ----

  private dispatch(kind: 'onAdd', obj: T, initial: boolean): void;
  private dispatch(kind: 'onUpdate', old: T, obj: T): void;
  private dispatch(kind: 'onDelete', obj: T | DeletedFinalStateUnknown<T>): void;
  private dispatch(kind: keyof ResourceEventHandler<T>, a: unknown, b?: unknown): void {
    for (const l of [...this.listeners]) this.call(l, kind, a, b);
  }

  private call(l: Listener<T>, kind: keyof ResourceEventHandler<T>, a: unknown, b?: unknown): void {
    try {
      (l.handler[kind] as ((x: unknown, y: unknown) => void) | undefined)?.call(l.handler, a, b);
    } catch (err) {
      console.error(`k8ts: informer ${this.reflector.name}: event handler failed: ${(err as Error).stack ?? err}`);
    }
  }

  private scheduleResync(): void {
    if (!this.started || this.stopped) return;
    this.resyncTimer?.stop();
    const due = [...this.listeners].filter((l) => l.resyncMs > 0).map((l) => l.nextResync);
    if (due.length === 0) return;
    const next = Math.min(...due);
    this.resyncTimer = this.clock.setTimer(Math.max(0, next - this.clock.now()), () => this.resync());
  }

  private resync(): void {
    const now = this.clock.now();
    if (this.synced) {
      for (const l of this.listeners) {
        if (l.resyncMs <= 0 || l.nextResync > now) continue;
        for (const obj of this.indexer.list()) this.call(l, 'onUpdate', obj, obj);
      }
    }
    for (const l of this.listeners) if (l.resyncMs > 0 && l.nextResync <= now) l.nextResync = now + l.resyncMs;
    this.scheduleResync();
  }
}

/** Waits until every informer has synced; resolves false if `signal` aborts first. */
export async function waitForCacheSync(signal: AbortSignal, ...informers: { whenSynced(): Promise<void> }[]): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort!: () => void;
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([Promise.all(informers.map((i) => i.whenSynced())).then(() => true), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
