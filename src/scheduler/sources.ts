/**
 * The scheduler's boundary with the rest of k8ts, as two small interfaces so the scheduler does not
 * depend on how objects reach it or how decisions are written back (an adapter over the client's
 * informers and REST client implements both).
 */
import type { Node, Pod, PodCondition } from './framework/types.js';

export type WatchedKind =
  | 'Pod' | 'Node' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'PodDisruptionBudget' | 'Namespace' | 'StorageClass'
  | 'Service' | 'ReplicationController' | 'ReplicaSet' | 'StatefulSet';

/** One change, as an informer delivers it; the initial list arrives as ADDED events. */
export interface SchedulerEvent {
  kind: WatchedKind;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: unknown;
  /** The previous version, for MODIFIED. */
  oldObject?: unknown;
}

/**
 * Where cluster changes come from. Contract: `subscribe` delivers every current object as ADDED, then
 * each change in order, per object; `synced` resolves once the initial objects have been delivered;
 * the returned function stops delivery.
 */
export interface SchedulerEventSource {
  subscribe(handler: (ev: SchedulerEvent) => void): () => void;
  synced?(): Promise<void>;
}

/** A recorded Kubernetes Event about a pod. */
export interface SchedulerRecordedEvent {
  object: Pod;
  type: 'Normal' | 'Warning';
  /** `Scheduled`, `FailedScheduling`, `Preempted`. */
  reason: string;
  message: string;
}

/**
 * Where decisions go. `bind` posts `pods/binding`; `evict` deletes a preemption victim gracefully;
 * `updatePodCondition` writes the PodScheduled condition (when not null) and
 * status.nominatedNodeName (when given; '' clears it) through the status subresource. Failures reject; the scheduler retries the pod.
 */
export interface SchedulerSink {
  bind(pod: Pod, nodeName: string): Promise<void>;
  evict(pod: Pod, reason: string): Promise<void>;
  recordEvent(ev: SchedulerRecordedEvent): void;
  updatePodCondition(pod: Pod, condition: PodCondition | null, nominatedNodeName?: string): Promise<void>;
}

export type { Node, Pod };
