/**
 * NodeAffinity: `spec.nodeSelector` and required node affinity decide where a pod may go (Filter); preferred
 * node affinity terms add their weights to the nodes they match (Score).
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, PluginFactory, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { MAX_NODE_SCORE } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import type { Pod } from '../../framework/types.js';
import { compileNodeSelector, compileNodeSelectorTerm, type NodeFields, type NodeMatcher, type NodeSelectorTerm } from '../../util/selectors.js';
import { defaultNormalizeScore } from '../helper/normalize-score.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";

/**
 * `nodeaffinity.GetRequiredNodeAffinity(pod).Match`: the node satisfies the pod's nodeSelector (every
 * entry) and, when set, at least one required node affinity term. Null when the pod constrains nothing.
 */
export function requiredNodeAffinity(pod: Pod): NodeMatcher | null {
  const sel = pod.spec?.nodeSelector;
  const entries = sel ? Object.entries(sel) : [];
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const termMatcher = terms ? compileNodeSelector(terms as NodeSelectorTerm[]) : null;
  if (entries.length === 0 && !termMatcher) return null;
  return (node: NodeFields) => {
    for (const [k, v] of entries) if (node.labels[k] !== v) return false;
    return termMatcher ? termMatcher(node) : true;
  };
}

interface PreFilterState {
  matcher: NodeMatcher | null;
}

interface PreScoreState {
  terms: { weight: number; match: NodeMatcher }[];
}

const PRE_FILTER_KEY = 'PreFilter' + NAME;
const PRE_SCORE_KEY = 'PreScore' + NAME;

/** Node names that `metadata.name` In terms restrict the pod to, when every term has one; else null. */
export function nodeNamesFromTerms(terms: readonly NodeSelectorTerm[] | undefined): Set<string> | null {
  if (!terms || terms.length === 0) return null;
  const names = new Set<string>();
  for (const t of terms) {
    const f = (t.matchFields ?? []).find((m) => m.key === 'metadata.name' && m.operator === 'In');
    if (!f) return null;
    for (const v of f.values ?? []) names.add(v);
  }
  return names;
}

export interface NodeAffinityArgs {
  /** A node affinity the scheduler enforces for every pod of this profile (`addedAffinity`). */
  addedAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } };
}

export const factory: PluginFactory = (rawArgs) => {
  const args = (rawArgs ?? {}) as NodeAffinityArgs;
  const addedTerms = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const added = addedTerms ? compileNodeSelector(addedTerms) : null;
  const rejected = Status.unresolvable(ERR_REASON_POD).withPlugin(NAME);
  const enforced = Status.unresolvable(ERR_REASON_ENFORCED).withPlugin(NAME);
  return {
    name: NAME,
    preFilter: (state: CycleState, pod: PodInfo): Result | PreFilterResult => {
      const matcher = requiredNodeAffinity(pod.pod);
      if (!matcher && !added) return Status.skip();
      state.write(PRE_FILTER_KEY, { matcher } satisfies PreFilterState);
      const names = nodeNamesFromTerms(pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as NodeSelectorTerm[] | undefined);
      if (names) {
        if (names.size === 0) return Status.unresolvable(ERR_REASON_POD);
        return { nodeNames: names };
      }
      return null;
    },
    filter: (state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result => {
      if (added && !added(nodeInfo)) return enforced;
      let s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) s = { matcher: requiredNodeAffinity(pod.pod) };
      return s.matcher && !s.matcher(nodeInfo) ? rejected : null;
    },
    preScore: (state: CycleState, pod: PodInfo): Result => {
      const preferred = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (preferred.length === 0) return Status.skip();
      const terms = preferred.filter((p) => p.weight !== 0).map((p) => ({ weight: p.weight, match: compileNodeSelectorTerm(p.preference as NodeSelectorTerm) }));
      state.write(PRE_SCORE_KEY, { terms } satisfies PreScoreState);
      return null;
    },
    score: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number => {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return 0;
      let sum = 0;
      for (const t of s.terms) if (t.match(nodeInfo)) sum += t.weight;
      return sum;
    },
    normalizeScore: (_s: CycleState, _p: PodInfo, _n: readonly NodeInfo[], scores: number[]): void => defaultNormalizeScore(MAX_NODE_SCORE, false, scores),
    eventsToRegister: () => [{ event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeLabel } }],
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions & AnyPlugin;
};
