/**
 * The scheduler: watches pending pods and the cluster, and for each pod runs a scheduling cycle
 * (synchronous: filter, score, assume) followed by an asynchronous binding cycle (bind through the
 * sink), as upstream's `Scheduler`. Pods that fit nowhere get `PodScheduled=False` (reason
 * Unschedulable) and a `FailedScheduling` event, may preempt lower-priority pods, and are retried from
 * the queue when the cluster changes.
 *
 * Inputs and outputs are injected (`SchedulerEventSource`, `SchedulerSink`), as are the clock and the
 * random source, so the whole scheduler runs in memory in tests and benchmarks.
 */
import { SchedulerCache } from './cache/cache.js';
import { assignedPodUpdateEvent, events, nodeUpdateEvent, type ClusterEvent } from './framework/events.js';
import { FitError } from './framework/fit-error.js';
import { Framework } from './framework/framework.js';
import { CycleState, type QueuedPodInfo } from './framework/interface.js';
import { PodInfo, podKey } from './framework/pod-info.js';
import { defaultProfile, DEFAULT_SCHEDULER_NAME, type Profile } from './framework/profile.js';
import type { Registry } from './framework/registry.js';
import type { Node, Pod } from './framework/types.js';
import { ObjectStore } from './object-store.js';
import { inTreeRegistry } from './plugins/registry.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { schedulePod } from './schedule-one.js';
import type { SchedulerEvent, SchedulerEventSource, SchedulerSink } from './sources.js';
import { systemClock, type Clock } from './util/clock.js';

export interface SchedulerOptions {
  source: SchedulerEventSource;
  sink: SchedulerSink;
  /** Profiles by schedulerName; default: upstream's default profile. */
  profiles?: Profile[];
  /** In-tree plugins plus any out-of-tree ones. */
  registry?: Registry;
  clock?: Clock;
  random?: () => number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** How long an assumed pod waits for its binding to be confirmed after binding returned (0: forever). */
  assumedPodTtlMs?: number;
}

/** What happened to one scheduling attempt; for observers (tests, benchmarks, logs). */
export interface AttemptResult {
  pod: Pod;
  result: 'scheduled' | 'unschedulable' | 'error';
  nodeName?: string;
  message?: string;
  /** From first being queued to the decision, in ms (clock time). */
  latencyMs: number;
  /** The scheduling cycle alone (filter, score, assume), in ms of wall time. */
  cycleMs: number;
}

