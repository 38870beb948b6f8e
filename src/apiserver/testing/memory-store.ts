/**
 * An in-memory `Store` for the API server's unit tests: the store contract (src/storage/store.ts) kept in
 * a Map and an event log, with no durability. Not for production use.
 */
import {
  type GetResult, type KeyValue, type ListOptions, type ListResult, MAX_VALUE_BYTES, type Store, StoreError,
  type Watch, type WatchEvent,
} from '../../storage/store.js';

interface Watcher {
  prefix: string;
  onEvents: (events: WatchEvent[]) => void;
  closed: boolean;
}

export class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private readonly live = new Map<string, KeyValue>();
  private readonly log: { revision: number; event: WatchEvent }[] = [];
  private readonly watchers = new Set<Watcher>();

  async get(key: string): Promise<GetResult> {
    return { kv: this.live.get(key), revision: this.revision };
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    this.checkValue(value);
    if (this.live.has(key)) throw new StoreError('KeyExists', `key ${key} exists`);
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
    this.live.set(key, kv);
    this.emit({ type: 'put', kv });
    return rev;
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<number> {
    this.checkValue(value);
    const cur = this.live.get(key);
    if (!cur) throw new StoreError('NotFound', `key ${key} not found`);
    if (cur.modRevision !== expectedModRevision) throw new StoreError('Conflict', `key ${key} changed`, cur);
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: cur.createRevision, modRevision: rev };
    this.live.set(key, kv);
    this.emit({ type: 'put', kv, prev: cur });
    return rev;
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    const cur = this.live.get(key);
    if (!cur) throw new StoreError('NotFound', `key ${key} not found`);
    if (expectedModRevision !== undefined && cur.modRevision !== expectedModRevision) {
      throw new StoreError('Conflict', `key ${key} changed`, cur);
    }
    const rev = ++this.revision;
    this.live.delete(key);
    this.emit({ type: 'delete', kv: { key, value: new Uint8Array(), createRevision: cur.createRevision, modRevision: rev }, prev: cur });
    return { revision: rev, prev: cur };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    if (options.revision && options.revision !== this.revision) {
      throw new StoreError('Compacted', 'the memory store serves only the newest revision', undefined, this.revision);
    }
    let keys = [...this.live.keys()].filter((k) => k.startsWith(prefix)).sort();
    if (options.continue) {
      const after = Buffer.from(options.continue, 'base64').toString();
      keys = keys.filter((k) => k > after);
    }
    const limit = options.limit ?? 0;
    const page = limit > 0 ? keys.slice(0, limit) : keys;
    const remaining = keys.length - page.length;
    return {
      kvs: options.countOnly ? [] : page.map((k) => this.live.get(k)!),
      revision: this.revision,
      remaining,
      continue: remaining > 0 ? Buffer.from(page[page.length - 1]!).toString('base64') : undefined,
    };
  }

  watch(prefix: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreError) => void): Watch {
    const w: Watcher = { prefix, onEvents, closed: false };
    if (fromRevision > 0 && fromRevision < this.compacted) {
      queueMicrotask(() => onError(new StoreError('Compacted', 'required revision has been compacted', undefined, this.compacted)));
      return { close() {} };
    }
    const backlog = fromRevision > 0
      ? this.log.filter((e) => e.revision > fromRevision && e.event.kv.key.startsWith(prefix)).map((e) => e.event) : [];
    this.watchers.add(w);
    if (backlog.length) queueMicrotask(() => { if (!w.closed) onEvents(backlog); });
    return { close: () => { w.closed = true; this.watchers.delete(w); } };
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async compact(revision: number): Promise<void> {
    this.compacted = Math.max(this.compacted, revision);
    while (this.log.length && this.log[0]!.revision <= revision) this.log.shift();
  }

  async close(): Promise<void> {
    for (const w of this.watchers) w.closed = true;
    this.watchers.clear();
  }

  private checkValue(value: Uint8Array): void {
    if (value.byteLength > MAX_VALUE_BYTES) throw new StoreError('ValueTooLarge', 'value too large');
  }

  private emit(event: WatchEvent): void {
    this.log.push({ revision: event.kv.modRevision, event });
    for (const w of this.watchers) {
      if (!event.kv.key.startsWith(w.prefix)) continue;
      queueMicrotask(() => { if (!w.closed) w.onEvents([event]); });
    }
  }
}
