/**
 * `FitError`: why a pod fits no node, in upstream's exact wording, e.g.
 * `0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are
 * available: 3 No preemption victims found for incoming pod.`
 * Every reason of every node's status is counted; the "<count> <reason>" strings are sorted as strings.
 */
import type { NodeToStatus } from './interface.js';
import type { PodInfo } from './pod-info.js';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Status for nodes absent from the map (e.g. excluded by a PreFilter result); counted for each such node. */
  absentStatus?: { reasons: readonly string[]; count: number };
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Set when PreFilter rejected the pod for all nodes. */
  preFilterMsg: string;
  /** The PostFilter (preemption) outcome, if it failed too. */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

/** `"<n> <reason>"` for each distinct reason, sorted. */
export function reasonHistogram(nodeToStatus: NodeToStatus, absent?: Diagnosis['absentStatus']): string[] {
  const counts = new Map<string, number>();
  for (const st of nodeToStatus.values()) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent && absent.count > 0) for (const r of absent.reasons) counts.set(r, (counts.get(r) ?? 0) + absent.count);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort();
}

/** The FitError message for `numAllNodes` nodes. */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const hist = reasonHistogram(d.nodeToStatus, d.absentStatus);
    if (hist.length > 0) msg += ` ${hist.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}

export class FitError extends Error {
  constructor(
    readonly pod: PodInfo,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super();
    this.name = 'FitError';
  }

  override get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }

  override set message(_v: string) {
    // computed
  }
}
