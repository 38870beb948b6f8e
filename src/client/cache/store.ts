/**
 * The informer's cache: a keyed store with secondary indexes (client-go `thread_safe_store.go` + `index.go`).
 *
 * Contract:
 * - Objects are stored by key (`metaNamespaceKey` unless another key function is given).
 * - An index is a named function from an object to zero or more index values; `byIndex(name, value)`
 *   returns every object the function maps to `value`. Indexes are kept current by every write.
 * - `replace` swaps the whole content at once (a relist) and rebuilds the indexes.
 * - The store hands out the objects it holds, not copies: callers must never mutate them (clone first).
 *   In a single-threaded runtime every method is atomic, which is what "thread-safe" means upstream.
 */
import type { KubeObject } from '../../api/types.js';
import { metaNamespaceKey } from './keys.js';

export type KeyFunc<T> = (obj: T) => string;
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export interface Store<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  get(obj: T): T | undefined;
  getByKey(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  replace(items: T[]): void;
}

export interface Indexer<T> extends Store<T> {
  /** Objects whose `indexName` values intersect those of `obj`. */
  index(indexName: string, obj: T): T[];
  /** Keys of the objects indexed under `value`. */
  indexKeys(indexName: string, value: string): string[];
  /** All values an index currently holds. */
  listIndexFuncValues(indexName: string): string[];
  byIndex(indexName: string, value: string): T[];
  addIndexers(indexers: Indexers<T>): void;
}

export const NAMESPACE_INDEX = 'namespace';

/** Indexes objects by `metadata.namespace` (client-go `MetaNamespaceIndexFunc`). */
export const namespaceIndexFunc: IndexFunc<KubeObject> = (obj) => [obj.metadata?.namespace ?? ''];

export class ThreadSafeStore<T> implements Indexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T> = {};
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly keyFunc: KeyFunc<T> = metaNamespaceKey as unknown as KeyFunc<T>, indexers: Indexers<T> = {}) {
    this.addIndexers(indexers);
  }

  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  delete(obj: T): void {
    this.deleteKey(this.keyFunc(obj));
  }

  deleteKey(key: string): void {
    const old = this.items.get(key);
    if (old === undefined) return;
    this.unindex(key, old);
    this.items.delete(key);
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  replace(items: T[]): void {
    this.items.clear();
    for (const idx of this.indices.values()) idx.clear();
    for (const obj of items) this.put(this.keyFunc(obj), obj);
  }

  index(indexName: string, obj: T): T[] {
    const fn = this.indexFunc(indexName);
    const keys = new Set<string>();
    for (const v of fn(obj)) for (const k of this.indexKeys(indexName, v)) keys.add(k);
    return [...keys].map((k) => this.items.get(k)!);
  }

  indexKeys(indexName: string, value: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)!.get(value) ?? [])];
  }

  listIndexFuncValues(indexName: string): string[] {
    this.indexFunc(indexName);
    return [...this.indices.get(indexName)!.keys()];
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers[name]) throw new Error(`indexer conflict: ${name}`);
      this.indexers[name] = fn;
      const idx = new Map<string, Set<string>>();
      this.indices.set(name, idx);
      for (const [key, obj] of this.items) this.indexOne(idx, fn, key, obj);
    }
  }

  private indexFunc(name: string): IndexFunc<T> {
    const fn = this.indexers[name];
    if (!fn) throw new Error(`index with name ${name} does not exist`);
    return fn;
  }

  private put(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of Object.entries(this.indexers)) this.indexOne(this.indices.get(name)!, fn, key, obj);
  }

  private indexOne(idx: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of fn(obj)) {
      let set = idx.get(v);
      if (!set) idx.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = idx.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) idx.delete(v);
      }
    }
  }
}
