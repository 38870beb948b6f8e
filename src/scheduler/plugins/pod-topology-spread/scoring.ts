/**
 * PodTopologySpread scoring (`whenUnsatisfiable: ScheduleAnyway`): fewer matching pods in a node's
 * domains is better. Each constraint's count is weighted by log(number of domains + 2), then scores are
 * inverted and normalized so the emptiest node gets 100.
 */
import type { NodeInfoLister } from '../../framework/interface.js';
import { MAX_NODE_SCORE } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { requiredNodeAffinity } from '../node-affinity/node-affinity.js';
import { constraintsOf, countMatching, LABEL_HOSTNAME, nodeHasAllKeys, nodeIncluded, sharedCounts, type Constraint } from './common.js';

export interface PreScoreState {
  constraints: Constraint[];
  /** Nodes among the feasible ones that lack a topology key: they score 0. */
  ignored: Set<string>;
  /** Per constraint: domain → matching pods (for hostname only when the lister keeps counters). */
  counts: Map<string, number>[];
  /** Per constraint: hostname counts per `NodeInfo.id`, from the lister's counters; null: scan the node. */
  perNode: (readonly number[] | null)[];
  weights: number[];
}

/**
 * Counts per domain for the ScheduleAnyway constraints. With `requireAllTopologies` (the pod's own
 * constraints) a node missing a topology key is ignored (scores 0); with system defaults such a node
 * just skips that constraint.
 */
export function computePreScoreState(pod: PodInfo, filtered: readonly NodeInfo[], all: NodeInfoLister, constraints: Constraint[] = constraintsOf(pod.pod, 'ScheduleAnyway'), requireAllTopologies = true): PreScoreState | null {
  if (constraints.length === 0) return null;
  const n = constraints.length;
  const s: PreScoreState = { constraints, ignored: new Set(), counts: [], perNode: [], weights: [] };
  const domains: (Set<string> | null)[] = constraints.map((c) => (c.topologyKey === LABEL_HOSTNAME ? null : new Set<string>()));
  // Hostname domains are the nodes themselves: only other keys need collecting.
  const collect = constraints.flatMap((c, i) => (domains[i] ? [{ key: c.topologyKey, set: domains[i]! }] : []));
  for (const node of filtered) {
    if (requireAllTopologies && !nodeHasAllKeys(node, constraints)) {
      s.ignored.add(node.name);
      continue;
    }
    for (let k = 0; k < collect.length; k++) {
      const v = node.labels[collect[k]!.key];
      if (v !== undefined) collect[k]!.set.add(v);
    }
  }
  s.weights = constraints.map((_c, i) => Math.log((domains[i] ? domains[i]!.size : filtered.length - s.ignored.size) + 2));
  const affinity = requiredNodeAffinity(pod.pod);
  const allKeys = constraints.map((c) => c.topologyKey);
  const scan: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const c = constraints[i]!;
    if (c.topologyKey === LABEL_HOSTNAME) {
      // A node's own count: no inclusion policy applies, so the shared per-node counters serve any pod.
      const perNode = all.spreadCountsPerNode?.({ namespace: pod.namespace, selectorKey: c.selectorKey, selector: c.selector, topologyKey: LABEL_HOSTNAME, requiredKeys: [] });
      s.counts.push(new Map());
      s.perNode.push(perNode ?? null);
      scan.push(false);
      continue;
    }
    s.perNode.push(null);
    const shared = sharedCounts(all, c, pod, affinity, requireAllTopologies ? allKeys : [c.topologyKey]);
    s.counts.push((shared ?? new Map()) as Map<string, number>);
    scan.push(shared === null);
  }
  if (!scan.some(Boolean)) return s;
  for (const node of all.list()) {
    if (!node.node || (requireAllTopologies && !nodeHasAllKeys(node, constraints))) continue;
    for (let i = 0; i < n; i++) {
      const c = constraints[i]!;
      if (!scan[i] || !domains[i] || !nodeIncluded(c, pod, node, affinity)) continue;
      const v = node.labels[c.topologyKey];
      if (v === undefined || !domains[i]!.has(v)) continue;
      const m = s.counts[i]!;
      m.set(v, (m.get(v) ?? 0) + countMatching(node, c.selector, pod.namespace));
    }
  }
  return s;
}

export function score(s: PreScoreState, pod: PodInfo, nodeInfo: NodeInfo): number {
  if (s.ignored.size > 0 && s.ignored.has(nodeInfo.name)) return 0;
  let total = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = nodeInfo.labels[c.topologyKey];
    if (v === undefined) continue;
    let cnt: number;
    if (c.topologyKey !== LABEL_HOSTNAME) cnt = s.counts[i]!.get(v) ?? 0;
    else {
      const perNode = s.perNode[i];
      cnt = perNode ? (perNode[nodeInfo.id] ?? 0) : countMatching(nodeInfo, c.selector, pod.namespace);
    }
    total += cnt * s.weights[i]! + (c.maxSkew - 1);
  }
  return Math.round(total);
}

export function normalize(s: PreScoreState, nodes: readonly NodeInfo[], scores: number[]): void {
  const ignored = (i: number) => s.ignored.size > 0 && s.ignored.has(nodes[i]!.name);
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < nodes.length; i++) {
    if (ignored(i)) continue;
    if (scores[i]! < min) min = scores[i]!;
    if (scores[i]! > max) max = scores[i]!;
  }
  for (let i = 0; i < nodes.length; i++) {
    if (ignored(i)) scores[i] = 0;
    else if (max === 0) scores[i] = MAX_NODE_SCORE;
    else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
  }
}
