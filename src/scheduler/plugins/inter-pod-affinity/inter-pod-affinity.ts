/** InterPodAffinity: the plugin wiring; the rules are in filtering.ts and scoring.ts. */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, Handle, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import { computePreFilterState, filter, PRE_FILTER_KEY, readState } from './filtering.js';
import { computeTopologyScore, nodeScore, normalize, type TopologyScore } from './scoring.js';

export const NAME = 'InterPodAffinity';

export interface InterPodAffinityArgs {
  /** Weight of running pods' required affinity terms in scoring (upstream default 1). */
  hardPodAffinityWeight?: number;
}

const PRE_SCORE_KEY = 'PreScore' + NAME;

export const factory: PluginFactory = (rawArgs, handle: Handle) => {
  const hardWeight = ((rawArgs ?? {}) as InterPodAffinityArgs).hardPodAffinityWeight ?? 1;
  const nsLabels = (ns: string) => handle.listers.namespaceLabels(ns);
  return {
    name: NAME,
    preFilter: (state: CycleState, pod: PodInfo): Result => {
      const s = computePreFilterState(pod, handle.snapshot(), nsLabels);
      if (!s) return Status.skip();
      state.write(PRE_FILTER_KEY, s);
      return null;
    },
    addPod: (state: CycleState, _pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Result => {
      readState(state)?.update(toAdd, nodeInfo, 1);
      return null;
    },
    removePod: (state: CycleState, _pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Result => {
      readState(state)?.update(toRemove, nodeInfo, -1);
      return null;
    },
    filter: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result => {
      const s = readState(state);
      return s ? filter(s, nodeInfo) : null;
    },
    preScore: (state: CycleState, pod: PodInfo): Result => {
      const score = computeTopologyScore(pod, handle.snapshot(), hardWeight, nsLabels);
      if (!score) return Status.skip();
      state.write(PRE_SCORE_KEY, score);
      return null;
    },
    score: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number => {
      const s = state.read<TopologyScore>(PRE_SCORE_KEY);
      return s ? nodeScore(s, nodeInfo) : 0;
    },
    normalizeScore: (_s: CycleState, _p: PodInfo, _n: readonly NodeInfo[], scores: number[]) => normalize(scores),
    eventsToRegister: () => [
      { event: { resource: 'AssignedPod', action: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeLabel } },
    ],
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions & AnyPlugin;
};
