/** The parts of PodTopologySpread that filtering and scoring share: parsed constraints and node eligibility. */
import type { NodeInfoLister } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import type { LabelSelector, Pod, TopologySpreadConstraint } from '../../framework/types.js';
import { compileLabelSelector, type LabelMatcher } from '../../util/selectors.js';
import { findUntoleratedTaint, noScheduleOrNoExecute } from '../../util/taints.js';
import type { NodeMatcher } from '../../util/selectors.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

export interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  /** The selector as text: identifies it for the incremental counters. */
  readonly selectorKey: string;
  readonly minDomains: number;
  /** Honor (default): only nodes matching the pod's node affinity/selector count. */
  readonly honorNodeAffinity: boolean;
  /** Honor: only nodes whose taints the pod tolerates count (default Ignore). */
  readonly honorNodeTaints: boolean;
}

/** Upstream's system default constraints, applied to pods without their own (`defaultingType: System`). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

/**
 * The pod's constraints with the given `whenUnsatisfiable`, selectors compiled (incl. matchLabelKeys).
 * A pod without constraints of its own gets `defaults`, selecting its service group
 * (`defaultSelector`); with no such group, none.
 */
export function constraintsOf(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway', defaults: readonly TopologySpreadConstraint[] = [], defaultSelector?: () => LabelSelector | null): Constraint[] {
  let list = (pod.spec?.topologySpreadConstraints ?? []) as TopologySpreadConstraint[];
  if (list.length === 0 && defaults.length > 0 && defaults.some((d) => d.whenUnsatisfiable === when)) {
    const sel = defaultSelector?.() ?? null;
    if (!sel) return [];
    list = defaults.map((d) => ({ ...d, labelSelector: sel }));
  }
  const out: Constraint[] = [];
  for (const c of list) {
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
      selectorKey: JSON.stringify(ls ?? null),
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

/**
 * The cluster-wide counts for constraint `c` from the lister's incremental counters, when it has them
 * and every node counts the same for this pod (no node-affinity or taint inclusion policy in effect);
 * otherwise null and the caller scans.
 */
export function sharedCounts(nodes: NodeInfoLister, c: Constraint, pod: PodInfo, affinity: NodeMatcher | null, requiredKeys: readonly string[]): ReadonlyMap<string, number> | null {
  if (!nodes.spreadCounts || c.honorNodeTaints || (c.honorNodeAffinity && affinity)) return null;
  return nodes.spreadCounts({ namespace: pod.namespace, selectorKey: c.selectorKey, selector: c.selector, topologyKey: c.topologyKey, requiredKeys });
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
