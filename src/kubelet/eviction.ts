/**
 * Eviction under node pressure (upstream's eviction manager, hard thresholds only): while the node reports
 * MemoryPressure or DiskPressure (./node-health.ts), one pod per check is evicted — the first of
 * {@link rankForEviction}: BestEffort, then Burstable, then Guaranteed pods, and within a class the larger
 * memory user (working set from the runtime's container stats) first. Evicting marks the pod Failed with
 * reason `Evicted` and upstream's message ("The node was low on resource: memory. "), then stops its
 * containers at once (hard eviction: no grace period); the pod object stays, as upstream leaves it.
 */
import type { Pod } from '../api/types.js';
import { qosClass } from './status/pod-status.js';

const QOS_ORDER = { BestEffort: 0, Burstable: 1, Guaranteed: 2 } as const;

/** Pods in eviction order; `usage(uid)` is the pod's memory working set in bytes (0 when unknown). */
export function rankForEviction(pods: Pod[], usage: (uid: string) => number): Pod[] {
  return [...pods].sort((a, b) => {
    const qa = QOS_ORDER[qosClass(a)];
    const qb = QOS_ORDER[qosClass(b)];
    if (qa !== qb) return qa - qb;
    return usage(b.metadata!.uid!) - usage(a.metadata!.uid!);
  });
}

export function evictionMessage(resource: 'memory' | 'ephemeral-storage'): string {
  return `The node was low on resource: ${resource}. `;
}
