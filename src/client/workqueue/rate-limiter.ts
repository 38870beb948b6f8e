/**
 * Rate limiters decide how long an item waits before it is retried (client-go `default_rate_limiters.go`).
 *
 * Contract: `when(item)` records one more failure of `item` and returns the delay in milliseconds before
 * the next try; `forget(item)` clears its failure history (call it on success); `numRequeues(item)` is
 * the number of failures recorded since the last `forget`.
 */
import { realClock, type Clock } from '../clock.js';

export interface RateLimiter<T> {
  when(item: T): number;
  forget(item: T): void;
  numRequeues(item: T): number;
}

/** `base * 2^failures`, capped at `max`: 5 ms, 10 ms, 20 ms, … 1000 s by default, as upstream. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(readonly baseMs = 5, readonly maxMs = 1000_000) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity for large n; Math.min caps it.
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** `fastMs` for the first `maxFastAttempts` failures of an item, then `slowMs`. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(readonly fastMs: number, readonly slowMs: number, readonly maxFastAttempts: number) {}

  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastMs : this.slowMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * An overall token bucket shared by all items: `qps` tokens per second, at most `burst` saved up. Each
 * `when` takes one token, borrowing from the future when the bucket is empty, and returns how long until
 * that token exists (Go's `rate.Limiter.Reserve().Delay()`). It keeps no per-item history.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;

  constructor(readonly qps = 10, readonly burst = 100, private readonly clock: Clock = realClock) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters; failures counted as the most any of them counts. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

/**
 * What controllers use unless they say otherwise (client-go `DefaultControllerRateLimiter`): per-item
 * exponential backoff from 5 ms to 1000 s, combined with an overall bucket of 10 qps and burst 100.
 */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(10, 100, clock));
}
