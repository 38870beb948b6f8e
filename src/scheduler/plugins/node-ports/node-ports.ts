/** NodePorts: a pod's host ports must be free on the node (same protocol and port, overlapping host IP). */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, PluginFactory, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { HostPort, PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

/** Whether every wanted host port is free on the node. */
export function fitsPorts(wanted: readonly HostPort[], nodeInfo: NodeInfo): boolean {
  if (nodeInfo.usedPorts.size === 0) return true;
  for (const p of wanted) if (nodeInfo.usedPorts.conflicts(p)) return false;
  return true;
}

const rejected = Status.unschedulable(ERR_REASON).withPlugin(NAME);

export const factory: PluginFactory = () => ({
  name: NAME,
  preFilter: (_s: CycleState, pod: PodInfo): Result => (pod.hostPorts.length === 0 ? Status.skip() : null),
  filter: (_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result => (fitsPorts(pod.hostPorts, nodeInfo) ? null : rejected),
  eventsToRegister: () => [
    { event: { resource: 'AssignedPod', action: ActionType.Delete } },
    { event: { resource: 'Node', action: ActionType.Add } },
  ],
}) satisfies PreFilterPlugin & FilterPlugin & EnqueueExtensions & AnyPlugin;
