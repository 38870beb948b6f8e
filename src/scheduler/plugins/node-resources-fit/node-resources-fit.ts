/**
 * NodeResourcesFit: the pod's requests (cpu, memory, ephemeral-storage, extended resources) must fit in
 * what the node's pods leave of its allocatable, and the node must have room for one more pod (Filter).
 * Scoring follows the configured strategy: LeastAllocated (default, spreads) or MostAllocated (packs).
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import type { Resource } from '../../framework/resource.js';
import { allocatableAndRequested, DEFAULT_RESOURCES, leastRequestedScore, mostRequestedScore, podRequest, weightedScore, type ResourceSpec } from './resource-allocation.js';

export const NAME = 'NodeResourcesFit';
export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';

/** One resource the pod does not fit on the node for. */
export interface InsufficientResource {
  resourceName: string;
  /** `Too many pods` or `Insufficient <resource>`. */
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/**
 * `fitsRequest`: every resource the pod lacks on the node, in upstream's order (pods, cpu, memory,
 * ephemeral-storage, then extended resources). Empty when it fits.
 */
export function fitsRequest(req: Resource, nodeInfo: NodeInfo, ignored?: ReadonlySet<string>): InsufficientResource[] {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const allowedPods = alloc.allowedPodNumber;
  // The common case, allocation-free: everything fits.
  if (
    nodeInfo.pods.length + 1 <= allowedPods && req.scalar === null &&
    req.milliCPU <= alloc.milliCPU - used.milliCPU && req.memory <= alloc.memory - used.memory &&
    req.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage
  ) return FITS;
  const out: InsufficientResource[] = [];
  if (nodeInfo.pods.length + 1 > allowedPods) {
    out.push({ resourceName: 'pods', reason: ERR_REASON_TOO_MANY_PODS, requested: 1, used: nodeInfo.pods.length, capacity: allowedPods });
  }
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && (req.scalar === null || req.isZero())) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({ resourceName: 'ephemeral-storage', reason: 'Insufficient ephemeral-storage', requested: req.ephemeralStorage, used: used.ephemeralStorage, capacity: alloc.ephemeralStorage });
  }
  if (req.scalar) {
    for (const [name, q] of req.scalar) {
      if (q === 0 || ignored?.has(name)) continue;
      const cap = alloc.getScalar(name);
      const u = used.getScalar(name);
      if (q > cap - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: u, capacity: cap });
    }
  }
  return out;
}

const FITS: InsufficientResource[] = [];

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated';

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  scoringStrategy?: { type?: ScoringStrategyType; resources?: ResourceSpec[] };
}

const PRE_SCORE_KEY = 'PreScore' + NAME;

export const factory: PluginFactory = (rawArgs) => {
  const args = (rawArgs ?? {}) as NodeResourcesFitArgs;
  const ignored = new Set(args.ignoredResources ?? []);
  const resources = args.scoringStrategy?.resources ?? DEFAULT_RESOURCES;
  const type = args.scoringStrategy?.type ?? 'LeastAllocated';
  if (type !== 'LeastAllocated' && type !== 'MostAllocated') throw new Error(`NodeResourcesFit: unsupported scoring strategy ${JSON.stringify(type)}`);
  const perResource = type === 'LeastAllocated' ? leastRequestedScore : mostRequestedScore;
  const allocatable = new Array<number>(resources.length).fill(0);
  const requested = new Array<number>(resources.length).fill(0);
  return {
    name: NAME,
    filter: (_s: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result => {
      const insufficient = fitsRequest(pod.requests, nodeInfo, ignored);
      if (insufficient.length === 0) return null;
      return Status.unschedulable(...insufficient.map((r) => r.reason));
    },
    preScore: (state: CycleState, pod: PodInfo): Result => {
      state.write(PRE_SCORE_KEY, resources.map((r) => podRequest(pod, r.name, true)));
      return null;
    },
    score: (state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number => {
      const reqs = state.read<number[]>(PRE_SCORE_KEY) ?? resources.map((r) => podRequest(pod, r.name, true));
      allocatableAndRequested(nodeInfo, pod, resources, false, reqs, allocatable, requested);
      return weightedScore(resources, requested, allocatable, perResource);
    },
    eventsToRegister: () => [
      { event: { resource: 'AssignedPod', action: ActionType.Delete | ActionType.UpdatePodScaleDown } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel } },
    ],
  } satisfies FilterPlugin & PreScorePlugin & ScorePlugin & EnqueueExtensions & AnyPlugin;
};
