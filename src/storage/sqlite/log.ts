/**
 * The log-structured layer of the SQLite backend (kine's "logstructured"): etcd's model — one global
 * revision, versions of keys, watch from a revision, compaction — expressed as an append-only log of
 * rows in `dialect.ts`'s table.
 *
 * - Writes are queued and committed in groups: every write submitted in the same turn of the event
 *   loop goes into one transaction (group commit). Each write still checks its own precondition
 *   inside that transaction and gets its own revision, in submission order.
 * - After a commit the new events go straight to the watch hub: this process holds the database's
 *   lock (`<file>-lock`), so it sees every write and needs no polling.
 * - Compaction deletes rows superseded at or below the compact revision, and deletion markers there.
 *   A row that a newer, uncompacted row supersedes is kept, so an event's previous value survives.
 */
import type { KeyValue, StoreError as StoreErrorT, Watch, WatchEvent } from '../store.js';
import { StoreError } from '../store.js';
import { prefixEnd } from '../keys.js';
import { type Dialect, type EventRow, type Row } from './dialect.js';
import { sqliteError } from './errors.js';
import { WatchHub } from './watchers.js';

const CREATE = 0;
const UPDATE = 1;
const DELETE = 2;

interface WriteOp {
  kind: number;
  name: string;
  value: Buffer | null;
  /** Expected modRevision; 0: any (delete only). */
  expected: number;
  resolve: (ev: WatchEvent) => void;
  reject: (err: StoreError) => void;
}

/** One commit in this many is deferred to the next turn of the event loop (see `submit`). */
const YIELD_EVERY = 32;

/** How many revisions a compaction removes per transaction before yielding to other work. */
const COMPACT_CHUNK = 2000;

function kvOf(row: Row): KeyValue {
  return { key: row.name, value: row.value!, createRevision: row.create_revision, modRevision: row.id };
}

function eventOf(row: EventRow): WatchEvent {
  if (row.deleted) {
    const prev: KeyValue = { key: row.name, value: row.prev_value!, createRevision: row.create_revision, modRevision: row.prev_revision };
    return { type: 'delete', kv: { key: row.name, value: row.prev_value!, createRevision: row.create_revision, modRevision: row.id }, prev };
  }
  const kv = kvOf(row);
  if (row.created) return { type: 'put', kv };
  return { type: 'put', kv, prev: { key: row.name, value: row.prev_value!, createRevision: row.create_revision, modRevision: row.prev_revision } };
}

export class RevisionLog {
  /** The newest committed revision. */
  revision: number;
  /** History at or below this revision is gone. */
  compactRevision: number;

  private queue: WriteOp[] = [];
  private flushScheduled = false;
  private sinceYield = 0;
  private closed = false;
  private compacting: Promise<void> = Promise.resolve();
  private readonly hub = new WatchHub();
  private readonly commitBatch: (batch: WriteOp[], out: (WatchEvent | StoreError)[]) => void;

  constructor(private readonly sql: Dialect) {
    try {
      this.revision = sql.sequence.get()?.seq ?? 0;
      this.compactRevision = sql.getMeta.get('compact_revision')?.value ?? 0;
    } catch (err) {
      throw sqliteError(sql.file, err);
    }
    this.commitBatch = sql.db.transaction((batch: WriteOp[], out: (WatchEvent | StoreError)[]) => {
      for (let i = 0; i < batch.length; i++) out[i] = this.apply(batch[i]!);
    });
  }

  get file(): string {
    return this.sql.file;
  }

  // ---- writes ----

  create(name: string, value: Buffer): Promise<WatchEvent> {
    return this.submit(CREATE, name, value, 0);
  }

  update(name: string, value: Buffer, expected: number): Promise<WatchEvent> {
    return this.submit(UPDATE, name, value, expected);
  }

  delete(name: string, expected: number): Promise<WatchEvent> {
    return this.submit(DELETE, name, null, expected);
  }

