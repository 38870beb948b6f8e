/**
 * Time, injected. Every piece of the client machinery that waits (queues, reflectors, leader election,
 * event aggregation) asks a `Clock` instead of calling `Date.now()` or `setTimeout` itself, so tests can
 * drive time by hand with `FakeClock` (as client-go's `k8s.io/utils/clock/testing` does).
 */

/** A pending timer; `stop()` cancels it and returns whether it had not fired yet. */
export interface Timer {
  stop(): boolean;
}

/**
 * The clock contract:
 * - `now()` is milliseconds since the Unix epoch;
 * - `setTimer(ms, fn)` calls `fn` once, no earlier than `ms` from now;
 * - `sleep(ms, signal)` resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 */
export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): Timer;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      timer.stop();
      reject(abortReason(signal!));
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wall clock: `Date.now()` and `setTimeout`. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): Timer {
    let fired = false;
    const handle = setTimeout(() => {
      fired = true;
      fn();
    }, Math.max(0, ms));
    return {
      stop: () => {
        clearTimeout(handle);
        const wasPending = !fired;
        fired = true;
        return wasPending;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
}

/** The process-wide real clock, the default everywhere a clock is optional. */
export const realClock: Clock = new RealClock();

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  done: boolean;
}

/**
 * A clock that moves only when the test says so. `step(ms)` advances time and fires, in order of due
 * time, every timer that has come due (including timers set by the callbacks it fires, if they fall due
 * within the step). `waiters()` tells how many timers are pending, so a test can wait until the code
 * under test has gone to sleep before stepping.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.time = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const t: FakeTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, done: false };
    this.timers.push(t);
    return {
      stop: () => {
        if (t.done) return false;
        t.done = true;
        this.timers = this.timers.filter((x) => x !== t);
        return true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Number of timers not yet fired nor stopped. */
  waiters(): number {
    return this.timers.length;
  }

  /** Due time of the earliest pending timer, if any. */
  nextDue(): number | undefined {
    return this.timers.reduce<number | undefined>((m, t) => (m === undefined || t.at < m ? t.at : m), undefined);
  }

  /** Advances time by `ms`, firing due timers in order. */
  step(ms: number): void {
    this.setTime(this.time + ms);
  }

  /** Moves time to `t` (never backwards), firing due timers in order. */
  setTime(t: number): void {
    for (;;) {
      const due = this.timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      due.done = true;
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = Math.max(this.time, t);
  }

  /**
   * Lets pending promise callbacks run, then steps: the usual way to advance a fake clock under async
   * code that needs a few microtask turns to reach its next sleep.
   */
  async tick(ms: number): Promise<void> {
    await settle();
    this.step(ms);
    await settle();
  }
}

/** Resolves after pending microtasks and one macrotask turn have run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** RFC 3339 with second precision, as `metav1.Time` is written: `2026-01-01T00:00:00Z`. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as `metav1.MicroTime` is written: `2026-01-01T00:00:00.000000Z`. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Lets the event loop turn until `cond()` holds; throws after `maxTurns` turns. For tests on fake clocks. */
export async function settleUntil(cond: () => boolean, maxTurns = 1000, what = 'condition'): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await settle();
  }
  throw new Error(`timed out waiting for ${what}`);
}
