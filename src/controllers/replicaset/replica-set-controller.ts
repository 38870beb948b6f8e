/**
 * The ReplicaSet controller (and, with `replicationControllerKind`, the ReplicationController
 * controller): keeps `spec.replicas` pods matching the selector.
 *
 * Wiring (handlers only enqueue): ReplicaSets enqueue themselves; a pod enqueues its controlling
 * ReplicaSet, or, when orphaned, every ReplicaSet of its namespace whose selector matches it (a possible
 * adopter). Pod adds and deletes also settle the owner's expectations.
 *
 * `sync(key)`: read the ReplicaSet and the namespace's pods from the caches → claim (adopt/release) →
 * if expectations are satisfied, create or delete pods (manage-replicas.ts) → write status
 * (replica-status.ts) → with minReadySeconds, look again when the ready pods become available.
 */
import type { Pod } from '../../api/types.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import type { Client } from '../../client/client.js';
import type { Clock } from '../../client/clock.js';
import { Controller, controllerRef, InvalidSpecError, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { claimObjects } from '../util/controller-ref-manager.js';
import { ControllerExpectations } from '../util/expectations.js';
import { activePods, controllerOwnerRef, isPodReady } from '../util/pods.js';
import type { ReplicaKind, ReplicaSetLike } from './kinds.js';
import { manageReplicas } from './manage-replicas.js';
import { calculateStatus, updateReplicaSetStatus } from './replica-status.js';

export const REPLICASET_WORKERS = 5;

export class ReplicaSetController {
  readonly controller: Controller;
  readonly expectations: ControllerExpectations;
  private readonly rsInformer: SharedIndexInformer<ReplicaSetLike>;
  private readonly podInformer: SharedIndexInformer<Pod & ReplicaSetLike>;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;

  constructor(ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'log'>, private readonly kind: ReplicaKind, readonly workers = REPLICASET_WORKERS) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.recorder = ctx.recorder(kind.component);
    this.expectations = new ControllerExpectations(ctx.clock);
    this.rsInformer = ctx.informers.forResource<ReplicaSetLike>(kind.ref);
    this.podInformer = ctx.informers.forResource<Pod & ReplicaSetLike>(resources.pods);
    this.controller = new Controller({
      name: kind.component,
      sync: (key) => this.sync(key),
      informers: [this.rsInformer, this.podInformer],
      recorder: this.recorder,
      clock: ctx.clock,
      log: (l) => ctx.log(`${kind.component}: ${l}`),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.controller.enqueue(rs),
      onUpdate: (_o, rs) => this.controller.enqueue(rs),
      onDelete: (rs) => {
        this.expectations.deleteExpectations(this.keyOf(unwrapTombstone(rs)));
        this.controller.enqueue(rs);
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.addPod(p),
      onUpdate: (o, p) => this.updatePod(o, p),
      onDelete: (p) => this.deletePod(p),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.workers);
  }

  private keyOf(o: { metadata?: { namespace?: string; name?: string } }): string {
    return `${o.metadata?.namespace}/${o.metadata?.name}`;
  }

  /** The controlling ReplicaSet of a pod, if it is of our kind and still the same object. */
  private owner(pod: Pod): ReplicaSetLike | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const rs = this.rsInformer.lister().namespaced(pod.metadata!.namespace!).get(ref.name);
    return rs?.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets that could adopt an orphan pod. */
  private possibleOwners(pod: Pod): ReplicaSetLike[] {
    return this.rsInformer.lister().namespaced(pod.metadata!.namespace!).list().filter((rs) => {
      try {
        return this.kind.selector(rs).matches(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod);
    if (controllerRef(pod)) {
      const rs = this.owner(pod);
      if (!rs) return;
      this.expectations.creationObserved(this.keyOf(rs));
      this.controller.enqueue(this.keyOf(rs));
      return;
    }
    for (const rs of this.possibleOwners(pod)) this.controller.enqueue(this.keyOf(rs));
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (cur.metadata?.deletionTimestamp) {
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const oldRef = controllerRef(old);
    const curRef = controllerRef(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) {
      const rs = this.owner(old);
      if (rs) this.controller.enqueue(this.keyOf(rs));
    }
    if (curRef) {
      const rs = this.owner(cur);
      if (!rs) return;
      this.controller.enqueue(this.keyOf(rs));
      // A pod that just became ready turns available minReadySeconds later.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.controller.enqueueAfter(this.keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || oldRef) for (const rs of this.possibleOwners(cur)) this.controller.enqueue(this.keyOf(rs));
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = unwrapTombstone(obj);
    const rs = this.owner(pod);
    if (!rs) return;
    const key = this.keyOf(rs);
    this.expectations.deletionObservedOf(key, pod.metadata!.uid!);
    this.controller.enqueue(key);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const rs = this.rsInformer.lister().namespaced(namespace).get(name);
    if (!rs) {
      this.expectations.deleteExpectations(key);
      return;
    }
    let selector;
    try {
      selector = this.kind.selector(rs);
    } catch (err) {
      throw new InvalidSpecError(`invalid selector: ${(err as Error).message}`, rs);
    }
    const needsSync = this.expectations.satisfied(key);
    const candidates = activePods(this.podInformer.lister().namespaced(namespace).list());
    const pods = await claimObjects({
      client: this.client,
      ref: resources.pods,
      owner: rs,
      ownerRef: controllerOwnerRef(rs, this.kind.apiVersion, this.kind.kind),
      selector,
      candidates,
      recheckOwner: async () => this.client.get<ReplicaSetLike>({ ...this.kind.ref, namespace }, name).catch(() => undefined),
    });
    let manageError;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      manageError = (await manageReplicas({ client: this.client, kind: this.kind, rs, key, pods, expectations: this.expectations, recorder: this.recorder })).error;
    }
    const now = this.clock.now();
    const status = calculateStatus(rs, pods, manageError, now);
    const updated = await updateReplicaSetStatus(this.client, this.kind, rs, status);
    if (manageError) throw manageError.cause;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas === (updated.spec?.replicas ?? 1) && status.availableReplicas !== status.readyReplicas) {
      return { requeueAfterMs: minReady * 1000 };
    }
    return undefined;
  }
}
