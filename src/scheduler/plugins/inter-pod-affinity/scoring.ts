/**
 * InterPodAffinity scoring: preferred affinity/anti-affinity of the incoming pod towards running pods,
 * and of running pods (preferred, and required with `hardPodAffinityWeight`) towards it, summed per
 * topology pair, then min–max normalized to 0–100.
 */
import type { NodeInfoLister } from '../../framework/interface.js';
import { MAX_NODE_SCORE } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { termMatches, type NamespaceLabels, type PodInfo, type WeightedAffinityTerm } from '../../framework/pod-info.js';

/** topologyKey → value → score. */
export type TopologyScore = Map<string, Map<string, number>>;

function add(score: TopologyScore, key: string, value: string, w: number): void {
  let m = score.get(key);
  if (!m) score.set(key, (m = new Map()));
  m.set(value, (m.get(value) ?? 0) + w);
}

function processTerms(score: TopologyScore, terms: readonly WeightedAffinityTerm[], subject: PodInfo, nodeInfo: NodeInfo, sign: number, nsLabels: NamespaceLabels | undefined): void {
  for (const t of terms) {
    if (!termMatches(t, subject, nsLabels)) continue;
    const v = nodeInfo.labels[t.topologyKey];
    if (v !== undefined) add(score, t.topologyKey, v, sign * t.weight);
  }
}

/** The per-topology scores, or null when nothing contributes (Skip). */
export function computeTopologyScore(pod: PodInfo, nodes: NodeInfoLister, hardPodAffinityWeight: number, nsLabels: NamespaceLabels | undefined): TopologyScore | null {
  const hasPreferred = pod.preferredAffinityTerms.length + pod.preferredAntiAffinityTerms.length > 0;
  const candidates = hasPreferred ? nodes.list() : nodes.havePodsWithAffinityList();
  if (candidates.length === 0) return null;
  const score: TopologyScore = new Map();
  for (const n of candidates) {
    const pods = hasPreferred ? n.pods : n.podsWithAffinity;
    for (const existing of pods) {
      processTerms(score, pod.preferredAffinityTerms, existing, n, 1, nsLabels);
      processTerms(score, pod.preferredAntiAffinityTerms, existing, n, -1, nsLabels);
      if (existing.requiredAffinityTerms.length > 0 && hardPodAffinityWeight > 0) {
        for (const t of existing.requiredAffinityTerms) {
          if (!termMatches(t, pod, nsLabels)) continue;
          const v = n.labels[t.topologyKey];
          if (v !== undefined) add(score, t.topologyKey, v, hardPodAffinityWeight);
        }
      }
      processTerms(score, existing.preferredAffinityTerms, pod, n, 1, nsLabels);
      processTerms(score, existing.preferredAntiAffinityTerms, pod, n, -1, nsLabels);
    }
  }
  return score.size === 0 ? null : score;
}

export function nodeScore(score: TopologyScore, nodeInfo: NodeInfo): number {
  let s = 0;
  for (const [key, values] of score) {
    const v = nodeInfo.labels[key];
    if (v !== undefined) s += values.get(v) ?? 0;
  }
  return s;
}

/** Min–max normalization to [0, 100] (all equal → 0). */
export function normalize(scores: number[]): void {
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
}
