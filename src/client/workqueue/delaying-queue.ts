/**
 * A work queue that can also add an item later (client-go `DelayingInterface`).
 *
 * Contract (on top of `Queue`'s): `addAfter(item, ms)` adds `item` once `ms` have passed on the injected
 * clock; `ms <= 0` adds at once. If the same item is scheduled several times, the earliest time wins.
 * Shutting down cancels every pending delayed add.
 */
import { realClock, type Clock, type Timer } from '../clock.js';
import { WorkQueue, type Queue } from './queue.js';

export interface DelayingQueue<T> extends Queue<T> {
  addAfter(item: T, ms: number): void;
}

export class DelayingWorkQueue<T> extends WorkQueue<T> implements DelayingQueue<T> {
  private readonly waiting = new Map<T, { at: number; timer: Timer }>();

  constructor(protected readonly clock: Clock = realClock) {
    super();
  }

  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing) {
      if (existing.at <= at) return;
      existing.timer.stop();
    }
    const timer = this.clock.setTimer(ms, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { at, timer });
  }

  /** Number of items waiting for their time to come. */
  delayedCount(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    for (const { timer } of this.waiting.values()) timer.stop();
    this.waiting.clear();
    super.shutDown();
  }
}
