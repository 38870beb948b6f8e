/**
 * The embedded SQLite store: the etcd verbs of the Store contract, on the revision log of `log.ts`.
 * This layer validates input and shapes results; the log decides, the dialect speaks SQL.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GetResult, KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent } from '../store.js';
import { StoreError } from '../store.js';
import { checkKey, checkPrefix, checkValue, prefixEnd } from '../keys.js';
import { decodeContinue, encodeContinue } from '../continue.js';
import type { CheckpointerOptions } from './checkpointer.js';
import { Dialect, MEMORY } from './dialect.js';
import { RevisionLog } from './log.js';

export interface SqliteStoreOptions {
  /** How often to compact in the background (ms); 0 disables it. Default 5 minutes, as kine. */
  compactIntervalMs?: number;
  /** How many recent revisions background compaction keeps for watchers that fall behind. */
  compactRetain?: number;
  /** How long to wait for another process's lock on the file before failing (ms). */
  busyTimeoutMs?: number;
  /** When the background checkpointer runs (see checkpointer.ts); the defaults suit production. */
  checkpoint?: CheckpointerOptions;
}

function asBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function resolved<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

export class SqliteStore implements Store {
  private readonly timer?: NodeJS.Timeout;

  private constructor(private readonly log: RevisionLog, options: SqliteStoreOptions) {
    const interval = options.compactIntervalMs ?? 5 * 60_000;
    const retain = options.compactRetain ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => {
        const target = this.log.revision - retain;
        if (target > this.log.compactRevision) this.log.compact(target).catch(() => {});
      }, interval);
      this.timer.unref();
    }
  }

  /**
   * Opens (creating if needed) the store in `file`; `:memory:` gives a throw-away store for tests.
   * Throws a StoreError naming the file and cause.
   */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (file !== MEMORY) {
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      } catch (err) {
        throw new StoreError('Unavailable', `sqlite ${file}: cannot create its directory: ${(err as Error).message}`);
      }
    }
    const dialect = new Dialect(file, { busyTimeoutMs: options.busyTimeoutMs, checkpoint: options.checkpoint });
    let log: RevisionLog;
    try {
      log = new RevisionLog(dialect);
    } catch (err) {
      void dialect.close();
      throw err;
    }
    return new SqliteStore(log, options);
  }

  get file(): string {
    return this.log.file;
  }

  get(key: string): Promise<GetResult> {
    return resolved(() => {
      checkKey(key);
      return { kv: this.log.get(key), revision: this.log.revision };
    });
  }

  create(key: string, value: Uint8Array): Promise<number> {
    try {
      checkKey(key);
      checkValue(key, value);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.log.create(key, asBuffer(value)).then((ev) => ev.kv.modRevision);
  }

  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<number> {
    try {
      checkKey(key);
      checkValue(key, value);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.log.update(key, asBuffer(value), expectedModRevision).then((ev) => ev.kv.modRevision);
  }

  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }> {
    try {
      checkKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.log.delete(key, expectedModRevision ?? 0).then((ev) => ({ revision: ev.kv.modRevision, prev: ev.prev! }));
  }

  list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    return resolved(() => {
      checkPrefix(prefix);
      const end = prefixEnd(prefix);
      let rev = options.revision && options.revision > 0 ? Math.min(options.revision, this.log.revision) : this.log.revision;
      let start = prefix;
      let before: number | undefined; // keys from `start` on, when a previous page already counted them
      if (options.continue) {
        const c = decodeContinue(options.continue, prefix);
        rev = c.revision;
        start = c.lastKey + '\x00';
        before = c.remaining;
      }
      if (options.countOnly) return { kvs: [], revision: rev, remaining: before ?? this.log.count(start, end, rev) };
      const limit = options.limit && options.limit > 0 ? options.limit : 0;
      const kvs = this.log.list(start, end, rev, limit);
      if (limit === 0 || kvs.length < limit) return { kvs, revision: rev, remaining: 0 };
      const lastKey = kvs[kvs.length - 1]!.key;
      const remaining = before !== undefined ? before - kvs.length : this.log.count(lastKey + '\x00', end, rev);
      if (remaining <= 0) return { kvs, revision: rev, remaining: 0 };
      return { kvs, revision: rev, remaining, continue: encodeContinue({ revision: rev, lastKey, remaining }) };
    });
  }

  watch(prefix: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreError) => void): Watch {
    checkPrefix(prefix);
    return this.log.watch(prefix, fromRevision, onEvents, onError);
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.log.revision);
  }

  compact(revision: number): Promise<void> {
    return this.log.compact(revision);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.log.close();
  }
}
