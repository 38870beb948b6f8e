/**
 * The queue controllers use (client-go `RateLimitingInterface`): a delaying work queue whose retries are
 * spaced by a rate limiter.
 *
 * Contract (on top of `DelayingQueue`'s): `addRateLimited(item)` adds `item` after the delay its limiter
 * returns (which grows with each failure); `forget(item)` resets that history and must be called when
 * `item` was processed successfully; `numRequeues(item)` tells how many times it was rate-limited since.
 */
import { realClock, type Clock } from '../clock.js';
import { DelayingWorkQueue, type DelayingQueue } from './delaying-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface RateLimitingQueue<T> extends DelayingQueue<T> {
  addRateLimited(item: T): void;
  forget(item: T): void;
  numRequeues(item: T): number;
}

export interface RateLimitingQueueOptions<T> {
  clock?: Clock;
  /** Defaults to `defaultControllerRateLimiter` on the same clock. */
  rateLimiter?: RateLimiter<T>;
  /** A name for logs and metrics. */
  name?: string;
}

export class RateLimitingWorkQueue<T> extends DelayingWorkQueue<T> implements RateLimitingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;
  readonly name: string;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    super(opts.clock ?? realClock);
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
    this.name = opts.name ?? '';
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
