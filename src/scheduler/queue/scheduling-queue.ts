/**
 * The scheduling queue (upstream's `PriorityQueue`), three places a pending pod can be:
 * - **activeQ**, a heap ordered by the profile's QueueSort (priority, then time queued): pods to try now;
 * - **backoffQ**, a heap ordered by backoff expiry: pods that failed recently and wait
 *   `initial × 2^(attempts−1)` (1 s doubling to at most 10 s) before going back to activeQ;
 * - **unschedulable pods**, a map: pods that fit nowhere; a cluster event that may help them (a node
 *   added, a pod deleted, ...) moves them to backoffQ or activeQ, and any still there after 5 minutes
 *   are moved anyway.
 *
 * Contract: a pod is in at most one of the three; `pop` hands out each pod once until it is added again;
 * if a move request arrives while a pod is being scheduled, a failure of that pod goes to backoffQ, not
 * to the unschedulable map (so the event is not lost). Time comes from the injected clock.
 */
import type { ClusterEvent, ClusterEventWithHint } from '../framework/events.js';
import { eventMatches, QueueingHint } from '../framework/events.js';
import type { QueuedPodInfo } from '../framework/interface.js';
import { PodInfo } from '../framework/pod-info.js';
import type { Result } from '../framework/status.js';
import type { Pod } from '../framework/types.js';
import type { Clock, Timer } from '../util/clock.js';
import { Heap } from './heap.js';
import { Nominator } from './nominator.js';

export interface SchedulingQueueOptions {
  /** The QueueSort plugin's order. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  clock: Clock;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** Plugin name → the events after which a pod it rejected is worth retrying. */
  eventsToRegister?: ReadonlyMap<string, readonly ClusterEventWithHint[]>;
  /** PreEnqueue checks (scheduling gates): a non-null result keeps the pod out of activeQ. */
  preEnqueue?: (pod: PodInfo) => Result;
}

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 5 * 60_000;
const BACKOFF_FLUSH_INTERVAL_MS = 1_000;
const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

