/**
 * The simulated runtime's pod loop: ONE pod informer for every pod bound to any node
 * (`spec.nodeName!=`), a queue, and a few workers running `sync(key)` per the decision table in
 * pod-lifecycle.ts, for every pod whose node is one of ours. Nothing per node but a small IP allocator,
 * so one process carries thousands of nodes.
 *
 * Writes, as a kubelet makes them:
 * - status: a merge patch of `pods/status` carrying `metadata.uid` (the kubelet's precondition);
 * - deletion: once a pod has a deletionTimestamp, `DELETE` with gracePeriodSeconds 0 and the pod's uid
 *   as precondition (the containers "stopped" at once).
 */
import { isConflict, isNotFound } from '../../api/errors.js';
import type { Pod, PodStatus } from '../../api/types.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey } from '../../client/cache/keys.js';
import { listWatchFor } from '../../client/cache/listwatch.js';
import { SharedInformer } from '../../client/cache/shared-informer.js';
import type { Client } from '../../client/client.js';
import { formatTime, realClock, type Clock } from '../../client/clock.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { inNamespace, resources } from '../../client/resource.js';
import { nextAction, runningStatus, succeededStatus } from './pod-lifecycle.js';
import { PodIpAllocator } from './pod-ips.js';

/** What the pod loop knows of one simulated node. */
export interface SimulatedNode {
  name: string;
  hostIP: string;
  podCIDR: string;
}

export interface SimulatedPodsOptions {
  client: Client;
  /** Seconds pods with restartPolicy Never/OnFailure run before they succeed. */
  podRunSeconds: number;
  clock?: Clock;
  /** Pods synced at once (default 32). */
  workers?: number;
  log?: (line: string) => void;
}

export class SimulatedPods {
  readonly informer: SharedInformer<Pod>;
  readonly controller: Controller;
  private readonly nodes = new Map<string, { node: SimulatedNode; ips: PodIpAllocator }>();
  private readonly clock: Clock;
  /** Counters, for logs and benchmarks. */
  readonly counts = { started: 0, succeeded: 0, deleted: 0 };

  constructor(private readonly o: SimulatedPodsOptions) {
    this.clock = o.clock ?? realClock;
    this.informer = new SharedInformer<Pod>(listWatchFor<Pod>(o.client, resources.pods, { fieldSelector: 'spec.nodeName!=' }), {
      name: 'simulated-pods',
      clock: this.clock,
      transform: (p) => {
        if (p.metadata?.managedFields) p.metadata = { ...p.metadata, managedFields: undefined };
        return p;
      },
    });
    this.controller = new Controller({
      name: 'simulated-pods',
      sync: (key) => this.sync(key),
      informers: [this.informer],
      clock: this.clock,
      log: o.log,
    });
    this.informer.addEventHandler({
      onAdd: (p) => this.observe(p),
      onUpdate: (_old, p) => this.observe(p),
      onDelete: (p) => {
        const pod = p instanceof DeletedFinalStateUnknown ? p.obj : p;
        if (this.nodes.has(pod.spec?.nodeName ?? '')) this.controller.enqueue(p);
      },
    });
  }

  /** Makes `node` one of ours. Call before `run` for the nodes known at start. */
  addNode(node: SimulatedNode): void {
    this.nodes.set(node.name, { node, ips: new PodIpAllocator(node.podCIDR) });
  }

  /**
   * A pod CIDR assigned to one of our nodes after it registered (node IPAM): new pods take their IPs
   * from it; pods running keep theirs, as with a real CNI.
   */
  setPodCIDR(name: string, podCIDR: string): void {
    const entry = this.nodes.get(name);
    if (!entry || entry.node.podCIDR === podCIDR) return;
    this.nodes.set(name, { node: { ...entry.node, podCIDR }, ips: new PodIpAllocator(podCIDR) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.informer.run(signal), this.controller.run(signal, this.o.workers ?? 32)]);
  }

  /** Keeps the IPs of running pods reserved (after an agent restart), then enqueues ours. */
  private observe(pod: Pod): void {
    const entry = this.nodes.get(pod.spec?.nodeName ?? '');
    if (!entry) return;
    const ip = pod.status?.podIP;
    const phase = pod.status?.phase;
    if (ip && phase !== 'Succeeded' && phase !== 'Failed') entry.ips.reserve(podKey(pod), ip);
    this.controller.enqueue(pod);
  }

  async sync(key: string): Promise<SyncResult> {
    const pod = this.informer.getIndexer().getByKey(key);
    if (!pod) {
      for (const { ips } of this.nodes.values()) ips.release(key);
      return;
    }
    const entry = this.nodes.get(pod.spec?.nodeName ?? '');
    if (!entry) return;
    const now = this.clock.now();
    const action = nextAction(pod, now, this.o.podRunSeconds);
    switch (action.kind) {
      case 'none':
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') entry.ips.release(key);
        return;
      case 'wait':
        return { requeueAfterMs: action.ms };
      case 'delete':
        await this.finishDeletion(pod);
        entry.ips.release(key);
        this.counts.deleted++;
        return;
      case 'run': {
        const ip = entry.ips.allocate(key);
        if (!ip) throw new Error(`no free IP left in ${entry.node.podCIDR} on node ${entry.node.name}`);
        await this.writeStatus(pod, runningStatus(pod, entry.node.hostIP, ip, formatTime(now)));
        this.counts.started++;
        // The informer brings the Running pod back; a Job pod then waits out its run time.
        return;
      }
      case 'succeed':
        await this.writeStatus(pod, succeededStatus(pod, formatTime(now)));
        entry.ips.release(key);
        this.counts.succeeded++;
        return;
    }
  }

  private async writeStatus(pod: Pod, status: PodStatus): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(podKey(pod));
    try {
      await this.o.client.patch(inNamespace(resources.pods, namespace), name, 'merge', { metadata: { uid: pod.metadata?.uid }, status }, { subresource: 'status' });
    } catch (err) {
      // Gone meanwhile: the informer will tell us; nothing to retry.
      if (isNotFound(err)) return;
      throw err;
    }
  }

  private async finishDeletion(pod: Pod): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(podKey(pod));
    try {
      await this.o.client.delete(inNamespace(resources.pods, namespace), name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }
}

function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
