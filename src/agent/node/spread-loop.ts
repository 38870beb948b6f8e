/**
 * `SpreadLoop`: calls `run(key)` once per period for every key, with the keys spread evenly over the
 * period, from one timer. It is how one process heartbeats thousands of nodes without thousands of
 * timers and without a burst of requests at each period boundary.
 *
 * Contract:
 * - Each key gets a phase in [0, period) from the golden-ratio sequence over the order of `add`, so the
 *   keys stay evenly spread however many there are, and runs at `created + phase + k * period`. With
 *   `add(key, { now: true })` its first run is right away and the next one at its phase, at least half a
 *   period later (so nodes registered in one burst do not heartbeat in one burst).
 * - A key never runs twice at once: if its previous run is still going when it falls due, that turn is
 *   skipped. At most `concurrency` runs are in flight; due keys wait their turn in due order.
 * - A run that throws is reported to `onError` and the key stays in the loop.
 * - `remove(key)` takes a key out; `stop()` stops the timer and resolves once in-flight runs finished.
 * - Time comes from the injected `Clock`.
 */
import { realClock, type Clock, type Timer } from '../../client/clock.js';

export interface SpreadLoopOptions {
  periodMs: number;
  run(key: string): Promise<void>;
  /** Runs in flight at most (default 64). */
  concurrency?: number;
  onError?(key: string, err: unknown): void;
  clock?: Clock;
}

interface Entry {
  key: string;
  /** The times this key runs at are `anchor + k * period`. */
  anchor: number;
  due: number;
  running: boolean;
  removed: boolean;
  queued: boolean;
}

const GOLDEN = 0.6180339887498949;

export class SpreadLoop {
  private readonly clock: Clock;
  private readonly heap: Entry[] = [];
  private readonly entries = new Map<string, Entry>();
  private readonly ready: Entry[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly concurrency: number;
  private timer: Timer | undefined;
  private armedFor = Infinity;
  private added = 0;
  private stopped = false;
  private readonly created: number;

  constructor(private readonly opts: SpreadLoopOptions) {
    this.clock = opts.clock ?? realClock;
    this.concurrency = opts.concurrency ?? 64;
    this.created = this.clock.now();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Number of runs in flight now. */
  get running(): number {
    return this.inflight.size;
  }

  add(key: string, o: { now?: boolean } = {}): void {
    if (this.stopped || this.entries.has(key)) return;
    const anchor = this.created + Math.floor(((this.added++ * GOLDEN) % 1) * this.opts.periodMs);
    const now = this.clock.now();
    const e: Entry = { key, anchor, due: o.now ? now : this.nextAligned(anchor, now - 1), running: false, removed: false, queued: false };
    this.entries.set(key, e);
    this.push(e);
    this.arm();
  }

  remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.removed = true;
    this.entries.delete(key);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.stop();
    this.timer = undefined;
    this.ready.length = 0;
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    if (this.stopped) return;
    const now = this.clock.now();
    while (this.heap.length > 0 && this.heap[0]!.due <= now) {
      const e = this.pop()!;
      if (e.removed) continue;
      // Keep the phase, at least half a period on; a loop that stalled skips the turns it missed.
      e.due = this.nextAligned(e.anchor, now + this.opts.periodMs / 2);
      this.push(e);
      if (!e.running && !e.queued) {
        e.queued = true;
        this.ready.push(e);
      }
    }
    this.pump();
    this.arm();
  }

  /** The first `anchor + k * period` later than `after`. */
  private nextAligned(anchor: number, after: number): number {
    const period = this.opts.periodMs;
    const k = Math.floor((after - anchor) / period) + 1;
    return anchor + k * period;
  }

  private pump(): void {
    while (!this.stopped && this.inflight.size < this.concurrency && this.ready.length > 0) {
      const e = this.ready.shift()!;
      e.queued = false;
      if (e.removed) continue;
      e.running = true;
      const p: Promise<void> = this.opts.run(e.key)
        .catch((err) => this.opts.onError?.(e.key, err))
        .finally(() => {
          e.running = false;
          this.inflight.delete(p);
          this.pump();
        });
      this.inflight.add(p);
    }
  }

  private arm(): void {
    if (this.stopped || this.heap.length === 0) return;
    const next = this.heap[0]!.due;
    if (this.timer && next >= this.armedFor) return;
    this.timer?.stop();
    this.armedFor = next;
    this.timer = this.clock.setTimer(next - this.clock.now(), () => this.fire());
  }

  // A binary min-heap on `due`.
  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.due <= e.due) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      const mDue = () => (m === i ? last.due : h[m]!.due);
      if (l < h.length && h[l]!.due < mDue()) m = l;
      if (r < h.length && h[r]!.due < mDue()) m = r;
      if (m === i) break;
      h[i] = h[m]!;
      i = m;
    }
    h[i] = last;
    return top;
  }
}
