/**
 * TaintToleration: a node's NoSchedule/NoExecute taints keep out pods that do not tolerate them (Filter);
 * PreferNoSchedule taints count against a node (Score: fewer untolerated such taints is better).
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import { MAX_NODE_SCORE } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import type { Taint, Toleration } from '../../framework/types.js';
import { findUntoleratedTaint, noScheduleOrNoExecute, tolerationsTolerateTaint } from '../../util/taints.js';
import { defaultNormalizeScore } from '../helper/normalize-score.js';

export const NAME = 'TaintToleration';

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate, or undefined when it fits. */
export function untoleratedTaint(pod: PodInfo, nodeInfo: NodeInfo): Taint | undefined {
  if (nodeInfo.taints.length === 0) return undefined;
  return findUntoleratedTaint(nodeInfo.taints, pod.pod.spec?.tolerations, noScheduleOrNoExecute);
}

/** Number of PreferNoSchedule taints on the node that `tolerations` (already PreferNoSchedule-relevant) miss. */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let n = 0;
  for (const t of taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
  return n;
}

const STATE_KEY = 'PreScore' + NAME;

export const factory: PluginFactory = () => ({
  name: NAME,
  filter: (_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result => {
    const taint = untoleratedTaint(pod, nodeInfo);
    return taint ? Status.unresolvable(untoleratedTaintReason(taint)) : null;
  },
  preScore: (state: CycleState, pod: PodInfo): Result => {
    const tolerations = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(STATE_KEY, tolerations);
    return null;
  },
  score: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number => {
    if (nodeInfo.taints.length === 0) return 0;
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.taints, state.read<Toleration[]>(STATE_KEY) ?? []);
  },
  normalizeScore: (_s: CycleState, _p: PodInfo, _n: readonly NodeInfo[], scores: number[]): void => defaultNormalizeScore(MAX_NODE_SCORE, true, scores),
  eventsToRegister: () => [
    { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeTaint } },
    { event: { resource: 'Pod', action: ActionType.UpdatePodTolerations } },
  ],
}) satisfies FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions & AnyPlugin;
