/**
 * The node lifecycle controller (upstream `node_lifecycle_controller.go`): watches every node's
 * heartbeats — its Lease in `kube-node-lease` and its Ready condition's lastHeartbeatTime — and, when
 * neither has moved for `nodeMonitorGracePeriodMs` (40 s by default) on this controller's own clock,
 * sets the node's kubelet conditions to Unknown. The node's taints then follow its Ready condition:
 * `node.kubernetes.io/unreachable` (Unknown) or `not-ready` (False), NoSchedule and NoExecute; the
 * taint-eviction controller evicts pods that do not tolerate a NoExecute taint.
 *
 * While a node is not Ready, its pods are marked Ready=False (upstream `MarkPodsNotReady`), so the
 * endpoint controllers take them out of Services at once rather than after the eviction.
 *
 * Time is measured from when this controller saw a heartbeat change (upstream's probeTimestamp), so
 * clock skew between node and controller does not matter. The monitor runs every
 * `nodeMonitorPeriodMs` and enqueues every node; `sync(node)` does the work.
 */
import { isConflict, isNotFound } from '../../api/errors.js';
import type { KubeObject, Lease, Node, Pod } from '../../api/types.js';
import { formatTime } from '../../client/clock.js';
import { inNamespace } from '../../client/resource.js';
import { ensurePodNodeIndex, podsOnNode } from '../util/pod-indexes.js';
import { isPodReady } from '../util/pods.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import type { Clock } from '../../client/clock.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { reconcileTaints, unknownConditions, wantedConditionTaints } from './node-health.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

type NodeObj = Node & KubeObject;

interface Health {
  /** The last heartbeat values seen (lease renewTime, Ready lastHeartbeatTime). */
  seen: string;
  /** When, on our clock, they last changed. */
  probeMs: number;
}

export class NodeLifecycleController {
  readonly controller: Controller;
  private readonly nodes: SharedIndexInformer<NodeObj>;
  private readonly leases: SharedIndexInformer<Lease & KubeObject>;
  private readonly pods: SharedIndexInformer<Pod & KubeObject>;
  private readonly health = new Map<string, Health>();
  private readonly clock: Clock;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'options' | 'log'>) {
    this.clock = ctx.clock;
    this.nodes = ctx.informers.forResource<NodeObj>(resources.nodes);
    this.leases = ctx.informers.forResource<Lease & KubeObject>(resources.leases);
    this.pods = ctx.informers.forResource<Pod & KubeObject>(resources.pods);
    ensurePodNodeIndex(this.pods);
    this.controller = new Controller({
      name: 'node-lifecycle-controller',
      sync: (key) => this.sync(key),
      informers: [this.nodes, this.leases, this.pods],
      clock: ctx.clock,
      log: (l) => ctx.log(`node-lifecycle-controller: ${l}`),
    });
    this.nodes.addEventHandler(this.controller.enqueueHandler());
    const leaseChanged = (l: Lease & KubeObject) => { if (l.metadata?.namespace === NODE_LEASE_NAMESPACE) this.controller.enqueue(l.metadata.name!); };
    this.leases.addEventHandler({ onAdd: leaseChanged, onUpdate: (_o, l) => leaseChanged(l) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const monitor = async () => {
      while (!signal.aborted) {
        await this.clock.sleep(this.ctx.options.nodeMonitorPeriodMs, signal).catch(() => {});
        if (signal.aborted) return;
        for (const n of this.nodes.lister().list()) this.controller.enqueue(n);
      }
    };
    await Promise.all([this.controller.run(signal, 1), monitor()]);
  }

  private heartbeat(node: NodeObj): string {
    const lease = this.leases.lister().namespaced(NODE_LEASE_NAMESPACE).get(node.metadata!.name!);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    return `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
  }

  private async markPodsNotReady(node: string, now: number): Promise<void> {
    for (const pod of podsOnNode(this.pods, node)) {
      if (!isPodReady(pod) || pod.metadata?.deletionTimestamp) continue;
      const copy = structuredClone(pod);
      copy.status!.conditions = copy.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: formatTime(now) } : c));
      await this.ctx.client.update(inNamespace(resources.pods, pod.metadata!.namespace), copy, { subresource: 'status' })
        .catch((err) => { if (!isNotFound(err) && !isConflict(err)) throw err; });
    }
  }

  async sync(name: string): Promise<SyncResult> {
    const node = this.nodes.lister().get(name);
    if (!node) {
      this.health.delete(name);
      return;
    }
    const now = this.clock.now();
    const beat = this.heartbeat(node);
    const h = this.health.get(name);
    if (!h || h.seen !== beat) this.health.set(name, { seen: beat, probeMs: now });
    const probeMs = this.health.get(name)!.probeMs;
    const grace = this.ctx.options.nodeMonitorGracePeriodMs;
    let current = node;
    if (now - probeMs > grace) {
      const conds = unknownConditions(node, now);
      if (conds) {
        const copy = structuredClone(node);
        copy.status = { ...copy.status, conditions: conds };
        current = await this.ctx.client.update<NodeObj>(resources.nodes, copy, { subresource: 'status' });
        this.ctx.log(`node-lifecycle-controller: node ${name} stopped posting status; conditions set to Unknown`);
      }
    }
    const taints = reconcileTaints(current, wantedConditionTaints(current), now);
    if (taints) {
      const copy = structuredClone(current);
      copy.spec = { ...copy.spec, taints };
      if (!taints.length) delete copy.spec.taints;
      await this.ctx.client.update(resources.nodes, copy);
    }
    if (current.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') await this.markPodsNotReady(name, now);
    // Look again when the grace period would run out without a heartbeat.
    const due = probeMs + grace - now;
    return due > 0 ? { requeueAfterMs: due + 1 } : undefined;
  }
}
