/**
 * The SQL layer of the SQLite backend: the schema, the connection settings and every statement,
 * prepared once. Nothing here knows about etcd semantics; `log.ts` builds them on top.
 *
 * One table holds the whole store, one row per write, as kine's does:
 *
 *   id               the revision of the write (AUTOINCREMENT: never reused, so revisions never go back)
 *   name             the key
 *   created          1 when this write created the key
 *   deleted          1 when this write deleted the key (a deletion marker; value is NULL)
 *   create_revision  revision that created this incarnation of the key
 *   prev_revision    id of the row this write superseded (0 for a create)
 *   value            the value written
 *
 * The previous value of a write is the value of its `prev_revision` row, found by a join when
 * needed; compaction keeps every row that a newer, uncompacted row points at (see `log.ts`), so it is
 * always there. Not copying it into an `old_value` column halves the bytes each update writes.
 */
import Database from 'better-sqlite3';
import { Checkpointer, type CheckpointerOptions } from './checkpointer.js';
import { sqliteError } from './errors.js';

/** A row of the revision log, as the statements return it. */
export interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: Buffer | null;
}

/** A row of a list, in raw (array) form: lists are the bulk path, and arrays are cheaper than objects. */
export type ListRow = [id: number, name: string, createRevision: number, value: Buffer];

/** A log row with the value of the row it superseded. */
export interface EventRow extends Row {
  prev_value: Buffer | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS revisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value BLOB
);
CREATE INDEX IF NOT EXISTS revisions_name_id ON revisions (name, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('compact_revision', 0);
`;

const ROW = 'id, name, created, deleted, create_revision, prev_revision, value';

/** The latest row of each key in [start, end) at or below revision `rev`, deleted ones excluded. */
const LIVE_AT = `FROM revisions r
  WHERE r.name >= @start AND r.name < @end AND r.deleted = 0
    AND r.id = (SELECT MAX(id) FROM revisions WHERE name = r.name AND id <= @rev)`;

/** The file name of a database that lives in memory only (for tests): no lock, no WAL, gone at close. */
export const MEMORY = ':memory:';

/**
 * Takes the one-process-per-database lock: `<file>-lock`, a tiny SQLite database held in exclusive
 * locking mode until closed. The kernel drops it when the process dies, even by `kill -9`.
 */
function takeLock(file: string, timeout: number): Database.Database {
  let lock: Database.Database | undefined;
  try {
    lock = new Database(`${file}-lock`, { timeout });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT'); // the exclusive lock stays held after the commit
    return lock;
  } catch (err) {
    try { lock?.close(); } catch { /* already failing */ }
    throw sqliteError(file, err);
  }
}

export interface OpenOptions {
  /** How long to wait for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
  checkpoint?: CheckpointerOptions;
}

/** An open database with its prepared statements. */
export class Dialect {
  readonly db: Database.Database;
  private readonly lock?: Database.Database;
  private readonly checkpointer?: Checkpointer;

  readonly latest: Database.Statement<[string], Row>;
  readonly insert: Database.Statement<[number, string, number, number, number, number, Buffer | null]>;
  /** Raw rows: [id, name, create_revision, value]. */
  readonly list: Database.Statement<{ start: string; end: string; rev: number; limit: number }, ListRow>;
  readonly count: Database.Statement<{ start: string; end: string; rev: number }, { n: number }>;
  readonly after: Database.Statement<{ start: string; end: string; after: number; upto: number }, EventRow>;
  readonly sequence: Database.Statement<[], { seq: number }>;
  readonly getMeta: Database.Statement<[string], { value: number }>;
  readonly setMeta: Database.Statement<[number, string]>;
  readonly compactSuperseded: Database.Statement<[number, number]>;
  readonly compactDeleted: Database.Statement<[number, number]>;

  /**
   * Opens (creating if needed) the database at `file`. Only one process may have it open: a lock
   * (`<file>-lock`) is held for the connection's life, so this process sees every write, which lets
   * the log feed watchers directly. Throws a StoreError naming the file and the cause (corrupt,
   * locked, unwritable).
   */
  constructor(readonly file: string, options: OpenOptions = {}) {
    const timeout = options.busyTimeoutMs ?? 2000;
    const memory = file === MEMORY;
    this.lock = memory ? undefined : takeLock(file, timeout);
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout });
      if (!memory) {
        db.pragma('journal_mode = WAL');
        // See docs/adr/0003-sqlite-durability.md: a commit is in the WAL file (the OS's page cache)
        // before it returns, which survives the process being killed; fsync happens at checkpoints,
        // which a worker thread runs once it is up (checkpointer.ts).
        db.pragma('synchronous = NORMAL');
        db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      }
      db.pragma('cache_size = -32768');
      db.exec(SCHEMA);
    } catch (err) {
      try { db?.close(); } catch { /* already failing */ }
      this.lock?.close();
      throw sqliteError(file, err);
    }
    this.db = db;
    this.checkpointer = memory ? undefined : new Checkpointer(db, file, options.checkpoint);
    this.latest = db.prepare(`SELECT ${ROW} FROM revisions WHERE name = ? ORDER BY id DESC LIMIT 1`);
    this.insert = db.prepare(`INSERT INTO revisions (${ROW}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.list = db.prepare<{ start: string; end: string; rev: number; limit: number }, ListRow>(
      `SELECT r.id, r.name, r.create_revision, r.value ${LIVE_AT} ORDER BY r.name LIMIT @limit`).raw(true);
    this.count = db.prepare(`SELECT COUNT(*) AS n ${LIVE_AT}`);
    this.after = db.prepare(`SELECT r.id, r.name, r.created, r.deleted, r.create_revision, r.prev_revision, r.value,
        p.value AS prev_value
      FROM revisions r LEFT JOIN revisions p ON p.id = r.prev_revision
      WHERE r.id > @after AND r.id <= @upto AND r.name >= @start AND r.name < @end ORDER BY r.id`);
    this.sequence = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'revisions'`);
    this.getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setMeta = db.prepare('UPDATE meta SET value = ? WHERE key = ?');
    // Rows superseded by a write in (from, to]; then deletion markers in (from, to].
    this.compactSuperseded = db.prepare(`DELETE FROM revisions WHERE id IN
      (SELECT prev_revision FROM revisions WHERE id > ? AND id <= ? AND prev_revision != 0)`);
    this.compactDeleted = db.prepare('DELETE FROM revisions WHERE id > ? AND id <= ? AND deleted = 1');
  }

  /** Called by the log after each commit. */
  committed(): void {
    this.checkpointer?.committed();
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    this.db.close();
    this.lock?.close();
  }
}
