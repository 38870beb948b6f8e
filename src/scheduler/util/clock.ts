/**
 * The time the scheduler depends on, injected (queue backoff, flushes, assumed-pod expiry). The shape is
 * the subset of the client machinery's `Clock` (src/client/clock.ts) that the scheduler uses, so either
 * that clock or this file's `ManualClock` can be passed.
 */

export interface Timer {
  stop(): boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` once, no earlier than `ms` from now. */
  setTimer(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const h = setTimeout(fn, Math.max(0, ms));
    h.unref?.();
    return { stop: () => (clearTimeout(h), true) };
  },
};

/** A clock for tests: time moves only through `advance(ms)`, which fires due timers in order. */
export class ManualClock implements Clock {
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(private time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const t = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(t);
    return {
      stop: () => {
        const had = this.timers.includes(t);
        this.timers = this.timers.filter((x) => x !== t);
        return had;
      },
    };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = end;
  }
}
