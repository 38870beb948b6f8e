/**
 * PodWorkers: one worker per pod UID, so that work on one pod is serialised and pods proceed in parallel
 * (upstream's podWorkers). A worker syncs when told (`update`) and again every `resyncMs` while the pod
 * lives (the periodic relist that notices exits, and drives restarts and back-offs).
 *
 * Contract:
 * - `update(pod)` records the newest pod object and schedules a pass (coalesced when one is pending);
 * - a pod with `metadata.deletionTimestamp`, or `remove(uid)` (the pod vanished from the API), makes the
 *   worker terminate it (`PodSyncer.terminate`); a deleted pod object is then removed from the API
 *   with gracePeriodSeconds=0, which lets `kubectl delete` finish; the worker then ends;
 * - a pod seen for the first time that has not started yet goes through admission (./admission.ts)
 *   against the pods admitted before it; a rejected pod is marked Failed with the reason and never runs;
 * - a terminal pod (Succeeded/Failed) is no longer synced, only its status kept;
 * - a pod UID once torn down is never started again, whatever late event names it;
 * - `stop()` ends every worker after its current pass and leaves the pods running.
 */
import type { Pod } from '../../api/types.js';
import { isNotFound } from '../../api/errors.js';
import type { Client } from '../../client/client.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { StatusManager } from '../status/status-manager.js';
import type { PodSyncer } from './pod-sync.js';
import { admitPod } from './admission.js';

interface Worker {
  uid: string;
  pod: Pod | undefined;
  removed: boolean;
  pending: boolean;
  running: Promise<void> | undefined;
  timer?: NodeJS.Timeout;
  terminal: boolean;
  done: boolean;
  admitted: boolean;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  /** UIDs of pods torn down, with when: a late event about one never starts it again. Kept for 10 min. */
  private readonly finished = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly client: Client,
    private readonly syncer: PodSyncer,
    private readonly status: StatusManager,
    private readonly resyncMs: number,
    private readonly log: (line: string) => void,
  ) {}

  update(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    if (this.finished.has(uid)) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { uid, pod, removed: false, pending: false, running: undefined, terminal: false, done: false, admitted: false };
      this.workers.set(uid, w);
    }
    if (w.done) return;
    w.pod = pod;
    this.kick(w);
  }

  /** Syncs the pod now (e.g. a probe result changed). */
  poke(uid: string): void {
    const w = this.workers.get(uid);
    if (w && !w.done) this.kick(w);
  }

  remove(uid: string): void {
    if (this.finished.has(uid)) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { uid, pod: undefined, removed: true, pending: false, running: undefined, terminal: false, done: false, admitted: false };
      this.workers.set(uid, w);
    }
    w.removed = true;
    this.kick(w);
  }

  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** Pods admitted and not finished: the candidates for eviction. */
  activePods(): Pod[] {
    return [...this.workers.values()].filter((w) => w.admitted && !w.terminal && !w.removed && !w.done && w.pod && !w.pod.metadata?.deletionTimestamp).map((w) => w.pod!);
  }

  /** Marks the pod Failed with the reason and stops its containers now (hard eviction); the pod object stays. */
  async evict(uid: string, reason: string, message: string): Promise<void> {
    const w = this.workers.get(uid);
    if (!w || !w.pod || w.terminal) return;
    w.terminal = true;
    const pod = w.pod;
    const done = w.running ?? Promise.resolve();
    await done;
    await this.syncer.stopAll(uid);
    await this.status.set(pod, { ...(pod.status ?? {}), phase: 'Failed', reason, message });
  }

  private kick(w: Worker): void {
    if (this.stopped) return;
    clearTimeout(w.timer);
    w.pending = true;
    if (!w.running) w.running = this.loop(w);
  }

  private async loop(w: Worker): Promise<void> {
    while (w.pending && !this.stopped) {
      w.pending = false;
      try {
        await this.pass(w);
      } catch (err) {
        this.log(`pod ${w.pod ? `${w.pod.metadata!.namespace}/${w.pod.metadata!.name}` : w.uid}: sync failed: ${(err as Error).message}`);
      }
    }
    w.running = undefined;
    if (w.done) {
      this.workers.delete(w.uid);
      const now = Date.now();
      this.finished.set(w.uid, now);
      for (const [uid, at] of this.finished) if (now - at > 600_000) this.finished.delete(uid);
      return;
    }
    if (!this.stopped && !w.terminal) w.timer = setTimeout(() => this.kick(w), this.resyncMs);
  }

  private async pass(w: Worker): Promise<void> {
    const pod = w.pod;
    if (w.removed || !pod || pod.metadata?.deletionTimestamp) {
      const grace = pod?.metadata?.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds ?? 30;
      await this.syncer.terminate(w.uid, pod, w.removed ? 0 : grace);
      this.status.forget(w.uid);
      if (pod && !w.removed) {
        try {
          await this.client.delete(inNamespace(resources.pods, pod.metadata!.namespace ?? 'default'), pod.metadata!.name!,
            { gracePeriodSeconds: 0, preconditions: { uid: w.uid } });
        } catch (err) {
          if (!isNotFound(err) && !/precondition|UID/i.test((err as Error).message)) throw err;
        }
      }
      w.done = true;
      return;
    }
    if (w.terminal) return;
    if (!w.admitted) {
      const phase = pod.status?.phase;
      const fresh = !phase || phase === 'Pending';
      const others = [...this.workers.values()].filter((o) => o !== w && o.admitted && !o.terminal && !o.removed && o.pod).map((o) => o.pod!);
      const rejected = fresh ? admitPod(pod, others) : undefined;
      if (rejected) {
        this.log(`pod ${pod.metadata!.namespace}/${pod.metadata!.name} rejected: ${rejected.message}`);
        await this.status.set(pod, { ...(pod.status ?? {}), phase: 'Failed', reason: rejected.reason, message: rejected.message });
        w.terminal = true;
        return;
      }
      w.admitted = true;
    }
    const out = await this.syncer.sync(pod);
    await this.status.set(pod, out.status);
    if (out.terminal) w.terminal = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) clearTimeout(w.timer);
    await Promise.all([...this.workers.values()].map((w) => w.running));
  }
}