/** Counts for diagnostics and tests. */
export interface PendingCounts {
  active: number;
  backoff: number;
  unschedulable: number;
  gated: number;
}

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly clock: Clock;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxUnschedulable: number;
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly gated = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Set<string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiters: ((p: QueuedPodInfo | null) => void)[] = [];
  private timers: Timer[] = [];
  private closed = false;
  private seq = 0;

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.clock = opts.clock;
    this.initialBackoff = opts.podInitialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoff = opts.podMaxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxUnschedulable = opts.podMaxInUnschedulablePodsDurationMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS;
    const key = (q: QueuedPodInfo) => q.podInfo.key;
    this.activeQ = new Heap(key, opts.less);
    this.backoffQ = new Heap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flushes (backoff every second, leftover unschedulable pods every 30 s). */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const arm = () => {
        const t = this.clock.setTimer(ms, () => {
          if (this.closed) return;
          fn();
          arm();
        });
        this.timers.push(t);
        if (this.timers.length > 4) this.timers = this.timers.slice(-4);
      };
      arm();
    };
    every(BACKOFF_FLUSH_INTERVAL_MS, () => this.flushBackoffQCompleted());
    every(UNSCHEDULABLE_FLUSH_INTERVAL_MS, () => this.flushUnschedulablePodsLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.stop();
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(null);
  }

  private newQueued(pod: Pod | PodInfo): QueuedPodInfo {
    const podInfo = pod instanceof PodInfo ? pod : new PodInfo(pod);
    const now = this.clock.now();
    return { podInfo, timestamp: now, seq: this.seq++, initialAttemptTimestamp: now, attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set() };
  }

  /** A new pending pod. */
  add(pod: Pod | PodInfo): void {
    const q = this.newQueued(pod);
    const key = q.podInfo.key;
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
    this.nominator.add(q.podInfo);
    this.toActive(q);
  }

  /** Puts `q` in activeQ unless a PreEnqueue check holds it back. */
  private toActive(q: QueuedPodInfo): boolean {
    if (this.opts.preEnqueue && this.opts.preEnqueue(q.podInfo) !== null) {
      this.gated.set(q.podInfo.key, q);
      return false;
    }
    this.gated.delete(q.podInfo.key);
    this.activeQ.addOrUpdate(q);
    const w = this.waiters.shift();
    if (w) {
      const next = this.tryPop();
      if (next) w(next);
      else this.waiters.unshift(w);
    }
    return true;
  }

  /** The next pod to schedule, waiting if there is none; null once the queue is closed. */
  pop(): Promise<QueuedPodInfo | null> {
    const q = this.tryPop();
    if (q || this.closed) return Promise.resolve(q ?? null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next pod to schedule, or undefined when activeQ is empty. */
  tryPop(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (!q) return undefined;
    q.attempts++;
    this.schedulingCycle++;
    this.inFlight.add(q.podInfo.key);
    return q;
  }

  /** The scheduling cycle number of the last pop (for `addUnschedulableIfNotPresent`). */
  currentCycle(): number {
    return this.schedulingCycle;
  }

  /** The pod popped last is no longer being worked on. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  private has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.gated.has(key);
  }

  /**
   * A pod failed to schedule in cycle `podCycle`. It goes to backoffQ if a move request came in since
   * (or it failed with an error rather than a rejection), otherwise to the unschedulable map, where any
   * event its rejecting plugins registered (any event at all, if none is known) moves it back.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podCycle: number, isError = false): void {
    const key = q.podInfo.key;
    this.inFlight.delete(key);
    if (this.has(key)) return;
    q.timestamp = this.clock.now();
    q.seq = this.seq++;
    if (isError || this.moveRequestCycle >= podCycle) this.backoffQ.addOrUpdate(q);
    else this.unschedulable.set(key, q);
  }

  /** A pending pod changed. A real spec change gives an unschedulable pod another try. */
  update(oldPod: Pod, newPod: Pod): void {
    const info = new PodInfo(newPod);
    const key = info.key;
    this.nominator.update(key, info);
    for (const heap of [this.activeQ, this.backoffQ]) {
      const q = heap.get(key);
      if (q) {
        q.podInfo = info;
        heap.addOrUpdate(q);
        return;
      }
    }
    const g = this.gated.get(key);
    if (g) {
      g.podInfo = info;
      this.toActive(g);
      return;
    }
    const u = this.unschedulable.get(key);
    if (u) {
      u.podInfo = info;
      if (specChanged(oldPod, newPod)) {
        this.unschedulable.delete(key);
        if (this.isBackingOff(u)) this.backoffQ.addOrUpdate(u);
        else this.toActive(u);
      }
      return;
    }
    if (!this.inFlight.has(key)) this.add(info);
  }

  delete(pod: Pod): void {
    const key = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
    this.nominator.delete(key);
  }

  /**
   * A cluster event happened: unschedulable pods that one of their rejecting plugins registered for this
   * event (and whose queueing hint, if any, says Queue) move to backoffQ or activeQ.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown): number {
    let moved = 0;
    if (this.unschedulable.size > 0) {
      for (const [key, q] of this.unschedulable) {
        if (!this.isWorthRequeuing(q, event, oldObj, newObj)) continue;
        this.unschedulable.delete(key);
        if (this.isBackingOff(q)) this.backoffQ.addOrUpdate(q);
        else this.toActive(q);
        moved++;
      }
    }
    this.moveRequestCycle = this.schedulingCycle;
    return moved;
  }

  /** Whether anything waits in the unschedulable map (callers can skip computing events otherwise). */
  hasUnschedulable(): boolean {
    return this.unschedulable.size > 0 || this.inFlight.size > 0;
  }

  private isWorthRequeuing(q: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    if (event.resource === '*') return true;
    const plugins = [...q.unschedulablePlugins, ...q.pendingPlugins];
    if (plugins.length === 0) return true;
    const registry = this.opts.eventsToRegister;
    if (!registry) return true;
    for (const name of plugins) {
      const regs = registry.get(name);
      if (!regs) return true;
      for (const r of regs) {
        if (!eventMatches(r.event, event)) continue;
        if (!r.hint || r.hint(q.podInfo.pod, oldObj, newObj) === QueueingHint.Queue) return true;
      }
    }
    return false;
  }

  /** `initial × 2^(attempts−1)`, capped at the maximum. */
  backoffDuration(q: QueuedPodInfo): number {
    let d = this.initialBackoff;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d > this.maxBackoff) return this.maxBackoff;
    }
    return d;
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.clock.now();
  }

  /** Moves pods whose backoff has expired to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q || this.backoffExpiry(q) > now) return;
      this.backoffQ.pop();
      this.toActive(q);
    }
  }

  /** Moves pods unschedulable for longer than the maximum (5 minutes) back, whatever happened. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp <= this.maxUnschedulable) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.backoffQ.addOrUpdate(q);
      else this.toActive(q);
    }
  }

  counts(): PendingCounts {
    return { active: this.activeQ.length, backoff: this.backoffQ.length, unschedulable: this.unschedulable.size, gated: this.gated.size };
  }

  /** Where the pod is, for tests and diagnostics. */
  whereIs(key: string): 'active' | 'backoff' | 'unschedulable' | 'gated' | 'inFlight' | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.gated.has(key)) return 'gated';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** Every pending pod (for preemption's "nominated pods" and listing). */
  pendingPods(): PodInfo[] {
    return [...this.activeQ.list(), ...this.backoffQ.list(), ...this.unschedulable.values(), ...this.gated.values()].map((q) => q.podInfo);
  }
}

/** Whether anything but status and bookkeeping metadata changed (upstream's `isPodUpdated`). */
function specChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined } });
  return strip(a) !== strip(b);
}
