/** The parts of PodTopologySpread that filtering and scoring share: parsed constraints and node eligibility. */
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import type { Pod, TopologySpreadConstraint } from '../../framework/types.js';
import { compileLabelSelector, type LabelMatcher } from '../../util/selectors.js';
import { findUntoleratedTaint, noScheduleOrNoExecute } from '../../util/taints.js';
import type { NodeMatcher } from '../../util/selectors.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

export interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  readonly minDomains: number;
  /** Honor (default): only nodes matching the pod's node affinity/selector count. */
  readonly honorNodeAffinity: boolean;
  /** Honor: only nodes whose taints the pod tolerates count (default Ignore). */
  readonly honorNodeTaints: boolean;
}

/** The pod's constraints with the given `whenUnsatisfiable`, selectors compiled (incl. matchLabelKeys). */
export function constraintsOf(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  for (const c of (pod.spec?.topologySpreadConstraints ?? []) as TopologySpreadConstraint[]) {
    if (c.whenUnsatisfiable !== when) continue;
    let ls = c.labelSelector;
    const own = pod.metadata?.labels ?? {};
    const keys = (c.matchLabelKeys ?? []).filter((k) => k in own);
    if (ls && keys.length > 0) {
      ls = { ...ls, matchExpressions: [...(ls.matchExpressions ?? []), ...keys.map((k) => ({ key: k, operator: 'In', values: [own[k]!] }))] };
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: compileLabelSelector(ls),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

/** The node carries every constraint's topology key. */
export function nodeHasAllKeys(nodeInfo: NodeInfo, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (nodeInfo.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** `matchNodeInclusionPolicies`: whether the node counts for this constraint. */
export function nodeIncluded(c: Constraint, pod: PodInfo, nodeInfo: NodeInfo, affinity: NodeMatcher | null): boolean {
  if (c.honorNodeAffinity && affinity && !affinity(nodeInfo)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(nodeInfo.taints, pod.pod.spec?.tolerations, noScheduleOrNoExecute)) return false;
  return true;
}

/** Pods on the node in the namespace that the selector matches, not being deleted. */
export function countMatching(nodeInfo: NodeInfo, selector: LabelMatcher, namespace: string): number {
  let n = 0;
  for (const p of nodeInfo.pods) {
    if (p.namespace !== namespace || p.pod.metadata?.deletionTimestamp) continue;
    if (selector(p.labels)) n++;
  }
  return n;
}
