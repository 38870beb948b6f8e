/**
 * Runs one plugin the way the framework would (PreFilter then Filter per node; PreScore, Score,
 * NormalizeScore), over a hand-made list of NodeInfos: for table-driven plugin tests.
 */
import { CycleState, emptyListers, type AnyPlugin, type Handle, type NodeInfoLister, type ObjectListers, type PluginFactory } from '../framework/interface.js';
import type { ImageStateSummary, NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';
import { ManualClock } from '../util/clock.js';

export class ListLister implements NodeInfoLister {
  constructor(private readonly nodes: NodeInfo[]) {}
  list(): readonly NodeInfo[] {
    return this.nodes;
  }
  get(name: string): NodeInfo | undefined {
    return this.nodes.find((n) => n.name === name);
  }
  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.nodes.filter((n) => n.podsWithAffinity.length > 0);
  }
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }
  imageState(image: string): ImageStateSummary | undefined {
    for (const n of this.nodes) {
      const s = n.imageStates.get(image);
      if (s) return s;
    }
    return undefined;
  }
}

export function fakeHandle(nodes: NodeInfo[], listers: Partial<ObjectListers> = {}): Handle {
  const lister = new ListLister(nodes);
  const h: Handle = {
    snapshot: () => lister,
    listers: { ...emptyListers, ...listers },
    nominator: { nominatedPodsForNode: () => [] },
    clock: new ManualClock(),
    random: () => 0,
    bind: async () => {},
    evict: async () => {},
    clearNomination: async () => {},
    runFilterPluginsWithNominatedPods: () => null,
    runPreFilterExtensionAddPod: () => null,
    runPreFilterExtensionRemovePod: () => null,
  };
  return h;
}

export function instantiate(factory: PluginFactory, nodes: NodeInfo[], args?: Record<string, unknown>, listers?: Partial<ObjectListers>): AnyPlugin {
  return factory(args, fakeHandle(nodes, listers));
}

/** `'ok'` or the reasons joined, per node name; a PreFilter rejection applies to every node. */
export function filterAll(plugin: AnyPlugin, pod: PodInfo, nodes: NodeInfo[]): Record<string, string> {
  const state = new CycleState();
  const out: Record<string, string> = {};
  if (plugin.preFilter) {
    const r = plugin.preFilter(state, pod, new ListLister(nodes));
    if (r instanceof Status) {
      if (r.code === Code.Skip) {
        for (const n of nodes) out[n.name] = 'ok';
        return out;
      }
      if (r.code !== Code.Success) {
        for (const n of nodes) out[n.name] = `prefilter: ${r.message()}`;
        return out;
      }
    } else if (r && 'nodeNames' in r) {
      for (const n of nodes) if (!r.nodeNames.has(n.name)) out[n.name] = 'excluded';
    }
  }
  for (const n of nodes) {
    if (out[n.name]) continue;
    const s = plugin.filter!(state, pod, n);
    out[n.name] = s === null ? 'ok' : s.message();
  }
  return out;
}

/** Scores per node name after NormalizeScore; `skip` when PreScore skipped. */
export function scoreAll(plugin: AnyPlugin, pod: PodInfo, nodes: NodeInfo[]): Record<string, number> | 'skip' {
  const state = new CycleState();
  if (plugin.preScore) {
    const s = plugin.preScore(state, pod, nodes);
    if (s?.code === Code.Skip) return 'skip';
  }
  const scores = nodes.map((n) => plugin.score!(state, pod, n));
  plugin.normalizeScore?.(state, pod, nodes, scores);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i]!]));
}
