/**
 * The scheduler wired to the client machinery: shared informers are its event source, the REST client
 * (pods/binding, pods/status, delete) and the event recorder are its sink. This is how `k8ts server`
 * runs the scheduler against the API server.
 */
import type { KubeObject } from '../api/types.js';
import { DeletedFinalStateUnknown } from '../client/cache/keys.js';
import type { SharedInformerFactory } from '../client/cache/informer-factory.js';
import type { Client } from '../client/client.js';
import type { EventRecorder } from '../client/record/event-recorder.js';
import { inNamespace, resources, type ResourceRef } from '../client/resource.js';
import type { Pod, PodCondition } from './framework/types.js';
import type { SchedulerEvent, SchedulerEventSource, SchedulerRecordedEvent, SchedulerSink, WatchedKind } from './sources.js';

/** The resources the scheduler watches, by the kind its handlers expect. */
export const WATCHED: readonly (readonly [WatchedKind, ResourceRef])[] = [
  ['Node', resources.nodes],
  ['Pod', resources.pods],
  ['PersistentVolume', resources.persistentvolumes],
  ['PersistentVolumeClaim', resources.persistentvolumeclaims],
  ['PodDisruptionBudget', resources.poddisruptionbudgets],
  ['Namespace', resources.namespaces],
  // The owners whose selectors define a pod's default spreading group.
  ['Service', resources.services],
  ['ReplicationController', resources.replicationcontrollers],
  ['ReplicaSet', resources.replicasets],
  ['StatefulSet', resources.statefulsets],
];

/** Shared informers as a `SchedulerEventSource`; `subscribe` starts them, `synced` waits for their lists. */
export class InformerEventSource implements SchedulerEventSource {
  constructor(
    private readonly factory: SharedInformerFactory,
    private readonly signal: AbortSignal,
  ) {}

  subscribe(handler: (ev: SchedulerEvent) => void): () => void {
    const regs = WATCHED.map(([kind, ref]) =>
      this.factory.forResource<KubeObject>(ref).addEventHandler({
        onAdd: (object) => handler({ kind, type: 'ADDED', object }),
        onUpdate: (oldObject, object) => handler({ kind, type: 'MODIFIED', object, oldObject }),
        onDelete: (o) => handler({ kind, type: 'DELETED', object: o instanceof DeletedFinalStateUnknown ? o.obj : o }),
      }),
    );
    this.factory.start(this.signal);
    return () => {
      for (const r of regs) r.remove();
    };
  }

  async synced(): Promise<void> {
    await this.factory.waitForCacheSync(this.signal);
  }
}

export interface ClientSinkOptions {
  /** Named in the DisruptionTarget condition of preemption victims; default `default-scheduler`. */
  schedulerName?: string;
  /** Milliseconds since the epoch, for condition timestamps; default `Date.now`. */
  now?: () => number;
}

/** The API as a `SchedulerSink`. */
export class ClientSink implements SchedulerSink {
  constructor(
    private readonly client: Client,
    private readonly recorder: EventRecorder,
    private readonly opts: ClientSinkOptions = {},
  ) {}

  private podsIn(pod: Pod): ResourceRef {
    return inNamespace(resources.pods, pod.metadata?.namespace ?? 'default');
  }

  /** POST pods/NAME/binding, as upstream's DefaultBinder. */
  async bind(pod: Pod, nodeName: string): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace: pod.metadata?.namespace, uid: pod.metadata?.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    await this.client.create(this.podsIn(pod), binding as KubeObject, { subresource: 'binding', name });
  }

  /**
   * Marks the victim with a DisruptionTarget condition, then deletes it gracefully (upstream preemption).
   * `reason` (`Preempted by pod <uid> on node <node>`) is already recorded as the Preempted event.
   */
  async evict(pod: Pod, _reason: string): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${pod.spec?.schedulerName || this.opts.schedulerName || 'default-scheduler'}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: new Date((this.opts.now ?? Date.now)()).toISOString(),
    };
    await this.client.patch(this.podsIn(pod), name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' }).catch(() => undefined);
    await this.client.delete(this.podsIn(pod), name, { preconditions: { uid: pod.metadata?.uid } });
  }

  recordEvent(ev: SchedulerRecordedEvent): void {
    this.recorder.event(ev.object as KubeObject, ev.type, ev.reason, ev.message);
  }

  /** A strategic merge patch of pods/NAME/status: the condition merges by type; '' clears the nomination. */
  async updatePodCondition(pod: Pod, condition: PodCondition | null, nominatedNodeName?: string): Promise<void> {
    const status: Record<string, unknown> = {};
    if (condition) status.conditions = [condition];
    if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName === '' ? null : nominatedNodeName;
    if (Object.keys(status).length === 0) return;
    await this.client.patch(this.podsIn(pod), pod.metadata?.name ?? '', 'strategic', { status }, { subresource: 'status' });
  }
}