  private submit(kind: number, name: string, value: Buffer | null, expected: number): Promise<WatchEvent> {
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise<WatchEvent>((resolve, reject) => {
      this.queue.push({ kind, name, value, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // A microtask keeps a lone writer's latency low; every YIELD_EVERY-th commit waits for the
        // next turn of the event loop instead, so writers that await each write in a loop cannot
        // starve timers, I/O and the checkpointer (all of which only run between turns).
        if (++this.sinceYield < YIELD_EVERY) {
          queueMicrotask(this.flush);
        } else {
          this.sinceYield = 0;
          setImmediate(this.flush);
        }
      }
    });
  }

  /** Commits every queued write in one transaction, then publishes and acknowledges them. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const out: (WatchEvent | StoreError)[] = new Array(batch.length);
    const before = this.revision;
    try {
      this.commitBatch(batch, out);
    } catch (err) {
      this.revision = before;
      const e = sqliteError(this.sql.file, err);
      for (const op of batch) op.reject(e);
      return;
    }
    this.sql.committed();
    let events: WatchEvent[] | undefined;
    for (const r of out) {
      if (r instanceof StoreError) continue;
      (events ??= []).push(r);
    }
    if (events) this.hub.publish(events);
    for (let i = 0; i < batch.length; i++) {
      const r = out[i]!;
      if (r instanceof StoreError) batch[i]!.reject(r);
      else batch[i]!.resolve(r);
    }
  };

  /** Applies one write inside the open transaction: its precondition, then its row. */
  private apply(op: WriteOp): WatchEvent | StoreError {
    const cur = this.sql.latest.get(op.name);
    const live = cur !== undefined && cur.deleted === 0;
    if (op.kind === CREATE) {
      if (live) return new StoreError('KeyExists', `key "${op.name}" already exists`, kvOf(cur));
      const id = this.revision + 1;
      this.sql.insert.run(id, op.name, 1, 0, id, 0, op.value);
      this.revision = id;
      return { type: 'put', kv: { key: op.name, value: op.value!, createRevision: id, modRevision: id } };
    }
    if (!live) return new StoreError('NotFound', `key "${op.name}" not found`);
    if (op.expected !== 0 && cur.id !== op.expected) {
      return new StoreError('Conflict',
        `key "${op.name}" was modified: expected revision ${op.expected}, current ${cur.id}`, kvOf(cur));
    }
    const id = this.revision + 1;
    const prev = kvOf(cur);
    if (op.kind === UPDATE) {
      this.sql.insert.run(id, op.name, 0, 0, cur.create_revision, cur.id, op.value);
      this.revision = id;
      return { type: 'put', kv: { key: op.name, value: op.value!, createRevision: cur.create_revision, modRevision: id }, prev };
    }
    this.sql.insert.run(id, op.name, 0, 1, cur.create_revision, cur.id, null);
    this.revision = id;
    return { type: 'delete', kv: { key: op.name, value: prev.value, createRevision: cur.create_revision, modRevision: id }, prev };
  }

  // ---- reads (synchronous: they see every committed write) ----

  get(name: string): KeyValue | undefined {
    this.checkOpen();
    const row = this.read(() => this.sql.latest.get(name));
    return row && row.deleted === 0 ? kvOf(row) : undefined;
  }

  /** Live keys in [start, end) as of `rev`, at most `limit` (0: all). */
  list(start: string, end: string, rev: number, limit: number): KeyValue[] {
    this.checkOpen();
    this.checkCompacted(rev);
    const rows = this.read(() => this.sql.list.all({ start, end, rev, limit: limit > 0 ? limit : -1 }));
    const kvs = new Array<KeyValue>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      kvs[i] = { key: r[1], value: r[3], createRevision: r[2], modRevision: r[0] };
    }
    return kvs;
  }

  /** Number of live keys in [start, end) as of `rev`. */
  count(start: string, end: string, rev: number): number {
    this.checkOpen();
    this.checkCompacted(rev);
    return this.read(() => this.sql.count.get({ start, end, rev })!.n);
  }

  // ---- watch ----

  watch(prefix: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreErrorT) => void): Watch {
    if (this.closed) return this.hub.failed(this.closedError(), onError);
    if (fromRevision > 0 && fromRevision < this.compactRevision) {
      return this.hub.failed(this.compactedError(fromRevision), onError);
    }
    let backlog: WatchEvent[] = [];
    if (fromRevision > 0 && fromRevision < this.revision) {
      let rows: EventRow[];
      try {
        rows = this.sql.after.all({ start: prefix, end: prefixEnd(prefix), after: fromRevision, upto: this.revision });
      } catch (err) {
        return this.hub.failed(sqliteError(this.sql.file, err), onError);
      }
      backlog = rows.map(eventOf);
    }
    // Same synchronous step as the backlog read: no commit can fall between them.
    return this.hub.add(prefix, backlog, onEvents, onError);
  }

  // ---- compaction ----

  /** Forgets history at or below `revision` (clamped to the newest revision). */
  compact(revision: number): Promise<void> {
    const run = async () => {
      const target = Math.min(revision, this.revision);
      while (!this.closed && this.compactRevision < target) {
        const from = this.compactRevision;
        const to = Math.min(target, from + COMPACT_CHUNK);
        this.read(() => this.sql.db.transaction(() => {
          this.sql.compactSuperseded.run(from, to);
          this.sql.compactDeleted.run(from, to);
          this.sql.setMeta.run(to, 'compact_revision');
        })());
        this.compactRevision = to;
        if (to < target) await new Promise((r) => setImmediate(r));
      }
    };
    this.compacting = this.compacting.then(run, run);
    return this.compacting;
  }

  // ---- lifecycle ----

  /** Commits queued writes, ends every watch, waits for compaction, and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.hub.failAll(this.closedError());
    await this.compacting.catch(() => {});
    await this.sql.close();
  }

  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw sqliteError(this.sql.file, err);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw this.closedError();
  }

  private checkCompacted(rev: number): void {
    if (rev < this.compactRevision) throw this.compactedError(rev);
  }

  private compactedError(rev: number): StoreError {
    return new StoreError('Compacted',
      `revision ${rev} has been compacted (oldest available: ${this.compactRevision})`, undefined, this.compactRevision);
  }

  private closedError(): StoreError {
    return new StoreError('Closed', `sqlite ${this.sql.file}: store is closed`);
  }
}
