/** SchedulingGates (PreEnqueue): a pod with `spec.schedulingGates` waits outside the active queue until they are removed. */
import type { AnyPlugin, EnqueueExtensions, PluginFactory } from '../../framework/interface.js';
import type { PreEnqueuePlugin } from '../../framework/framework.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Code, Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';

export const NAME = 'SchedulingGates';

export function gatesOf(pod: PodInfo): string[] {
  return (pod.pod.spec?.schedulingGates ?? []).map((g) => g.name);
}

export const factory: PluginFactory = () => ({
  name: NAME,
  preEnqueue: (pod: PodInfo): Result => {
    const gates = gatesOf(pod);
    return gates.length === 0 ? null : new Status(Code.Pending, [`waiting for scheduling gates: [${gates.join(' ')}]`]);
  },
  eventsToRegister: () => [{ event: { resource: 'Pod', action: ActionType.UpdatePodSchedulingGatesEliminated } }],
}) satisfies PreEnqueuePlugin & EnqueueExtensions & AnyPlugin;
