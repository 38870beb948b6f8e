/**
 * The Deployment controller (upstream `deployment_controller.go`): wiring and `syncDeployment`, which
 * ends in a switch on the strategy — rolling.ts or recreate.ts. sync.ts holds what they share,
 * progress.ts the Progressing condition, util.ts the pure helpers. A rollback (`kubectl rollout undo`
 * patches /spec/template back) needs no code of its own: the old ReplicaSet whose template matches
 * again is found as the new one and gets the next revision (sync.ts).
 *
 * Wiring: Deployments enqueue themselves; a ReplicaSet enqueues its controlling Deployment (an orphan,
 * every Deployment that selects it); a deleted pod enqueues the Deployment of a Recreate rollout that
 * waits for old pods to go.
 */
import { isConflict } from '../../api/errors.js';
import { selectorFromLabelSelector } from '../../api/labels/selector.js';
import type { Pod } from '../../api/types.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import type { Client } from '../../client/client.js';
import type { Clock } from '../../client/clock.js';
import { Controller, controllerRef, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { selectorOrInvalid } from '../util/selector.js';
import { claimObjects } from '../util/controller-ref-manager.js';
import { controllerOwnerRef } from '../util/pods.js';
import { checkPausedConditions } from './progress.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { getAllReplicaSetsAndSyncRevision, isScalingEvent, syncDeploymentStatus, syncScaleOnly } from './sync.js';
import { REVISION_ANNOTATION, type DeploymentObj, type DeploymentStatus, type RS } from './util.js';

export const DEPLOYMENT_WORKERS = 5;

/** What the strategy files get: the client, clock and recorder, and the two writes of the Deployment itself. */
export interface DeploymentSyncer {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
  /** Writes `status` unless unchanged; updates `d` in place with the result. */
  updateStatus(d: DeploymentObj, status: DeploymentStatus): Promise<void>;
  /** Sets the revision annotation unless it already says `revision`; updates `d` in place. */
  setRevision(d: DeploymentObj, revision: string): Promise<void>;
}

export class DeploymentController implements DeploymentSyncer {
  readonly controller: Controller;
  readonly client: Client;
  readonly clock: Clock;
  readonly recorder: EventRecorder;
  private readonly dInformer: SharedIndexInformer<DeploymentObj>;
  private readonly rsInformer: SharedIndexInformer<RS>;
  private readonly podInformer: SharedIndexInformer<Pod & RS>;

  constructor(ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'log'>, readonly workers = DEPLOYMENT_WORKERS) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.recorder = ctx.recorder('deployment-controller');
    this.dInformer = ctx.informers.forResource<DeploymentObj>(resources.deployments);
    this.rsInformer = ctx.informers.forResource<RS>(resources.replicasets);
    this.podInformer = ctx.informers.forResource<Pod & RS>(resources.pods);
    this.controller = new Controller({
      name: 'deployment-controller',
      sync: (key) => this.sync(key),
      informers: [this.dInformer, this.rsInformer, this.podInformer],
      recorder: this.recorder,
      clock: ctx.clock,
      maxRetries: 15,
      log: (l) => ctx.log(`deployment-controller: ${l}`),
    });
    this.dInformer.addEventHandler(this.controller.enqueueHandler());
    const rsChanged = (rs: RS) => this.enqueueForReplicaSet(rs);
    this.rsInformer.addEventHandler({
      onAdd: rsChanged,
      onUpdate: (old, rs) => {
        if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
        if (controllerRef(old)?.uid !== controllerRef(rs)?.uid) this.enqueueForReplicaSet(old);
        rsChanged(rs);
      },
      onDelete: (rs) => this.enqueueForReplicaSet(unwrapTombstone(rs as RS | DeletedFinalStateUnknown<RS>)),
    });
    this.podInformer.addEventHandler({ onDelete: (p) => this.podDeleted(unwrapTombstone(p as Pod | DeletedFinalStateUnknown<Pod>)) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.workers);
  }

  private enqueueForReplicaSet(rs: RS): void {
    const ns = rs.metadata!.namespace!;
    const ref = controllerRef(rs);
    if (ref) {
      if (ref.kind === 'Deployment') this.controller.enqueue(`${ns}/${ref.name}`);
      return;
    }
    for (const d of this.dInformer.lister().namespaced(ns).list()) {
      try {
        if (selectorFromLabelSelector(d.spec?.selector).matches(rs.metadata?.labels)) this.controller.enqueue(d);
      } catch {
        // A Deployment with an invalid selector selects nothing.
      }
    }
  }

  private podDeleted(pod: Pod): void {
    const ref = controllerRef(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.lister().namespaced(pod.metadata!.namespace!).get(ref.name);
    const dRef = rs && controllerRef(rs);
    if (!dRef || dRef.kind !== 'Deployment') return;
    const d = this.dInformer.lister().namespaced(pod.metadata!.namespace!).get(dRef.name);
    if (d?.spec?.strategy?.type === 'Recreate') this.controller.enqueue(d);
  }

  async updateStatus(d: DeploymentObj, status: DeploymentStatus): Promise<void> {
    if (JSON.stringify(d.status ?? {}) === JSON.stringify(status)) return;
    const ref = inNamespace(resources.deployments, d.metadata!.namespace);
    const copy = structuredClone(d);
    copy.status = status;
    let updated: DeploymentObj;
    try {
      updated = await this.client.update<DeploymentObj>(ref, copy, { subresource: 'status' });
    } catch (err) {
      // Someone else wrote the Deployment meanwhile (kubectl, a scale): the status is ours to write.
      if (!isConflict(err)) throw err;
      const fresh = await this.client.get<DeploymentObj>(ref, d.metadata!.name!);
      if ((fresh.metadata?.generation ?? 0) !== (d.metadata?.generation ?? 0)) throw err;
      fresh.status = status;
      updated = await this.client.update<DeploymentObj>(ref, fresh, { subresource: 'status' });
    }
    d.status = updated.status;
    d.metadata = updated.metadata;
  }

  async setRevision(d: DeploymentObj, revision: string): Promise<void> {
    if (!revision || d.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return;
    const updated = await this.client.patch<DeploymentObj>(inNamespace(resources.deployments, d.metadata!.namespace), d.metadata!.name!, 'merge', {
      metadata: { annotations: { [REVISION_ANNOTATION]: revision } },
    });
    d.metadata = updated.metadata;
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dInformer.lister().namespaced(namespace).get(name);
    if (!cached) return;
    const d = structuredClone(cached);
    const sel = d.spec?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !sel.matchExpressions?.length)) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) await this.updateStatus(d, { ...d.status, observedGeneration: d.metadata?.generation ?? 0 });
      return;
    }
    const selector = selectorOrInvalid(d, sel);
    const claimed = await claimObjects<RS>({
      client: this.client,
      ref: resources.replicasets,
      owner: d,
      ownerRef: controllerOwnerRef(d, 'apps/v1', 'Deployment'),
      selector,
      candidates: this.rsInformer.lister().namespaced(namespace).list(),
      recheckOwner: () => this.client.get<DeploymentObj>(inNamespace(resources.deployments, namespace), name).catch(() => undefined),
    });
    // The strategies update their ReplicaSets' view as they scale: work on copies, never on the cache.
    const rsList = claimed.map((rs) => structuredClone(rs));
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(this, d, rsList, false);
      await syncDeploymentStatus(this, d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
      return;
    }
    await checkPausedConditions(this, d);
    if (d.spec?.paused || (await isScalingEvent(this, d, rsList))) {
      await syncScaleOnly(this, d, rsList);
      return;
    }
    let requeue: number | undefined;
    if (d.spec?.strategy?.type === 'Recreate') {
      requeue = await rolloutRecreate(this, d, rsList, this.podsByReplicaSet(namespace, rsList));
    } else {
      requeue = await rolloutRolling(this, d, rsList);
    }
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  /** The cached pods of each ReplicaSet, by the ReplicaSet's uid. */
  private podsByReplicaSet(namespace: string, rsList: RS[]): Map<string, Pod[]> {
    const uids = new Set(rsList.map((rs) => rs.metadata!.uid!));
    const out = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata!.uid!, []]));
    for (const p of this.podInformer.lister().namespaced(namespace).list()) {
      const ref = controllerRef(p);
      if (ref && uids.has(ref.uid)) out.get(ref.uid)!.push(p);
    }
    return out;
  }
}