const MAX_SLICE_MS = 20;

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly objects = new ObjectStore();
  readonly frameworks = new Map<string, Framework>();
  private readonly clock: Clock;
  private readonly sink: SchedulerSink;
  private readonly source: SchedulerEventSource;
  /** Pending pods this scheduler is responsible for, by key (to drop results for pods deleted meanwhile). */
  private readonly pending = new Map<string, string>();
  private nextStartNodeIndex = 0;
  private stopSource: (() => void) | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly bindings = new Set<Promise<void>>();
  private readonly observers: ((r: AttemptResult) => void)[] = [];
  private readonly assumedPodTtlMs: number;
  private cleanupTimer: { stop(): boolean } | null = null;

  constructor(opts: SchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.sink = opts.sink;
    this.source = opts.source;
    this.assumedPodTtlMs = opts.assumedPodTtlMs ?? 0;
    this.cache = new SchedulerCache(this.clock, this.assumedPodTtlMs);
    const registry = opts.registry ?? inTreeRegistry();
    const profiles = opts.profiles && opts.profiles.length > 0 ? opts.profiles : [defaultProfile()];
    let queueRef: SchedulingQueue | null = null;
    for (const profile of profiles) {
      const fwk = new Framework(registry, profile, {
        snapshot: () => this.cache,
        listers: this.objects,
        nominator: { nominatedPodsForNode: (n) => queueRef!.nominator.nominatedPodsForNode(n) },
        clock: this.clock,
        random: opts.random,
        bind: (pod, nodeName) => this.sink.bind(pod, nodeName),
        evict: async (pod, reason) => {
          this.sink.recordEvent({ object: pod, type: 'Normal', reason: 'Preempted', message: reason });
          await this.sink.evict(pod, reason);
        },
        clearNomination: (pod) => this.sink.updatePodCondition(pod, null, '').then(() => this.queue.nominator.delete(podKey(pod))),
      });
      if (this.frameworks.has(fwk.profileName)) throw new Error(`duplicate profile ${fwk.profileName}`);
      this.frameworks.set(fwk.profileName, fwk);
    }
    const first = this.frameworks.values().next().value as Framework;
    const hints = new Map<string, ReturnType<Framework['eventsToRegister']['get']> & object>();
    for (const f of this.frameworks.values()) for (const [k, v] of f.eventsToRegister) hints.set(k, v);
    this.queue = new SchedulingQueue({
      less: first.queueSortLess,
      clock: this.clock,
      podInitialBackoffMs: opts.podInitialBackoffMs,
      podMaxBackoffMs: opts.podMaxBackoffMs,
      podMaxInUnschedulablePodsDurationMs: opts.podMaxInUnschedulablePodsDurationMs,
      eventsToRegister: hints,
      preEnqueue: (p) => this.frameworkFor(p.pod)?.runPreEnqueuePlugins(p) ?? null,
    });
    queueRef = this.queue;
  }

  /** Registers a callback for every scheduling attempt's outcome. */
  onAttempt(fn: (r: AttemptResult) => void): void {
    this.observers.push(fn);
  }

  private frameworkFor(pod: Pod): Framework | undefined {
    return this.frameworks.get(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  // ---- events ----

  /** Applies one cluster change (the event source calls this; tests may too). */
  handle(ev: SchedulerEvent): void {
    switch (ev.kind) {
      case 'Pod':
        return this.handlePod(ev);
      case 'Node':
        return this.handleNode(ev);
      default:
        if (!this.objects.apply(ev)) return;
        this.moveOn(eventFor(ev));
    }
  }

  private handlePod(ev: SchedulerEvent): void {
    const pod = ev.object as Pod;
    const old = ev.oldObject as Pod | undefined;
    const key = podKey(pod);
    const assigned = !!pod.spec?.nodeName;
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (ev.type === 'DELETED') {
      this.pending.delete(key);
      if (assigned || this.cache.getPod(pod)) {
        this.cache.removePod(pod);
        this.moveOn(events.assignedPodDelete, pod, undefined);
      }
      this.queue.delete(pod);
      return;
    }
    if (assigned) {
      this.pending.delete(key);
      const wasAssigned = !!old?.spec?.nodeName;
      if (!wasAssigned) this.queue.delete(pod);
      if (terminal) {
        // Finished pods free their resources, as if deleted.
        if (this.cache.getPod(pod)) {
          this.cache.removePod(pod);
          this.moveOn(events.assignedPodDelete, pod, undefined);
        }
        return;
      }
      if (ev.type === 'ADDED' || !wasAssigned || !this.cache.getPod(pod)) {
        this.cache.addPod(pod);
        this.moveOn(events.assignedPodAdd, undefined, pod);
      } else {
        this.cache.updatePod(old!, pod);
        if (this.queue.hasUnschedulable()) this.moveOn(assignedPodUpdateEvent(old!, pod), old, pod);
      }
      return;
    }
    if (terminal || !this.frameworkFor(pod)) return;
    if (this.cache.isAssumed(pod)) return;
    this.pending.set(key, pod.metadata?.uid ?? '');
    if (ev.type === 'ADDED' || !old) this.queue.add(pod);
    else this.queue.update(old, pod);
  }

  private handleNode(ev: SchedulerEvent): void {
    const node = ev.object as Node;
    if (ev.type === 'DELETED') {
      this.cache.removeNode(node);
      return;
    }
    const old = ev.oldObject as Node | undefined;
    if (ev.type === 'ADDED' || !old) {
      this.cache.addNode(node);
      this.moveOn(events.nodeAdd, undefined, node);
      return;
    }
    this.cache.updateNode(old, node);
    if (!this.queue.hasUnschedulable()) return;
    const e = nodeUpdateEvent(old, node);
    if (e.action !== 0) this.moveOn(e, old, node);
  }

  private moveOn(e: ClusterEvent, oldObj?: unknown, newObj?: unknown): void {
    this.queue.moveAllToActiveOrBackoffQueue(e, oldObj, newObj);
  }

  // ---- lifecycle ----

  /** Subscribes to the event source, waits for it to sync, and starts scheduling. */
  async start(): Promise<void> {
    this.stopSource = this.source.subscribe((ev) => this.handle(ev));
    await this.source.synced?.();
    this.queue.run();
    if (this.assumedPodTtlMs > 0) this.scheduleCleanup();
    this.loop = this.runLoop();
  }

  /** Every second, drops assumed pods whose binding was never confirmed within the TTL. */
  private scheduleCleanup(): void {
    this.cleanupTimer = this.clock.setTimer(1_000, () => {
      if (this.stopped) return;
      if (this.cache.cleanupAssumedPods() > 0) this.moveOn(events.assignedPodDelete);
      this.scheduleCleanup();
    });
  }

  /** Stops scheduling and waits for in-flight bindings. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cleanupTimer?.stop();
    this.stopSource?.();
    this.queue.close();
    await this.loop;
    await Promise.allSettled([...this.bindings]);
  }

  private async runLoop(): Promise<void> {
    let sliceStart = performance.now();
    while (!this.stopped) {
      const q = this.queue.tryPop() ?? (await this.queue.pop());
      if (!q) return;
      try {
        const p = this.scheduleOne(q);
        if (p) await p;
      } catch (err) {
        // A bug must not stop scheduling: the pod is retried with backoff.
        this.handleFailure(q, this.queue.currentCycle(), 'SchedulerError', err instanceof Error ? err.message : String(err), true, performance.now());
      }
      if (performance.now() - sliceStart > MAX_SLICE_MS) {
        // Let I/O (watch events, binding responses) in between long runs of scheduling cycles.
        await new Promise((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
  }

  /** Waits until every binding started so far has finished (tests, benchmarks). */
  async flushBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  // ---- one pod ----

  /**
   * Runs the scheduling cycle for one popped pod. Returns a promise only when the pod failed and
   * PostFilter (preemption) must be awaited; a success starts the binding cycle in the background.
   */
  scheduleOne(q: QueuedPodInfo): Promise<void> | void {
    const podInfo = q.podInfo;
    const pod = podInfo.pod;
    const fwk = this.frameworkFor(pod);
    if (!fwk || pod.metadata?.deletionTimestamp || this.cache.isAssumed(pod) || !this.pending.has(podInfo.key)) {
      this.queue.done(podInfo.key);
      return;
    }
    const cycle = this.queue.currentCycle();
    const state = new CycleState();
    const t0 = performance.now();
    let host: string;
    try {
      const r = schedulePod(fwk, this.cache, state, podInfo, this.nextStartNodeIndex);
      this.nextStartNodeIndex = r.nextStartNodeIndex;
      host = r.suggestedHost;
    } catch (err) {
      if (err instanceof FitError) return this.handleFitError(fwk, state, q, err, cycle, t0);
      this.handleFailure(q, cycle, 'SchedulerError', err instanceof Error ? err.message : String(err), true, t0);
      return;
    }
    // Assume: the next cycle already sees the node's resources as taken.
    const assumed = podInfo.withNodeName(host);
    this.cache.assumePod(assumed);
    const rs = fwk.runReservePlugins(state, assumed, host);
    if (rs) {
      fwk.runUnreservePlugins(state, assumed, host);
      this.cache.forgetPod(assumed.pod);
      this.handleFailure(q, cycle, 'SchedulerError', rs.message(), true, t0);
      return;
    }
    this.queue.nominator.delete(podInfo.key);
    const b = this.bindingCycle(fwk, state, q, assumed, host, cycle, performance.now() - t0);
    this.bindings.add(b);
    void b.finally(() => this.bindings.delete(b));
  }

  private async bindingCycle(fwk: Framework, state: CycleState, q: QueuedPodInfo, assumed: PodInfo, host: string, cycle: number, cycleMs: number): Promise<void> {
    let s = await fwk.runPreBindPlugins(state, assumed, host);
    if (!s) s = await fwk.runBindPlugins(state, assumed, host);
    if (s) {
      fwk.runUnreservePlugins(state, assumed, host);
      this.cache.forgetPod(assumed.pod);
      // The assumed pod's room is free again: others may fit now.
      this.moveOn(events.assignedPodDelete, assumed.pod, undefined);
      this.handleFailure(q, cycle, 'SchedulerError', `running Bind plugin "${s.plugin}": ${s.message()}`, true, performance.now() - cycleMs);
      return;
    }
    this.cache.finishBinding(assumed.pod);
    this.queue.done(q.podInfo.key);
    const pod = q.podInfo.pod;
    this.sink.recordEvent({ object: pod, type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${q.podInfo.key} to ${host}` });
    fwk.runPostBindPlugins(state, assumed, host);
    this.notify({ pod, result: 'scheduled', nodeName: host, latencyMs: this.clock.now() - q.initialAttemptTimestamp, cycleMs });
  }

  private async handleFitError(fwk: Framework, state: CycleState, q: QueuedPodInfo, err: FitError, cycle: number, t0: number): Promise<void> {
    q.unschedulablePlugins = err.diagnosis.unschedulablePlugins;
    q.pendingPlugins = err.diagnosis.pendingPlugins;
    let nominated: string | undefined;
    if (fwk.postFilterPlugins.length > 0) {
      const { result, status } = await fwk.runPostFilterPlugins(state, q.podInfo, err.diagnosis.nodeToStatus);
      if (status && status.message()) err.diagnosis.postFilterMsg = status.message();
      if (result) nominated = result.nominatedNodeName;
    }
    if (nominated) this.queue.nominator.add(q.podInfo, nominated);
    this.handleFailure(q, cycle, 'Unschedulable', err.message, false, t0, nominated);
  }

  /** Records the failure (event + PodScheduled=False) and requeues the pod, unless it is gone. */
  private handleFailure(q: QueuedPodInfo, cycle: number, reason: 'Unschedulable' | 'SchedulerError', message: string, isError: boolean, t0: number, nominatedNodeName?: string): void {
    const pod = q.podInfo.pod;
    const key = q.podInfo.key;
    this.notify({ pod, result: isError ? 'error' : 'unschedulable', message, latencyMs: this.clock.now() - q.initialAttemptTimestamp, cycleMs: performance.now() - t0 });
    if (!this.pending.has(key)) {
      this.queue.done(key);
      return;
    }
    this.queue.addUnschedulableIfNotPresent(q, cycle, isError);
    this.sink.recordEvent({ object: pod, type: 'Warning', reason: 'FailedScheduling', message });
    this.sink.updatePodCondition(pod, podScheduledFalse(reason, message, this.clock.now()), nominatedNodeName).catch(() => {
      // The pod may be gone; the next event will tell.
    });
  }

  private notify(r: AttemptResult): void {
    for (const o of this.observers) o(r);
  }

  /** Queue counts and cache sizes, for status output. */
  stats(): { nodes: number; pods: number; queue: ReturnType<SchedulingQueue['counts']> } {
    return { nodes: this.cache.nodeCount(), pods: this.cache.podCount(), queue: this.queue.counts() };
  }
}

/** The PodScheduled=False condition upstream writes for a pod that could not be scheduled. */
export function podScheduledFalse(reason: string, message: string, now: number) {
  return { type: 'PodScheduled', status: 'False', reason, message, lastTransitionTime: new Date(now).toISOString() };
}

function eventFor(ev: SchedulerEvent): ClusterEvent {
  switch (ev.kind) {
    case 'PersistentVolume':
      return ev.type === 'ADDED' ? events.pvAdd : events.pvUpdate;
    case 'PersistentVolumeClaim':
      return ev.type === 'ADDED' ? events.pvcAdd : events.pvcUpdate;
    default:
      return { resource: ev.kind as ClusterEvent['resource'], action: ev.type === 'ADDED' ? 1 : ev.type === 'DELETED' ? 2 : 1 << 11, label: `${ev.kind}${ev.type}` };
  }
}
