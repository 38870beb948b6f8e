/**
 * Fan-out of committed events to the watches of one SQLite store.
 *
 * The log publishes each committed batch in revision order, synchronously after the commit; a new
 * watch is registered in the same synchronous step that reads its backlog from the log, so nothing
 * can commit in between: every watch sees every event after its start revision, once, in order.
 * Delivery to the callback happens on a microtask, a batch at a time.
 */
import type { StoreError, Watch, WatchEvent } from '../store.js';

class Watcher implements Watch {
  private pending: WatchEvent[] = [];
  private scheduled = false;
  closed = false;

  constructor(
    readonly prefix: string,
    private readonly hub: WatchHub,
    private readonly onEvents: (events: WatchEvent[]) => void,
    private readonly onError: (err: StoreError) => void,
  ) {}

  push(ev: WatchEvent): void {
    this.pending.push(ev);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  pushAll(evs: WatchEvent[]): void {
    for (const ev of evs) this.push(ev);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.closed || this.pending.length === 0) return;
    const evs = this.pending;
    this.pending = [];
    this.onEvents(evs);
  };

  /** Ends the watch with `err`, after the events already queued. */
  fail(err: StoreError): void {
    if (this.closed) return;
    this.hub.remove(this);
    queueMicrotask(() => {
      this.flush();
      if (this.closed) return;
      this.closed = true;
      this.onError(err);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.hub.remove(this);
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  /** Registers a watch that first receives `backlog`, then every published event under `prefix`. */
  add(prefix: string, backlog: WatchEvent[], onEvents: (events: WatchEvent[]) => void,
    onError: (err: StoreError) => void): Watch {
    const w = new Watcher(prefix, this, onEvents, onError);
    this.watchers.add(w);
    if (backlog.length > 0) w.pushAll(backlog);
    return w;
  }

  /** A watch that fails at once with `err`. */
  failed(err: StoreError, onError: (err: StoreError) => void): Watch {
    const w = new Watcher('', this, () => {}, onError);
    w.fail(err);
    return w;
  }

  /** Hands committed events (in revision order) to every watch whose prefix they match. */
  publish(events: WatchEvent[]): void {
    if (this.watchers.size === 0) return;
    for (const w of this.watchers) {
      const p = w.prefix;
      for (let i = 0; i < events.length; i++) {
        const ev = events[i]!;
        if (ev.kv.key.startsWith(p)) w.push(ev);
      }
    }
  }

  remove(w: Watcher): void {
    this.watchers.delete(w);
  }

  /** Ends every watch with `err` (the store is closing). */
  failAll(err: StoreError): void {
    for (const w of [...this.watchers]) w.fail(err);
  }
}
