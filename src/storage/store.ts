/**
 * The cluster store: the role etcd plays in Kubernetes.
 *
 * Contract (every backend keeps all of it; `testing/conformance.ts` checks it):
 *
 * - **One global revision.** Every successful write (create, update, delete) increments a single
 *   cluster-wide revision by exactly one and stamps the written key with it (`modRevision`). Reads
 *   report the revision they were served at. Revisions never go backwards, across restarts too.
 * - **Create if absent.** `create` fails with `StoreError` code `KeyExists` when the key is live.
 * - **Guarded writes.** `update` and `delete` take the `modRevision` the caller last saw; when the
 *   key has moved on they fail with code `Conflict` and carry the current value, so the caller can
 *   retry without another read. A missing key fails with code `NotFound`.
 * - **Consistent ranges.** `list` returns the live keys under a prefix, in byte order of the key, as
 *   of one revision. `limit` and `continue` page through that same revision; a continue token names
 *   the last key returned and the revision of the first page.
 * - **Ordered watch.** `watch(prefix, fromRevision)` delivers every event with a revision greater than
 *   `fromRevision`, in revision order, with no gaps and no duplicates, then follows new writes. When
 *   `fromRevision` is older than the compacted revision the watch fails at once with code
 *   `Compacted` (the API server turns that into 410 Gone).
 * - **Compaction.** `compact(revision)` forgets superseded versions and deletion markers at or below
 *   `revision`; live keys stay readable.
 * - **Limits.** Keys are `/registry/<resource>/<namespace>/<name>` (or without the namespace for
 *   cluster-scoped kinds): printable ASCII, starting with `/`, at most 1 KiB. Values are at most
 *   `MAX_VALUE_BYTES`; larger ones fail with code `ValueTooLarge`.
 * - **Durability.** A write is acknowledged (its promise resolves) only once it survives a crash of
 *   the process.
 */
export interface Store {
  /** Reads one key. Resolves to undefined when the key is absent. */
  get(key: string): Promise<GetResult>;

  /** Writes `value` at `key` only if the key is absent. Resolves to the new revision. */
  create(key: string, value: Uint8Array): Promise<number>;

  /** Replaces the value at `key` if its modRevision is still `expectedModRevision`. */
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<number>;

  /**
   * Deletes `key`. With `expectedModRevision`, only if it still matches. Resolves to the revision of
   * the delete and the value that was deleted.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prev: KeyValue }>;

  /** Lists live keys under `prefix` at one revision, a page at a time. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /**
   * Follows every change under `prefix` after `fromRevision` (0: from now). Events arrive in
   * revision order through `onEvents`, possibly several at a time. `onError` is called at most once
   * (for example with code `Compacted`), after which the watch is over.
   */
  watch(prefix: string, fromRevision: number, onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreError) => void): Watch;

  /** The newest revision. */
  currentRevision(): Promise<number>;

  /** Forgets history at or below `revision`. */
  compact(revision: number): Promise<void>;

  /** Stops watches and background work and releases the database. */
  close(): Promise<void>;
}

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created this incarnation of the key. */
  createRevision: number;
  /** Revision of the latest write to the key. */
  modRevision: number;
}

export interface GetResult {
  kv?: KeyValue;
  /** The store revision the read was served at. */
  revision: number;
}

export interface ListOptions {
  /** At most this many keys; 0 or absent means no limit. */
  limit?: number;
  /** Token from a previous page's `continue`. */
  continue?: string;
  /** Serve the list at this revision (0 or absent: the newest). Fails with `Compacted` if too old. */
  revision?: number;
  /** Only count, do not return values. */
  countOnly?: boolean;
}

export interface ListResult {
  kvs: KeyValue[];
  /** Revision the whole listing (every page) is consistent with. */
  revision: number;
  /** Set when more keys follow; pass it back as `continue`. */
  continue?: string;
  /** Number of live keys under the prefix not returned in this page. */
  remaining: number;
}

/**
 * One change. A put's `kv` is the key's new state and `prev` its state before (absent for a create).
 * A delete's `kv` carries the deleted value with `modRevision` set to the delete's revision, and
 * `prev` the state before. Events may be shared between watchers: do not mutate them.
 */
export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  | { type: 'delete'; kv: KeyValue; prev?: KeyValue };

export interface Watch {
  /** Stops delivery. Safe to call more than once. */
  close(): void;
}

/** Largest value the store accepts: 1.5 MiB, etcd's default request limit. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;

export type StoreErrorCode =
  | 'KeyExists'
  | 'NotFound'
  | 'Conflict'
  | 'Compacted'
  | 'ValueTooLarge'
  | 'InvalidKey'
  | 'Unavailable'
  | 'Corrupt'
  | 'Closed';

/** The one error type every backend throws. Test with `isStoreError(err, code)`. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For `Conflict`: the key's current value. */
    readonly current?: KeyValue,
    /** For `Compacted`: the oldest revision still available. */
    readonly compactedRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
