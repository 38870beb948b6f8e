/** PodTopologySpread: the plugin wiring; the rules are in filtering.ts and scoring.ts. */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, Handle, PluginFactory, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import { computePreFilterState, filter, PreFilterState } from './filtering.js';
import { computePreScoreState, normalize, score, type PreScoreState } from './scoring.js';
import { constraintsOf, SYSTEM_DEFAULT_CONSTRAINTS } from './common.js';
import type { TopologySpreadConstraint } from '../../framework/types.js';

export const NAME = 'PodTopologySpread';

const PRE_FILTER_KEY = 'PreFilter' + NAME;
const PRE_SCORE_KEY = 'PreScore' + NAME;

export interface PodTopologySpreadArgs {
  /** `System` (default): upstream's system defaults; `List`: `defaultConstraints`. */
  defaultingType?: 'System' | 'List';
  defaultConstraints?: TopologySpreadConstraint[];
}

export const factory: PluginFactory = (rawArgs, handle: Handle) => {
  const args = (rawArgs ?? {}) as PodTopologySpreadArgs;
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args.defaultConstraints ?? []);
  const constraints = (pod: PodInfo, when: 'DoNotSchedule' | 'ScheduleAnyway') =>
    constraintsOf(pod.pod, when, defaults, () => handle.listers.defaultSpreadSelector(pod.pod));
  return {
    name: NAME,
    preFilter: (state: CycleState, pod: PodInfo): Result => {
      const s = computePreFilterState(pod, handle.snapshot(), constraints(pod, 'DoNotSchedule'));
      if (!s) return Status.skip();
      state.write(PRE_FILTER_KEY, s);
      return null;
    },
    addPod: (state: CycleState, _pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Result => {
      state.read<PreFilterState>(PRE_FILTER_KEY)?.update(toAdd, nodeInfo, 1);
      return null;
    },
    removePod: (state: CycleState, _pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Result => {
      state.read<PreFilterState>(PRE_FILTER_KEY)?.update(toRemove, nodeInfo, -1);
      return null;
    },
    filter: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result => {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      return s ? filter(s, nodeInfo) : null;
    },
    preScore: (state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result => {
      const own = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0;
      const s = computePreScoreState(pod, nodes, handle.snapshot(), constraints(pod, 'ScheduleAnyway'), own || !systemDefaulted);
      if (!s) return Status.skip();
      state.write(PRE_SCORE_KEY, s);
      return null;
    },
    score: (state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number => {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      return s ? score(s, pod, nodeInfo) : 0;
    },
    normalizeScore: (state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void => {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (s) normalize(s, nodes, scores);
    },
    eventsToRegister: () => [
      { event: { resource: 'AssignedPod', action: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint } },
    ],
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions & AnyPlugin;
};
