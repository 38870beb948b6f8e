/**
 * PodTopologySpread filtering (`whenUnsatisfiable: DoNotSchedule`): placing the pod in a domain must not
 * make that domain exceed the least-loaded eligible domain by more than `maxSkew`. With `minDomains`, the
 * minimum counts as 0 while fewer domains than that exist.
 */
import type { NodeInfoLister } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { requiredNodeAffinity } from '../node-affinity/node-affinity.js';
import { constraintsOf, countMatching, nodeHasAllKeys, nodeIncluded, sharedCounts, type Constraint } from './common.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

export class PreFilterState {
  /** Per constraint: domain value → matching pods. */
  counts: Map<string, number>[];

  constructor(readonly pod: PodInfo, readonly constraints: readonly Constraint[], counts?: Map<string, number>[]) {
    this.counts = counts ?? constraints.map(() => new Map());
  }

  clone(): PreFilterState {
    return new PreFilterState(this.pod, this.constraints, this.counts.map((m) => new Map(m)));
  }

  /** Cached `minMatch` per constraint (NaN: not computed since the last change). */
  private mins: number[] = [];

  /** The smallest count over the constraint's domains, or 0 while there are fewer than minDomains. */
  minMatch(i: number): number {
    const cached = this.mins[i];
    if (cached !== undefined && !Number.isNaN(cached)) return cached;
    const m = this.counts[i]!;
    let min = Infinity;
    if (m.size < this.constraints[i]!.minDomains) min = 0;
    else for (const v of m.values()) if (v < min) min = v;
    if (min === Infinity) min = 0;
    this.mins[i] = min;
    return min;
  }

  /** Accounts for `other` added to (+1) or removed from (−1) `nodeInfo`. */
  update(other: PodInfo, nodeInfo: NodeInfo, by: 1 | -1): void {
    if (other.namespace !== this.pod.namespace || !nodeHasAllKeys(nodeInfo, this.constraints)) return;
    const affinity = requiredNodeAffinity(this.pod.pod);
    this.constraints.forEach((c, i) => {
      if (!nodeIncluded(c, this.pod, nodeInfo, affinity) || !c.selector(other.labels)) return;
      const v = nodeInfo.labels[c.topologyKey]!;
      const m = this.counts[i]!;
      if (m.has(v)) m.set(v, m.get(v)! + by);
      this.mins[i] = NaN;
    });
  }
}

/** Counts matching pods per domain over every eligible node; null when the pod has no such constraints. */
export function computePreFilterState(pod: PodInfo, nodes: NodeInfoLister, constraints: Constraint[] = constraintsOf(pod.pod, 'DoNotSchedule')): PreFilterState | null {
  if (constraints.length === 0) return null;
  const affinity = requiredNodeAffinity(pod.pod);
  const allKeys = constraints.map((c) => c.topologyKey);
  // Counts shared with the cache's incremental counters are never mutated here: `update` runs only on
  // clones (what-if evaluation), and `clone` copies.
  const shared = constraints.map((c) => sharedCounts(nodes, c, pod, affinity, allKeys));
  const s = new PreFilterState(pod, constraints, shared.map((m) => (m ?? new Map()) as Map<string, number>));
  const scan = constraints.map((_c, i) => shared[i] === null);
  if (!scan.some(Boolean)) return s;
  for (const n of nodes.list()) {
    if (!n.node || !nodeHasAllKeys(n, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!scan[i] || !nodeIncluded(c, pod, n, affinity)) continue;
      const v = n.labels[c.topologyKey]!;
      const m = s.counts[i]!;
      m.set(v, (m.get(v) ?? 0) + countMatching(n, c.selector, pod.namespace));
    }
  }
  return s;
}

const missingLabel = Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
const skewed = Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);

export function filter(s: PreFilterState, nodeInfo: NodeInfo): Result {
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = nodeInfo.labels[c.topologyKey];
    if (v === undefined) return missingLabel;
    const self = c.selector(s.pod.labels) ? 1 : 0;
    const match = s.counts[i]!.get(v) ?? 0;
    if (match + self - s.minMatch(i) > c.maxSkew) return skewed;
  }
  return null;
}
