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
import { constraintsOf, countMatching, LABEL_HOSTNAME, nodeHasAllKeys, nodeIncluded, type Constraint } from './common.js';

export interface PreScoreState {
  constraints: Constraint[];
  /** Nodes among the feasible ones that lack a topology key: they score 0. */
  ignored: Set<string>;
  /** Per constraint (not hostname): domain → matching pods. */
  counts: Map<string, number>[];
  weights: number[];
}

export function computePreScoreState(pod: PodInfo, filtered: readonly NodeInfo[], all: NodeInfoLister): PreScoreState | null {
  const constraints = constraintsOf(pod.pod, 'ScheduleAnyway');
  if (constraints.length === 0) return null;
  const s: PreScoreState = { constraints, ignored: new Set(), counts: constraints.map(() => new Map()), weights: [] };
  const domains = constraints.map(() => new Set<string>());
  for (const n of filtered) {
    if (!nodeHasAllKeys(n, constraints)) {
      s.ignored.add(n.name);
      continue;
    }
    constraints.forEach((c, i) => {
      const v = n.labels[c.topologyKey]!;
      if (c.topologyKey !== LABEL_HOSTNAME) s.counts[i]!.set(v, 0);
      domains[i]!.add(v);
    });
  }
  s.weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - s.ignored.size : domains[i]!.size) + 2));
  const affinity = requiredNodeAffinity(pod.pod);
  for (const n of all.list()) {
    if (!n.node || !nodeHasAllKeys(n, constraints)) continue;
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME || !nodeIncluded(c, pod, n, affinity)) return;
      const v = n.labels[c.topologyKey]!;
      const m = s.counts[i]!;
      const cur = m.get(v);
      if (cur === undefined) return;
      m.set(v, cur + countMatching(n, c.selector, pod.namespace));
    });
  }
  return s;
}

export function score(s: PreScoreState, pod: PodInfo, nodeInfo: NodeInfo): number {
  if (s.ignored.has(nodeInfo.name)) return 0;
  let total = 0;
  s.constraints.forEach((c, i) => {
    const v = nodeInfo.labels[c.topologyKey];
    if (v === undefined) return;
    const cnt = c.topologyKey === LABEL_HOSTNAME ? countMatching(nodeInfo, c.selector, pod.namespace) : s.counts[i]!.get(v) ?? 0;
    total += cnt * s.weights[i]! + (c.maxSkew - 1);
  });
  return Math.round(total);
}

export function normalize(s: PreScoreState, nodes: readonly NodeInfo[], scores: number[]): void {
  let min = Infinity;
  let max = 0;
  nodes.forEach((n, i) => {
    if (s.ignored.has(n.name)) return;
    if (scores[i]! < min) min = scores[i]!;
    if (scores[i]! > max) max = scores[i]!;
  });
  nodes.forEach((n, i) => {
    if (s.ignored.has(n.name)) scores[i] = 0;
    else if (max === 0) scores[i] = MAX_NODE_SCORE;
    else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
  });
}
