/**
 * Pure decisions of the node lifecycle controller: when a node's heartbeat is stale, what its
 * conditions become, and which NoExecute/NoSchedule taints its Ready condition calls for
 * (upstream `node_lifecycle_controller.go` and `TaintNodesByCondition`).
 */
import type { Node } from '../../api/types.js';
import { formatTime } from '../../client/clock.js';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

/** The conditions the kubelet reports that turn Unknown when it goes silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Conditions after the kubelet stopped posting status: every kubelet condition Unknown. */
export function unknownConditions(node: Node, nowMs: number): NodeCondition[] | undefined {
  const now = formatTime(nowMs);
  const conds = structuredClone(node.status?.conditions ?? []);
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const c = conds.find((x) => x.type === type);
    if (c?.status === 'Unknown') continue;
    changed = true;
    const next: NodeCondition = {
      type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: c?.lastHeartbeatTime ?? now, lastTransitionTime: now,
    };
    if (c) Object.assign(c, next);
    else if (type === 'Ready') conds.push({ ...next, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  }
  return changed ? conds : undefined;
}

/** The taints the Ready condition calls for: unreachable when Unknown, not-ready when False, none when True. */
export function wantedConditionTaints(node: Node): string[] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'Unknown') return ready ? [TAINT_UNREACHABLE] : [TAINT_NOT_READY];
  return ready.status === 'False' ? [TAINT_NOT_READY] : [];
}

/** The node's taints with the condition taints (NoExecute and NoSchedule) made to match `wanted`; undefined when unchanged. */
export function reconcileTaints(node: Node, wanted: string[], nowMs: number): Taint[] | undefined {
  const cur = node.spec?.taints ?? [];
  const managed = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY]);
  const keep = cur.filter((t) => !managed.has(t.key) || (wanted.includes(t.key) && (t.effect === 'NoExecute' || t.effect === 'NoSchedule')));
  const out = [...keep];
  for (const key of wanted) {
    for (const effect of ['NoSchedule', 'NoExecute']) {
      if (!out.some((t) => t.key === key && t.effect === effect)) out.push({ key, effect, ...(effect === 'NoExecute' ? { timeAdded: formatTime(nowMs) } : {}) });
    }
  }
  const same = out.length === cur.length && out.every((t) => cur.some((c) => c.key === t.key && c.effect === t.effect));
  return same ? undefined : out;
}
