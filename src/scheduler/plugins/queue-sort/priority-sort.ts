/**
 * PrioritySort: the active queue serves higher `spec.priority` first, then the pod queued earliest
 * (arrival order within one clock tick).
 */
import type { AnyPlugin, PluginFactory, QueuedPodInfo, QueueSortPlugin } from '../../framework/interface.js';

export const NAME = 'PrioritySort';

export function less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.priority;
  const pb = b.podInfo.priority;
  if (pa !== pb) return pa > pb;
  return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
}

export const factory: PluginFactory = () => ({ name: NAME, less }) satisfies QueueSortPlugin & AnyPlugin;
