/** PrioritySort: the active queue serves higher `spec.priority` first, then the pod queued earliest. */
import type { AnyPlugin, PluginFactory, QueuedPodInfo, QueueSortPlugin } from '../../framework/interface.js';

export const NAME = 'PrioritySort';

export function less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.priority;
  const pb = b.podInfo.priority;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export const factory: PluginFactory = () => ({ name: NAME, less }) satisfies QueueSortPlugin & AnyPlugin;
