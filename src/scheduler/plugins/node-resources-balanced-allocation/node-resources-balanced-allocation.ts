/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in similar fractions
 * after placing the pod (Score only).
 */
import type { AnyPlugin, CycleState, PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { allocatableAndRequested, balancedResourceScore, DEFAULT_RESOURCES, podRequest, type ResourceSpec } from '../node-resources-fit/resource-allocation.js';

export const NAME = 'NodeResourcesBalancedAllocation';

const PRE_SCORE_KEY = 'PreScore' + NAME;

export const factory: PluginFactory = (rawArgs) => {
  const resources = ((rawArgs ?? {}) as { resources?: ResourceSpec[] }).resources ?? DEFAULT_RESOURCES;
  const allocatable = new Array<number>(resources.length).fill(0);
  const requested = new Array<number>(resources.length).fill(0);
  return {
    name: NAME,
    preScore: (state: CycleState, pod: PodInfo): Result => {
      const reqs = resources.map((r) => podRequest(pod, r.name, false));
      if (reqs.every((r) => r === 0)) return Status.skip();
      state.write(PRE_SCORE_KEY, reqs);
      return null;
    },
    score: (state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number => {
      const reqs = state.read<number[]>(PRE_SCORE_KEY) ?? resources.map((r) => podRequest(pod, r.name, false));
      allocatableAndRequested(nodeInfo, pod, resources, true, reqs, allocatable, requested);
      return balancedResourceScore(requested, allocatable);
    },
  } satisfies PreScorePlugin & ScorePlugin & AnyPlugin;
};
