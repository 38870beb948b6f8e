/**
 * The work queue every controller pulls keys from (client-go `util/workqueue`).
 *
 * Contract:
 * - **Fair**: items are handed out in the order they were added.
 * - **Never two workers on one key**: an item is handed out to one worker at a time. An item added again
 *   while a worker processes it is held back (it is `dirty`) and re-queued only when that worker calls
 *   `done(item)`.
 * - **De-duplicating**: an item added many times before a worker takes it is processed once.
 * - **Many producers, many consumers**: any number of callers may `add` and any number of workers may
 *   wait in `get` at the same time; waiting workers are served in the order they called `get`.
 * - **Clean shutdown**: after `shutDown()` further adds are ignored, items already queued are still
 *   handed out, and once the queue is empty every `get` resolves `undefined` so workers can exit.
 *   `shutDownWithDrain()` also waits for the items being processed to be `done`.
 *
 * The de-duplication fits in two sets: `dirty` holds items waiting to be processed, `processing` holds
 * items a worker has taken and not yet marked done.
 */
export interface Queue<T> {
  add(item: T): void;
  /** Waits for an item; `undefined` means the queue is shut down and empty: the worker should exit. */
  get(): Promise<T | undefined>;
  /** Marks `item` processed; if it was added meanwhile it goes back in the queue. */
  done(item: T): void;
  len(): number;
  shutDown(): void;
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

export class WorkQueue<T> implements Queue<T> {
  private queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private stopping = false;

  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.handOut();
  }

  get(): Promise<T | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.stopping) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.handOut();
    }
    if (this.processing.size === 0) {
      for (const w of this.drainWaiters.splice(0)) w();
    }
  }

  len(): number {
    return this.queue.length;
  }

  /** Number of items taken by workers and not yet done. */
  processingCount(): number {
    return this.processing.size;
  }

  shutDown(): void {
    this.stopping = true;
    if (this.queue.length === 0) for (const w of this.waiters.splice(0)) w(undefined);
  }

  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    while (this.processing.size > 0 || this.queue.length > 0) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private take(): T {
    const item = this.queue.shift()!;
    this.processing.add(item);
    this.dirty.delete(item);
    if (this.queue.length === 0 && this.stopping) for (const w of this.waiters.splice(0)) w(undefined);
    return item;
  }

  private handOut(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) this.waiters.shift()!(this.take());
  }
}
