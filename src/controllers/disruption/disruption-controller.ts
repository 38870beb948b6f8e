/**
 * The disruption controller (upstream `disruption.go`): keeps each PodDisruptionBudget's status —
 * how many of its pods are expected, healthy (Ready and not being deleted), how many must stay healthy,
 * and so how many voluntary disruptions (evictions) are allowed now.
 *
 * expectedPods: with an integer `minAvailable`, the number of selected pods; otherwise the sum of the
 * replicas of the pods' controllers (ReplicaSet — or its Deployment —, ReplicationController,
 * StatefulSet), as percentages and maxUnavailable are relative to the desired scale.
 * desiredHealthy: minAvailable (percentages rounded up), or expectedPods − maxUnavailable (rounded up).
 */
import { selectorFromLabelSelector } from '../../api/labels/selector.js';
import type { KubeObject, Pod, PodDisruptionBudget } from '../../api/types.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { formatTime } from '../../client/clock.js';
import { Controller, controllerRef, type SyncResult } from '../../client/controller.js';
import { inNamespace, resources, type ResourceRef } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { scaledValue } from '../util/intstr.js';
import { isPodReady } from '../util/pods.js';

type PdbObj = PodDisruptionBudget & KubeObject;
type PodObj = Pod & KubeObject;
type Scalable = KubeObject & { spec?: { replicas?: number } };

export class DisruptionController {
  readonly controller: Controller;
  private readonly pdbs: SharedIndexInformer<PdbObj>;
  private readonly pods: SharedIndexInformer<PodObj>;
  private readonly scalables: Record<string, SharedIndexInformer<Scalable>>;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'log'>) {
    this.pdbs = ctx.informers.forResource<PdbObj>(resources.poddisruptionbudgets);
    this.pods = ctx.informers.forResource<PodObj>(resources.pods);
    const inf = (r: ResourceRef) => ctx.informers.forResource<Scalable>(r);
    this.scalables = { ReplicaSet: inf(resources.replicasets), Deployment: inf(resources.deployments), ReplicationController: inf(resources.replicationcontrollers), StatefulSet: inf(resources.statefulsets) };
    this.controller = new Controller({
      name: 'disruption-controller', sync: (k) => this.sync(k), informers: [this.pdbs, this.pods, ...Object.values(this.scalables)], clock: ctx.clock,
      log: (l) => ctx.log(`disruption-controller: ${l}`),
    });
    this.pdbs.addEventHandler(this.controller.enqueueHandler());
    const podChanged = (p: PodObj) => {
      for (const pdb of this.pdbs.lister().namespaced(p.metadata!.namespace!).list()) {
        if (this.selects(pdb, p)) this.controller.enqueue(pdb);
      }
    };
    this.pods.addEventHandler({ onAdd: podChanged, onUpdate: (_o, p) => podChanged(p), onDelete: (p) => podChanged(unwrapTombstone(p as PodObj | DeletedFinalStateUnknown<PodObj>)) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  private selects(pdb: PdbObj, pod: PodObj): boolean {
    try {
      return selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata?.labels);
    } catch {
      return false;
    }
  }

  /** Desired scale of the pods' controllers (a ReplicaSet owned by a Deployment counts as the Deployment). */
  private expectedFromControllers(pods: PodObj[]): number {
    const seen = new Map<string, number>();
    for (const p of pods) {
      let ref = controllerRef(p);
      if (!ref || !this.scalables[ref.kind]) {
        seen.set(`pod/${p.metadata!.uid}`, 1);
        continue;
      }
      let obj = this.scalables[ref.kind]!.lister().namespaced(p.metadata!.namespace!).get(ref.name);
      const parent = obj && controllerRef(obj);
      if (ref.kind === 'ReplicaSet' && parent?.kind === 'Deployment') {
        ref = parent;
        obj = this.scalables.Deployment!.lister().namespaced(p.metadata!.namespace!).get(parent.name);
      }
      seen.set(`${ref.kind}/${ref.uid}`, obj?.spec?.replicas ?? 1);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.pdbs.lister().namespaced(namespace).get(name);
    if (!cached) return;
    const pdb = structuredClone(cached);
    const pods = this.pods.lister().namespaced(namespace).list().filter((p) => this.selects(pdb, p));
    const healthy = pods.filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp).length;
    const minAvailable = pdb.spec?.minAvailable as number | string | undefined;
    const maxUnavailable = pdb.spec?.maxUnavailable as number | string | undefined;
    let expected: number;
    let desired: number;
    if (typeof minAvailable === 'number') {
      expected = pods.length;
      desired = minAvailable;
    } else {
      expected = this.expectedFromControllers(pods);
      desired = minAvailable !== undefined
        ? scaledValue(minAvailable, expected, true)
        : Math.max(0, expected - scaledValue(maxUnavailable ?? 0, expected, true));
    }
    const allowed = Math.max(0, healthy - desired);
    const old = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
    const cond = allowed > 0
      ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '' }
      : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '' };
    const status = {
      ...pdb.status,
      observedGeneration: pdb.metadata?.generation ?? 0,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      conditions: [{ ...cond, observedGeneration: pdb.metadata?.generation ?? 0, lastTransitionTime: old?.status === cond.status ? old.lastTransitionTime : formatTime(this.ctx.clock.now()) }],
    };
    if (JSON.stringify(status) === JSON.stringify(pdb.status ?? {})) return;
    pdb.status = status as PdbObj['status'];
    await this.ctx.client.update(inNamespace(resources.poddisruptionbudgets, namespace), pdb, { subresource: 'status' });
    return undefined;
  }
}
