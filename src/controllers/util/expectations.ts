/**
 * `ControllerExpectations` (upstream `controller_utils.go`): what a controller is waiting to see in its
 * informer cache after its own writes, so that it does not act twice on a stale cache.
 *
 * Contract:
 * - Before creating N pods, call `expectCreations(key, N)`; the pod informer's add handler calls
 *   `creationObserved(key)` for each pod it sees. The same for deletions.
 * - `satisfied(key)` is true when nothing is pending, when no expectation was ever recorded for the key,
 *   or when the record is older than `ttlMs` (5 min upstream: a lost watch event must not stall forever).
 *   A controller only computes a new diff (creates/deletes) while `satisfied(key)` holds.
 * - A create that failed was never going to be observed: the controller calls `creationObserved` itself.
 * - `deleteExpectations(key)` forgets the key (its owner was deleted).
 * - Deletions may be tracked by uid (`expectDeletionsOf(key, uids)` / `deletionObservedOf(key, uid)`,
 *   upstream's `UIDTrackingControllerExpectations`): a pod seen first with a deletionTimestamp and then
 *   gone counts once.
 */
import { realClock, type Clock } from '../../client/clock.js';

interface Record {
  add: number;
  del: number;
  timestamp: number;
}

export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

export class ControllerExpectations {
  private readonly records = new Map<string, Record>();

  constructor(private readonly clock: Clock = realClock, private readonly ttlMs = EXPECTATIONS_TTL_MS) {}

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.timestamp > this.ttlMs;
  }

  /** Replaces whatever was pending for `key`. */
  setExpectations(key: string, add: number, del: number): void {
    this.records.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, n: number): void {
    this.setExpectations(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.setExpectations(key, 0, n);
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  deletionObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.del--;
  }

  /** Pending counts, for tests and logs. */
  pending(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r && { add: r.add, del: r.del };
  }

  deleteExpectations(key: string): void {
    this.records.delete(key);
    this.uids.delete(key);
  }

  private readonly uids = new Map<string, Set<string>>();

  /** Expects the deletion of exactly these objects (by uid). */
  expectDeletionsOf(key: string, uids: string[]): void {
    this.uids.set(key, new Set(uids));
    this.expectDeletions(key, uids.length);
  }

  /** Observes the deletion of `uid`; counts only for a uid that was expected and not yet seen. */
  deletionObservedOf(key: string, uid: string): void {
    const set = this.uids.get(key);
    if (!set?.delete(uid)) return;
    this.deletionObserved(key);
  }
}
