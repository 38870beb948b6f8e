/**
 * InterPodAffinity filtering: required pod affinity and anti-affinity of the incoming pod, and the required
 * anti-affinity of pods already running against it. PreFilter counts matching pods per topology pair
 * (`key=value`) once; Filter then only looks the node's labels up in those counts.
 */
import type { CycleState, NodeInfoLister } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { termMatches, type AffinityTerm, type NamespaceLabels, type PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** Counts per topology pair, keyed `key\0value`. */
export type TopologyCounts = Map<string, number>;

export function pairKey(key: string, value: string): string {
  return key + '\u0000' + value;
}

function bump(counts: TopologyCounts, term: AffinityTerm, nodeInfo: NodeInfo, by: number): void {
  const v = nodeInfo.labels[term.topologyKey];
  if (v === undefined) return;
  const k = pairKey(term.topologyKey, v);
  const n = (counts.get(k) ?? 0) + by;
  if (n === 0) counts.delete(k);
  else counts.set(k, n);
}

export class PreFilterState {
  /** Pairs where an existing pod's required anti-affinity term selects the incoming pod. */
  existingAntiAffinityCounts: TopologyCounts = new Map();
  /** Pairs with pods matching all of the incoming pod's required affinity terms. */
  affinityCounts: TopologyCounts = new Map();
  /** Pairs with pods matching one of the incoming pod's required anti-affinity terms. */
  antiAffinityCounts: TopologyCounts = new Map();

  constructor(readonly pod: PodInfo, readonly nsLabels: NamespaceLabels | undefined) {}

  clone(): PreFilterState {
    const c = new PreFilterState(this.pod, this.nsLabels);
    c.existingAntiAffinityCounts = new Map(this.existingAntiAffinityCounts);
    c.affinityCounts = new Map(this.affinityCounts);
    c.antiAffinityCounts = new Map(this.antiAffinityCounts);
    return c;
  }

  /** Accounts for `existing` being added (+1) to or removed (−1) from `nodeInfo`. */
  update(existing: PodInfo, nodeInfo: NodeInfo, by: 1 | -1): void {
    for (const t of existing.requiredAntiAffinityTerms) {
      if (termMatches(t, this.pod, this.nsLabels)) bump(this.existingAntiAffinityCounts, t, nodeInfo, by);
    }
    const aff = this.pod.requiredAffinityTerms;
    if (aff.length > 0 && matchesAllTerms(aff, existing, this.nsLabels)) for (const t of aff) bump(this.affinityCounts, t, nodeInfo, by);
    for (const t of this.pod.requiredAntiAffinityTerms) if (termMatches(t, existing, this.nsLabels)) bump(this.antiAffinityCounts, t, nodeInfo, by);
  }
}

export function matchesAllTerms(terms: readonly AffinityTerm[], pod: PodInfo, nsLabels: NamespaceLabels | undefined): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, nsLabels)) return false;
  return true;
}

/** Builds the counts from the cluster snapshot. Null when there is nothing to check (Skip). */
export function computePreFilterState(pod: PodInfo, nodes: NodeInfoLister, nsLabels: NamespaceLabels | undefined): PreFilterState | null {
  const withAnti = nodes.havePodsWithRequiredAntiAffinityList();
  const hasOwn = pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0;
  if (!hasOwn && withAnti.length === 0) return null;
  const s = new PreFilterState(pod, nsLabels);
  for (const n of withAnti) {
    for (const existing of n.podsWithRequiredAntiAffinity) {
      for (const t of existing.requiredAntiAffinityTerms) if (termMatches(t, pod, nsLabels)) bump(s.existingAntiAffinityCounts, t, n, 1);
    }
  }
  if (hasOwn) {
    for (const n of nodes.list()) {
      for (const existing of n.pods) {
        if (pod.requiredAffinityTerms.length > 0 && matchesAllTerms(pod.requiredAffinityTerms, existing, nsLabels)) {
          for (const t of pod.requiredAffinityTerms) bump(s.affinityCounts, t, n, 1);
        }
        for (const t of pod.requiredAntiAffinityTerms) if (termMatches(t, existing, nsLabels)) bump(s.antiAffinityCounts, t, n, 1);
      }
    }
  }
  if (!hasOwn && s.existingAntiAffinityCounts.size === 0) return null;
  return s;
}

/** The node satisfies the pod's required affinity (or the pod is the first of a self-affine group). */
export function satisfyPodAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  let podsExist = true;
  for (const t of s.pod.requiredAffinityTerms) {
    const v = nodeInfo.labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (!podsExist) return s.affinityCounts.size === 0 && matchesAllTerms(s.pod.requiredAffinityTerms, s.pod, s.nsLabels);
  return true;
}

export function satisfyPodAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.pod.requiredAntiAffinityTerms) {
    const v = nodeInfo.labels[t.topologyKey];
    if (v !== undefined && (s.antiAffinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

export function satisfyExistingPodsAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const key in nodeInfo.labels) {
    if ((s.existingAntiAffinityCounts.get(pairKey(key, nodeInfo.labels[key]!)) ?? 0) > 0) return false;
  }
  return true;
}

const affinityRejected = Status.unresolvable(ERR_REASON_AFFINITY);
const antiRejected = Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
const existingRejected = Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);

export function filter(s: PreFilterState, nodeInfo: NodeInfo): Result {
  if (!satisfyPodAffinity(s, nodeInfo)) return affinityRejected;
  if (!satisfyPodAntiAffinity(s, nodeInfo)) return antiRejected;
  if (!satisfyExistingPodsAntiAffinity(s, nodeInfo)) return existingRejected;
  return null;
}

export const PRE_FILTER_KEY = 'PreFilterInterPodAffinity';

export function readState(state: CycleState): PreFilterState | undefined {
  return state.read<PreFilterState>(PRE_FILTER_KEY);
}
