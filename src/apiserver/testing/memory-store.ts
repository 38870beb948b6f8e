/**
 * An in-memory `Store` for the API server's unit tests: the store contract (src/storage/store.ts) kept in
 * a Map and an event log, with no durability. Not for production use.
 */
import { decodeContinue, encodeContinue } from '../../storage/continue.js';
import { checkKey, checkPrefix, checkValue } from '../../storage/keys.js';
import {
  type GetResult, type KeyValue, type ListOptions, type ListResult, type Store, StoreError,
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
  /** Every event since the start (list at an old revision replays it). */
  private readonly history: { revision: number; event: WatchEvent }[] = [];
  private readonly watchers = new Set<Watcher>();

  async get(key: string): Promise<GetResult> {
    checkKey(key);
    return { kv: this.live.get(key), revision: this.revision };
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    value = Uint8Array.from(value);
    if (this.live.has(key)) throw new StoreError('KeyExists', `key ${key} exists`, this.live.get(key));
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
    this.live.set(key, kv);
    this.emit({ type: 'put', kv });
    return rev;
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    value = Uint8Array.from(value);
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
    checkKey(key);
    const cur = this.live.get(key);
    if (!cur) throw new StoreError('NotFound', `key ${key} not found`);
    if (expectedModRevision !== undefined && cur.modRevision !== expectedModRevision) {
      throw new StoreError('Conflict', `key ${key} changed`, cur);
    }
    const rev = ++this.revision;
    this.live.delete(key);
    this.emit({ type: 'delete', kv: { key, value: cur.value, createRevision: cur.createRevision, modRevision: rev }, prev: cur });
    return { revision: rev, prev: cur };
  }

  /** The live keys as of `revision`, rebuilt from the event log (a fake may be slow). */
  private stateAt(revision: number): Map<string, KeyValue> {
    if (revision >= this.revision) return this.live;
    const state = new Map<string, KeyValue>();
    for (const { event } of this.history) {
      if (event.kv.modRevision > revision) break;
      if (event.type === 'put') state.set(event.kv.key, event.kv);
      else state.delete(event.kv.key);
    }
    return state;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    checkPrefix(prefix);
    let revision = options.revision || this.revision;
    let after = '';
    if (options.continue) {
      const c = decodeContinue(options.continue, prefix);
      revision = c.revision;
      after = c.lastKey;
    }
    if (revision > this.revision) throw new StoreError('Unavailable', `revision ${revision} is in the future`);
    if (revision < this.compacted) throw new StoreError('Compacted', 'required revision has been compacted', undefined, this.compacted);
    const state = this.stateAt(revision);
    const keys = [...state.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const limit = options.limit ?? 0;
    const page = options.countOnly ? [] : limit > 0 ? keys.slice(0, limit) : keys;
    const remaining = keys.length - page.length;
    return {
      kvs: page.map((k) => state.get(k)!),
      revision,
      remaining,
      continue: remaining > 0 && page.length > 0 ? encodeContinue({ revision, lastKey: page[page.length - 1]! }) : undefined,
    };
  }

  watch(prefix: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreError) => void): Watch {
    checkPrefix(prefix);
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

  private emit(event: WatchEvent): void {
    this.log.push({ revision: event.kv.modRevision, event });
    this.history.push({ revision: event.kv.modRevision, event });
    for (const w of this.watchers) {
      if (!event.kv.key.startsWith(w.prefix)) continue;
      queueMicrotask(() => { if (!w.closed) w.onEvents([event]); });
    }
  }
}
