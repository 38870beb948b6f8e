/**
 * The controller runner: the sample-controller shape, written once for every k8ts controller.
 *
 * A controller is a `sync(key)` function plus the informers it reads. Its event handlers only enqueue
 * keys (`namespace/name`); `run(signal)` waits until the informers' caches have synced, then starts N
 * workers. Each worker takes a key from the rate-limited queue and calls `sync(key)`, which reads the
 * current state from the caches and makes the world match it. The retry policy lives here, in one place:
 *
 * | sync outcome                      | queue action          | also                                       |
 * | --------------------------------- | --------------------- | ------------------------------------------ |
 * | success                           | `forget(key)`         |                                            |
 * | success, `{ requeueAfterMs: n }`  | `forget(key)`, `addAfter(key, n)` | for time-based work (minReadySeconds, deadlines) |
 * | throws `InvalidSpecError`         | `forget(key)`         | Warning Event on the object; not retried   |
 * | throws anything else              | `addRateLimited(key)` | logged; dropped after `maxRetries`, if set |
 *
 * The queue guarantees a key is never synced by two workers at once. On abort the queue shuts down and
 * `run` returns once every worker has finished the key it was on.
 */
import type { KubeObject, OwnerReference } from '../api/types.js';
import { realClock, type Clock } from './clock.js';
import { DeletedFinalStateUnknown, deletionHandlingKey } from './cache/keys.js';
import type { ResourceEventHandler } from './cache/shared-informer.js';
import { waitForCacheSync } from './cache/shared-informer.js';
import type { EventRecorder } from './record/event-recorder.js';
import { RateLimitingWorkQueue, type RateLimitingQueue } from './workqueue/rate-limiting-queue.js';

/**
 * Thrown by `sync` when the object itself is wrong (e.g. a selector that does not match its template):
 * retrying cannot help, so the runner reports it as a Warning Event on `object` and moves on.
 */
export class InvalidSpecError extends Error {
  override name = 'InvalidSpecError';
  constructor(message: string, readonly object?: KubeObject, readonly reason = 'InvalidSpec') {
    super(message);
  }
}

/** What `sync` may return: nothing, or a request to look at the key again later. */
export type SyncResult = void | { requeueAfterMs: number };

export interface ControllerOptions {
  /** Used in logs and as the queue's name, e.g. "replicaset". */
  name: string;
  /** Makes the world match the cached state of `key`; may ask to be called again after a delay. */
  sync(key: string): Promise<SyncResult>;
  /** Caches that must have synced before the first sync. */
  informers?: { whenSynced(): Promise<void> }[];
  queue?: RateLimitingQueue<string>;
  recorder?: EventRecorder;
  clock?: Clock;
  /** Give up on a key after this many failed syncs in a row (upstream controllers use 15). */
  maxRetries?: number;
  log?: (line: string) => void;
}

export class Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue<string>;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: ControllerOptions) {
    this.name = opts.name;
    this.queue = opts.queue ?? new RateLimitingWorkQueue<string>({ clock: opts.clock ?? realClock, name: opts.name });
    this.log = opts.log ?? ((line) => console.error(`k8ts: ${opts.name}: ${line}`));
  }

  /** Enqueues the key of an object (or tombstone), or a key as given. */
  enqueue(objOrKey: string | KubeObject | DeletedFinalStateUnknown<KubeObject>): void {
    this.queue.add(typeof objOrKey === 'string' ? objOrKey : deletionHandlingKey(objOrKey));
  }

  enqueueAfter(objOrKey: string | KubeObject, ms: number): void {
    this.queue.addAfter(typeof objOrKey === 'string' ? objOrKey : deletionHandlingKey(objOrKey), ms);
  }

  /** A handler that enqueues the object on add, update and delete: the usual handler for the primary kind. */
  enqueueHandler(): ResourceEventHandler<KubeObject> {
    return {
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_old, o) => this.enqueue(o),
      onDelete: (o) => this.enqueue(o),
    };
  }

  /**
   * A handler for an owned kind (pods of a ReplicaSet): enqueues `namespace/owner` of the object's
   * controller ownerReference when that owner is of `ownerKind`. `onUpdate` enqueues both the old and
   * the new owner when the reference changed.
   */
  ownerHandler(ownerKind: string): ResourceEventHandler<KubeObject> {
    const enqueueOwner = (o: KubeObject) => {
      const ref = controllerRef(o);
      if (ref && ref.kind === ownerKind) this.enqueue(o.metadata?.namespace ? `${o.metadata.namespace}/${ref.name}` : ref.name);
    };
    return {
      onAdd: enqueueOwner,
      onUpdate: (old, o) => {
        enqueueOwner(o);
        if (controllerRef(old)?.uid !== controllerRef(o)?.uid) enqueueOwner(old);
      },
      onDelete: (o) => enqueueOwner(o instanceof DeletedFinalStateUnknown ? o.obj : o),
    };
  }

  /** Waits for the caches, then runs `workers` workers until `signal` aborts. */
  async run(signal: AbortSignal, workers = 1): Promise<void> {
    if (!(await waitForCacheSync(signal, ...(this.opts.informers ?? [])))) {
      this.queue.shutDown();
      return;
    }
    const onAbort = () => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    try {
      await Promise.all(Array.from({ length: workers }, () => this.worker(signal)));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (signal.aborted) {
        this.queue.done(key);
        continue;
      }
      await this.process(key);
    }
  }

  /** Syncs one key taken from the queue and applies the retry policy. Exposed for tests. */
  async process(key: string): Promise<void> {
    try {
      const result = await this.opts.sync(key);
      this.queue.forget(key);
      if (result && result.requeueAfterMs >= 0) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      if (err instanceof InvalidSpecError) {
        this.queue.forget(key);
        if (err.object) this.opts.recorder?.event(err.object, 'Warning', err.reason, err.message);
        this.log(`${key}: ${err.message} (not retried)`);
      } else if (this.opts.maxRetries !== undefined && this.queue.numRequeues(key) >= this.opts.maxRetries) {
        this.queue.forget(key);
        this.log(`${key}: dropping out of the queue after ${this.opts.maxRetries} retries: ${(err as Error).message ?? err}`);
      } else {
        this.queue.addRateLimited(key);
        this.log(`${key}: error syncing, requeued: ${(err as Error).message ?? err}`);
      }
    } finally {
      this.queue.done(key);
    }
  }

  /** Takes one key (waiting if need be) and processes it; false once the queue is shut down. For tests. */
  async processNextWorkItem(): Promise<boolean> {
    const key = await this.queue.get();
    if (key === undefined) return false;
    await this.process(key);
    return true;
  }
}

/** The ownerReference with `controller: true`, if any (metav1.GetControllerOf). */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}
