/**
 * The reflector keeps a store in step with the API server (client-go `reflector.go`): it lists, then
 * watches from the list's resourceVersion, and pushes every change into a `ReflectorStore`.
 *
 * Contract:
 * - **List then watch.** A list (paged with `limit`/`continue`) ends in `store.replace(items)`; the
 *   watch starts from that list's resourceVersion, so no change is missed or seen twice. The first
 *   list asks for resourceVersion "0" (the API server may answer from its watch cache); a list after a
 *   410 asks for "" (a consistent read from the store), as upstream's `relistResourceVersion`.
 * - **Resume.** A watch that ends (server timeout, network error) is reopened from the last
 *   resourceVersion seen, from an event or a BOOKMARK (bookmarks are always requested).
 * - **Relist on Gone.** When the server answers 410 (Gone/Expired: the version was compacted away),
 *   as the watch response or as an ERROR event, the reflector lists again and replaces the store.
 * - **Backoff.** After a failed list or watch it waits (800 ms doubling to 30 s, reset by any successful
 *   list or event) on the injected clock before trying again.
 * - `run(signal)` returns when the signal aborts; the open watch is stopped at once.
 */
import { ApiError, isGone, type Status } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../clock.js';
import type { Watch } from '../client.js';
import type { ListerWatcher } from './listwatch.js';

/** What a reflector writes into: the informer (which also notifies handlers) or a plain store. */
export interface ReflectorStore<T> {
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  name?: string;
  clock?: Clock;
  /** Items per list page; 0 lists in one request. Default 500 (as upstream). */
  pageSize?: number;
  /** Watches ask the server to end after between this and twice this many seconds. Default 300. */
  minWatchTimeoutSeconds?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  /** Called with every list or watch failure, for logging. */
  onError?: (err: unknown) => void;
}

class AbortedError extends Error {}

export class Reflector<T extends KubeObject> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly minWatchTimeout: number;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly random: () => number;
  private readonly onError: (err: unknown) => void;
  private backoff = 0;
  private lastRv = '';
  private relists = 0;
  /** The last version is known to be compacted away: the next list must be a consistent read. */
  private rvUnavailable = false;

  constructor(private readonly lw: ListerWatcher<T>, private readonly store: ReflectorStore<T>, opts: ReflectorOptions = {}) {
    this.name = opts.name ?? 'reflector';
    this.clock = opts.clock ?? realClock;
    this.pageSize = opts.pageSize ?? 500;
    this.minWatchTimeout = opts.minWatchTimeoutSeconds ?? 300;
    this.initialBackoff = opts.initialBackoffMs ?? 800;
    this.maxBackoff = opts.maxBackoffMs ?? 30_000;
    this.random = opts.random ?? Math.random;
    this.onError = opts.onError ?? ((err) => console.error(`k8ts: ${this.name}: ${(err as Error).message ?? err}`));
  }

  /** The resourceVersion of the last list, event or bookmark applied. */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  /** How many times the reflector has listed (1 after the first list; more after each relist). */
  listCount(): number {
    return this.relists;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.list(signal);
      } catch (err) {
        if (signal.aborted) return;
        this.onError(err);
        if (!(await this.wait(signal))) return;
        continue;
      }
      // Watch until the server says our version is gone (then relist) or we are told to stop.
      for (;;) {
        let outcome: 'ended' | 'gone';
        try {
          outcome = await this.watchOnce(signal);
        } catch (err) {
          if (signal.aborted) return;
          if (isGone(err)) {
            this.rvUnavailable = true;
            break;
          }
          this.onError(err);
          if (!(await this.wait(signal))) return;
          continue;
        }
        if (signal.aborted) return;
        if (outcome === 'gone') {
          this.rvUnavailable = true;
          break;
        }
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let rv = '';
    let cont: string | undefined;
    let limit = this.pageSize;
    for (;;) {
      let page;
      const fromRv = this.rvUnavailable ? '' : this.lastRv || '0';
      try {
        page = await this.lw.list({ ...(limit > 0 ? { limit } : {}), ...(cont ? { continue: cont } : fromRv ? { resourceVersion: fromRv } : {}) });
      } catch (err) {
        if (!isGone(err)) throw err;
        if (cont) {
          // The continue token expired between pages: start over with one full list.
          items.length = 0;
          cont = undefined;
          limit = 0;
          continue;
        }
        if (fromRv) {
          // The version we asked for is too old for the server: read the current state instead.
          this.rvUnavailable = true;
          continue;
        }
        throw err;
      }
      if (signal.aborted) throw new AbortedError();
      items.push(...page.items);
      rv = page.metadata?.resourceVersion ?? rv;
      // On the wire the field is `continue` (client-node names it `_continue`).
      cont = (page.metadata as { continue?: string } | undefined)?.continue || undefined;
      if (!cont) break;
    }
    this.store.replace(items, rv);
    this.lastRv = rv;
    this.rvUnavailable = false;
    this.relists++;
    this.healthy();
  }

  /** One watch from `lastRv`; returns how it ended. Events are applied as they arrive. */
  private async watchOnce(signal: AbortSignal): Promise<'ended' | 'gone'> {
    const timeoutSeconds = Math.floor(this.minWatchTimeout * (1 + this.random()));
    const started = this.clock.now();
    const w: Watch<T> = await this.lw.watch({ resourceVersion: this.lastRv, allowWatchBookmarks: true, timeoutSeconds });
    const onAbort = () => w.stop();
    if (signal.aborted) {
      w.stop();
      return 'ended';
    }
    signal.addEventListener('abort', onAbort, { once: true });
    let events = 0;
    try {
      for await (const ev of w) {
        if (ev.type === 'ERROR') {
          const err = ApiError.fromStatus(ev.object as unknown as Partial<Status>);
          if (isGone(err)) return 'gone';
          throw err;
        }
        const rv = ev.object.metadata?.resourceVersion;
        switch (ev.type) {
          case 'ADDED': this.store.add(ev.object); break;
          case 'MODIFIED': this.store.update(ev.object); break;
          case 'DELETED': this.store.delete(ev.object); break;
          case 'BOOKMARK': break;
        }
        if (rv) this.lastRv = rv;
        events++;
        this.healthy();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      w.stop();
    }
    // A watch that closes at once with nothing in it is a failing server: do not spin on it.
    if (events === 0 && this.clock.now() - started < 1000 && !signal.aborted) {
      if (!(await this.wait(signal))) return 'ended';
    }
    return 'ended';
  }

  private healthy(): void {
    this.backoff = 0;
  }

  /** Sleeps for the current backoff and grows it; false if aborted meanwhile. */
  private async wait(signal: AbortSignal): Promise<boolean> {
    this.backoff = this.backoff === 0 ? this.initialBackoff : Math.min(this.backoff * 2, this.maxBackoff);
    const jittered = this.backoff * (1 + this.random() * 0.5);
    try {
      await this.clock.sleep(jittered, signal);
      return true;
    } catch {
      return false;
    }
  }
}
