/**
 * `WatchChannel`: a `Watch` fed by pushes. The producer (an HTTP response parser, or the fake tracker)
 * calls `push(event)` for each event and `end(err?)` when the stream is over; the consumer iterates.
 *
 * Contract: events come out in push order, none is lost while nobody is iterating; after `end()` the
 * iterator drains what was pushed and then returns (or throws `err`, if one was given); `stop()` from the
 * consumer ends the iteration at once, drops what is buffered and calls the `onStop` hook once so the
 * producer can release its resources. Only one consumer may iterate.
 */
import type { KubeObject } from '../api/types.js';
import type { Watch, WatchEvent } from './client.js';

export class WatchChannel<T = KubeObject> implements Watch<T> {
  private buffer: WatchEvent<T>[] = [];
  private waiting: ((r: IteratorResult<WatchEvent<T>>) => void) | undefined;
  private failWaiting: ((err: unknown) => void) | undefined;
  private ended = false;
  private error: unknown;
  private stopped = false;

  constructor(private readonly onStop: () => void = () => {}) {}

  push(event: WatchEvent<T>): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.clearWaiter();
      w({ value: event, done: false });
    } else {
      this.buffer.push(event);
    }
  }

  /** The producer is finished; `err` makes the consumer's iteration throw after the buffered events. */
  end(err?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = err;
    if (this.waiting) {
      const w = this.waiting;
      const f = this.failWaiting!;
      this.clearWaiter();
      if (err !== undefined) f(err);
      else w({ value: undefined, done: true });
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.buffer = [];
    this.end();
    this.onStop();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    return {
      next: () => {
        const e = this.buffer.shift();
        if (e) return Promise.resolve({ value: e, done: false });
        if (this.ended) {
          if (this.error !== undefined && !this.stopped) {
            const err = this.error;
            this.error = undefined;
            return Promise.reject(err);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private clearWaiter(): void {
    this.waiting = undefined;
    this.failWaiting = undefined;
  }
}
