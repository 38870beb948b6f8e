/** NodeUnschedulable: cordoned nodes (`spec.unschedulable`) take only pods that tolerate the unschedulable taint. */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, PluginFactory } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import { tolerationsTolerateTaint } from '../../util/taints.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
/** The taint the node lifecycle controller puts on cordoned nodes. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const unschedulableTaint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

export function fits(pod: PodInfo, nodeInfo: NodeInfo): boolean {
  if (!nodeInfo.unschedulable) return true;
  return tolerationsTolerateTaint(pod.pod.spec?.tolerations, unschedulableTaint);
}

const rejected = Status.unresolvable(ERR_REASON_UNSCHEDULABLE).withPlugin(NAME);
const unknown = Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION).withPlugin(NAME);

export const factory: PluginFactory = () => ({
  name: NAME,
  filter: (_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result => {
    if (!nodeInfo.node) return unknown;
    return fits(pod, nodeInfo) ? null : rejected;
  },
  eventsToRegister: () => [{ event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeTaint } }],
}) satisfies FilterPlugin & EnqueueExtensions & AnyPlugin;
