/**
 * The node conditions a kubelet reports, with upstream's types, reasons and messages, and the rule for
 * their timestamps: `lastHeartbeatTime` is the time of each report, `lastTransitionTime` moves only when
 * the status changes.
 *
 * | condition      | healthy status | reason                        | message                                   |
 * | -------------- | -------------- | ----------------------------- | ----------------------------------------- |
 * | MemoryPressure | False          | KubeletHasSufficientMemory    | kubelet has sufficient memory available   |
 * | DiskPressure   | False          | KubeletHasNoDiskPressure      | kubelet has no disk pressure              |
 * | PIDPressure    | False          | KubeletHasSufficientPID       | kubelet has sufficient PID available      |
 * | Ready          | True           | KubeletReady                  | kubelet is posting ready status           |
 *
 * The unhealthy side: KubeletHasInsufficientMemory / KubeletHasDiskPressure / KubeletHasInsufficientPID
 * (status True), KubeletNotReady (status False, the message says why).
 */
import type { Node } from '../../api/types.js';

export type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

/** What the node observes about itself; each field false/empty when healthy. */
export interface NodeHealth {
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
  /** Empty when ready; otherwise why not (becomes the Ready condition's message). */
  notReadyReason: string;
}

export const HEALTHY: NodeHealth = { memoryPressure: false, diskPressure: false, pidPressure: false, notReadyReason: '' };

type Desired = Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

function pressure(type: string, under: boolean, yes: [string, string], no: [string, string]): Desired {
  const [reason, message] = under ? yes : no;
  return { type, status: under ? 'True' : 'False', reason, message };
}

/** The four conditions for `health`, in upstream's order, without timestamps. */
export function desiredConditions(health: NodeHealth): Desired[] {
  return [
    pressure('MemoryPressure', health.memoryPressure,
      ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
      ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available']),
    pressure('DiskPressure', health.diskPressure,
      ['KubeletHasDiskPressure', 'kubelet has disk pressure'],
      ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure']),
    pressure('PIDPressure', health.pidPressure,
      ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'],
      ['KubeletHasSufficientPID', 'kubelet has sufficient PID available']),
    health.notReadyReason
      ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: health.notReadyReason }
      : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

/**
 * The conditions to report at `now`: `desired` stamped with `now` as heartbeat, keeping the previous
 * `lastTransitionTime` of a condition whose status did not change. Conditions of other types in
 * `previous` (set by someone else) are kept as they are.
 */
export function stampConditions(previous: NodeCondition[] | undefined, desired: Desired[], now: string): NodeCondition[] {
  const prev = new Map((previous ?? []).map((c) => [c.type, c]));
  const ours = new Set(desired.map((d) => d.type));
  const others = (previous ?? []).filter((c) => !ours.has(c.type));
  return [...others, ...desired.map((d) => {
    const p = prev.get(d.type);
    return { ...d, lastHeartbeatTime: now, lastTransitionTime: p && p.status === d.status ? p.lastTransitionTime ?? now : now };
  })];
}

/** True when the reported conditions differ from `desired` in anything but timestamps. */
export function conditionsChanged(reported: NodeCondition[] | undefined, desired: Desired[]): boolean {
  const byType = new Map((reported ?? []).map((c) => [c.type, c]));
  return desired.some((d) => {
    const r = byType.get(d.type);
    return !r || r.status !== d.status || r.reason !== d.reason || r.message !== d.message;
  });
}
