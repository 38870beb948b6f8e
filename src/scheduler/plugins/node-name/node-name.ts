/** NodeName: a pod that names a node (`spec.nodeName`) fits only that node. */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, PluginFactory, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

/** Whether the pod may run on the node by name. */
export function fits(pod: PodInfo, nodeInfo: NodeInfo): boolean {
  const want = pod.pod.spec?.nodeName;
  return !want || want === nodeInfo.name;
}

const rejected = Status.unresolvable(ERR_REASON).withPlugin(NAME);

export const factory: PluginFactory = () => ({
  name: NAME,
  preFilter: (_s: CycleState, pod: PodInfo): Result => (pod.pod.spec?.nodeName ? null : Status.skip()),
  filter: (_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result => (fits(pod, nodeInfo) ? null : rejected),
  eventsToRegister: () => [{ event: { resource: 'Node', action: ActionType.Add } }],
}) satisfies FilterPlugin & PreFilterPlugin & EnqueueExtensions & AnyPlugin;
