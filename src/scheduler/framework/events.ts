/**
 * Cluster events: what changed in the cluster, coarse enough to decide which unschedulable pods are worth
 * retrying (upstream's `framework.ClusterEvent`, `ActionType` and `QueueingHint`).
 */
import type { Pod } from './types.js';

export type EventResource = 'Pod' | 'AssignedPod' | 'Node' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | 'Namespace' | 'PodDisruptionBudget' | '*';

/** Bit flags, combinable. */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodTolerations: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  /** Any other update. */
  UpdateOther: 1 << 11,
} as const;

export const UPDATE = (1 << 12) - 1 - ActionType.Add - ActionType.Delete;
export const ALL = (1 << 12) - 1;

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly action: number;
  /** A short label for logs and metrics, e.g. `NodeAdd`. */
  readonly label: string;
}

export const enum QueueingHint {
  QueueSkip = 0,
  Queue = 1,
}

/** Decides whether an event makes the given rejected pod worth retrying. */
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  readonly event: { resource: EventResource; action: number };
  readonly hint?: QueueingHintFn;
}

/** Whether a registered interest covers an event that happened. */
export function eventMatches(registered: { resource: EventResource; action: number }, happened: ClusterEvent): boolean {
  if (registered.resource !== '*' && registered.resource !== happened.resource) {
    // An interest in "Pod" also covers assigned pods.
    if (!(registered.resource === 'Pod' && happened.resource === 'AssignedPod')) return false;
  }
  return (registered.action & happened.action) !== 0;
}

export const events = {
  nodeAdd: { resource: 'Node', action: ActionType.Add, label: 'NodeAdd' },
  nodeDelete: { resource: 'Node', action: ActionType.Delete, label: 'NodeDelete' },
  assignedPodAdd: { resource: 'AssignedPod', action: ActionType.Add, label: 'AssignedPodAdd' },
  assignedPodDelete: { resource: 'AssignedPod', action: ActionType.Delete, label: 'AssignedPodDelete' },
  pvAdd: { resource: 'PersistentVolume', action: ActionType.Add, label: 'PvAdd' },
  pvUpdate: { resource: 'PersistentVolume', action: UPDATE, label: 'PvUpdate' },
  pvcAdd: { resource: 'PersistentVolumeClaim', action: ActionType.Add, label: 'PvcAdd' },
  pvcUpdate: { resource: 'PersistentVolumeClaim', action: UPDATE, label: 'PvcUpdate' },
  /** The periodic flush of pods that stayed unschedulable too long. */
  unschedulableTimeout: { resource: '*', action: ALL, label: 'UnschedulableTimeout' },
  /** Anything: used when the framework cannot tell what changed. */
  wildcard: { resource: '*', action: ALL, label: 'WildCardEvent' },
} satisfies Record<string, ClusterEvent>;

/** The event a node update amounts to, from what changed between the two versions. */
export function nodeUpdateEvent(oldNode: import('./types.js').Node, newNode: import('./types.js').Node): ClusterEvent {
  let action = 0;
  const j = JSON.stringify;
  if (j(oldNode.status?.allocatable) !== j(newNode.status?.allocatable)) action |= ActionType.UpdateNodeAllocatable;
  if (j(oldNode.metadata?.labels) !== j(newNode.metadata?.labels)) action |= ActionType.UpdateNodeLabel;
  if (j(oldNode.spec?.taints) !== j(newNode.spec?.taints) || oldNode.spec?.unschedulable !== newNode.spec?.unschedulable) action |= ActionType.UpdateNodeTaint;
  if (j(oldNode.status?.conditions?.map((c) => [c.type, c.status])) !== j(newNode.status?.conditions?.map((c) => [c.type, c.status]))) action |= ActionType.UpdateNodeCondition;
  if (j(oldNode.metadata?.annotations) !== j(newNode.metadata?.annotations)) action |= ActionType.UpdateNodeAnnotation;
  return { resource: 'Node', action, label: 'NodeUpdate' };
}

/** The event an assigned pod's update amounts to. */
export function assignedPodUpdateEvent(oldPod: Pod, newPod: Pod): ClusterEvent {
  let action = 0;
  if (JSON.stringify(oldPod.metadata?.labels) !== JSON.stringify(newPod.metadata?.labels)) action |= ActionType.UpdatePodLabel;
  if (JSON.stringify(oldPod.spec?.containers?.map((c) => c.resources)) !== JSON.stringify(newPod.spec?.containers?.map((c) => c.resources))) action |= ActionType.UpdatePodScaleDown;
  if (newPod.status?.phase === 'Succeeded' || newPod.status?.phase === 'Failed') action |= ActionType.Delete;
  if (action === 0) action = ActionType.UpdateOther;
  return { resource: 'AssignedPod', action, label: 'AssignedPodUpdate' };
}
