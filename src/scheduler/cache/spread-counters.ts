/**
 * Matching-pod counts per topology domain, kept incrementally for the selectors pods are being spread by
 * (PodTopologySpread). Upstream rescans every node's pods in each cycle; here the scan happens once per
 * (namespace, selector, topology key) and pod additions/removals then adjust the counts, so a cycle reads
 * them in O(1). A bounded number of such counters is kept, least recently used evicted; a change to the
 * node set or to node labels drops them all (they are rebuilt on the next request).
 */
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import type { LabelMatcher } from '../util/selectors.js';

export interface SpreadCountRequest {
  namespace: string;
  /** A stable text form of the selector, identifying it. */
  selectorKey: string;
  selector: LabelMatcher;
  topologyKey: string;
  /** Only nodes carrying all these labels count (the constraint's key, or every constraint's key). */
  requiredKeys: readonly string[];
}

interface Counter {
  req: SpreadCountRequest;
  counts: Map<string, number>;
  /** Matching pods per node, indexed by `NodeInfo.id` (eligible nodes only). */
  perNode: number[];
}

const MAX_COUNTERS = 64;

export class SpreadCounters {
  private readonly counters = new Map<string, Counter>();

  /** The counts for `req` over `nodes` (domain value → matching pods; 0 for empty domains). Read-only. */
  get(req: SpreadCountRequest, nodes: readonly NodeInfo[]): ReadonlyMap<string, number> {
    return this.counter(req, nodes).counts;
  }

  /** Matching pods per node for `req`, indexed by `NodeInfo.id` (undefined: not eligible). Read-only. */
  perNode(req: SpreadCountRequest, nodes: readonly NodeInfo[]): readonly number[] {
    return this.counter(req, nodes).perNode;
  }

  private counter(req: SpreadCountRequest, nodes: readonly NodeInfo[]): Counter {
    const key = `${req.namespace}\u0000${req.selectorKey}\u0000${req.topologyKey}\u0000${req.requiredKeys.join(',')}`;
    const hit = this.counters.get(key);
    if (hit) {
      this.counters.delete(key);
      this.counters.set(key, hit);
      return hit;
    }
    const counts = new Map<string, number>();
    const perNode: number[] = [];
    for (const n of nodes) {
      if (!eligible(n, req)) continue;
      const v = n.labels[req.topologyKey]!;
      let c = 0;
      for (const p of n.pods) if (matches(p, req)) c++;
      perNode[n.id] = c;
      counts.set(v, (counts.get(v) ?? 0) + c);
    }
    if (this.counters.size >= MAX_COUNTERS) this.counters.delete(this.counters.keys().next().value!);
    const counter = { req, counts, perNode };
    this.counters.set(key, counter);
    return counter;
  }

  /** A pod was added to (+1) or removed from (−1) a listed node. */
  podChanged(p: PodInfo, nodeInfo: NodeInfo, by: 1 | -1): void {
    for (const { req, counts, perNode } of this.counters.values()) {
      if (!matches(p, req) || !eligible(nodeInfo, req)) continue;
      const v = nodeInfo.labels[req.topologyKey]!;
      counts.set(v, (counts.get(v) ?? 0) + by);
      perNode[nodeInfo.id] = (perNode[nodeInfo.id] ?? 0) + by;
    }
  }

  reset(): void {
    this.counters.clear();
  }

  get size(): number {
    return this.counters.size;
  }
}

function eligible(n: NodeInfo, req: SpreadCountRequest): boolean {
  if (n.labels[req.topologyKey] === undefined) return false;
  for (const k of req.requiredKeys) if (n.labels[k] === undefined) return false;
  return true;
}

function matches(p: PodInfo, req: SpreadCountRequest): boolean {
  return p.namespace === req.namespace && !p.pod.metadata?.deletionTimestamp && req.selector(p.labels);
}
