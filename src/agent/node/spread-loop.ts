/**
 * `SpreadLoop`: calls `run(key)` once per period for every key, with the keys spread evenly over the
 * period, from one timer. It is how one process heartbeats thousands of nodes without thousands of
 * timers and without a burst of requests at each period boundary.
 *
 * Contract:
 * - Each key gets a phase in [0, period) from the golden-ratio sequence over the order of `add`, so the
 *   keys stay evenly spread however many there are; its first run is at `start + phase`, or right away
 *   when `add(key, { now: true })`.
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

  constructor(private readonly opts: SpreadLoopOptions) {
    this.clock = opts.clock ?? realClock;
    this.concurrency = opts.concurrency ?? 64;
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
    const phase = ((this.added++ * GOLDEN) % 1) * this.opts.periodMs;
    const e: Entry = { key, due: this.clock.now() + (o.now ? 0 : Math.floor(phase)), running: false, removed: false, queued: false };
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
    const period = this.opts.periodMs;
    while (this.heap.length > 0 && this.heap[0]!.due <= now) {
      const e = this.pop()!;
      if (e.removed) continue;
      // Keep the phase; a key that fell more than a period behind (a stalled loop) skips the missed turns.
      e.due += period;
      if (e.due <= now) e.due = now + period;
      this.push(e);
      if (!e.running && !e.queued) {
        e.queued = true;
        this.ready.push(e);
      }
    }
    this.pump();
    this.arm();
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
