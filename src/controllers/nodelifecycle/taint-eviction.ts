/**
 * The taint-eviction controller (upstream `tainteviction`, once the NoExecute taint manager): a pod on
 * a node with NoExecute taints is deleted when it does not tolerate one of them, or, when every such
 * taint is tolerated for a limited `tolerationSeconds`, once the shortest of those has passed since
 * the taint's `timeAdded`. The API server's DefaultTolerationSeconds admission gives every pod 300 s
 * for `not-ready` and `unreachable`.
 */
import { isNotFound } from '../../api/errors.js';
import type { KubeObject, Node, Pod } from '../../api/types.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { ensurePodNodeIndex, podsOnNode } from '../util/pod-indexes.js';

type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
type Toleration = NonNullable<NonNullable<Pod['spec']>['tolerations']>[number];

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** When the pod must go: 'now', a time in ms, or undefined (tolerated forever / no NoExecute taint). */
export function evictionTime(pod: Pod, taints: Taint[], nowMs: number): number | 'now' | undefined {
  let at: number | undefined;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = (pod.spec?.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (!matching.length) return 'now';
    if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) continue;
    const secs = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!)));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : nowMs;
    const t = added + secs * 1000;
    at = at === undefined ? t : Math.min(at, t);
  }
  return at !== undefined && at <= nowMs ? 'now' : at;
}

export class TaintEvictionController {
  readonly controller: Controller;
  private readonly nodes: SharedIndexInformer<Node & KubeObject>;
  private readonly pods: SharedIndexInformer<Pod & KubeObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'recorder' | 'log'>) {
    this.recorder = ctx.recorder('taint-eviction-controller');
    this.nodes = ctx.informers.forResource<Node & KubeObject>(resources.nodes);
    this.pods = ctx.informers.forResource<Pod & KubeObject>(resources.pods);
    ensurePodNodeIndex(this.pods);
    this.controller = new Controller({
      name: 'taint-eviction-controller',
      sync: (key) => this.sync(key),
      informers: [this.nodes, this.pods],
      clock: ctx.clock,
      log: (l) => ctx.log(`taint-eviction-controller: ${l}`),
    });
    this.nodes.addEventHandler(this.controller.enqueueHandler());
    const podChanged = (p: Pod & KubeObject) => { if (p.spec?.nodeName) this.controller.enqueue(p.spec.nodeName); };
    this.pods.addEventHandler({ onAdd: podChanged, onUpdate: (_o, p) => podChanged(p), onDelete: (p) => podChanged(unwrapTombstone(p as (Pod & KubeObject) | DeletedFinalStateUnknown<Pod & KubeObject>)) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  async sync(nodeName: string): Promise<SyncResult> {
    const node = this.nodes.lister().get(nodeName);
    const taints = (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (!taints.length) return;
    const now = this.ctx.clock.now();
    let next: number | undefined;
    for (const pod of podsOnNode(this.pods, nodeName)) {
      if (pod.metadata?.deletionTimestamp) continue;
      const when = evictionTime(pod, taints, now);
      if (when === undefined) continue;
      if (when !== 'now') {
        next = next === undefined ? when : Math.min(next, when);
        continue;
      }
      this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata!.namespace}/${pod.metadata!.name}`);
      await this.ctx.client.delete(inNamespace(resources.pods, pod.metadata!.namespace), pod.metadata!.name!, { preconditions: { uid: pod.metadata!.uid! } })
        .catch((err) => { if (!isNotFound(err)) throw err; });
    }
    return next === undefined ? undefined : { requeueAfterMs: next - now };
  }
}
