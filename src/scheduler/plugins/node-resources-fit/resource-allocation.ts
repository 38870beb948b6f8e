/**
 * The requested-vs-allocatable arithmetic that NodeResourcesFit scoring and BalancedAllocation share
 * (upstream's `resourceAllocationScorer`).
 */
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { CPU, MEMORY, isScalarResourceName } from '../../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

/** The pod's request for one resource; with `nonZero`, CPU and memory use the scheduler's defaults if unset. */
export function podRequest(pod: PodInfo, name: string, nonZero: boolean): number {
  if (nonZero) {
    if (name === CPU) return pod.nonZeroMilliCPU;
    if (name === MEMORY) return pod.nonZeroMemory;
  }
  return pod.requests.get(name);
}

/**
 * Fills `allocatable[i]` and `requested[i]` (node's pods plus this pod) for each resource. An extended
 * resource the pod does not ask for yields (0, 0), which scorers skip.
 */
export function allocatableAndRequested(nodeInfo: NodeInfo, pod: PodInfo, resources: readonly ResourceSpec[], useRequested: boolean, podReqs: readonly number[], allocatable: number[], requested: number[]): void {
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i]!.name;
    const req = podReqs[i]!;
    if (name === CPU) {
      allocatable[i] = nodeInfo.allocatable.milliCPU;
      requested[i] = (useRequested ? nodeInfo.requested.milliCPU : nodeInfo.nonZeroMilliCPU) + req;
    } else if (name === MEMORY) {
      allocatable[i] = nodeInfo.allocatable.memory;
      requested[i] = (useRequested ? nodeInfo.requested.memory : nodeInfo.nonZeroMemory) + req;
    } else if (req === 0 && isScalarResourceName(name)) {
      allocatable[i] = 0;
      requested[i] = 0;
    } else {
      allocatable[i] = nodeInfo.allocatable.get(name);
      requested[i] = nodeInfo.requested.get(name) + req;
    }
  }
  void pod;
}

/** `leastRequestedScore`: the free fraction after placing the pod, 0–100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * 100) / capacity);
}

/** `mostRequestedScore`: the used fraction after placing the pod, 0–100. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * 100) / capacity);
}

/** The weighted mean of a per-resource score over resources the node has. */
export function weightedScore(resources: readonly ResourceSpec[], requested: readonly number[], allocatable: readonly number[], f: (req: number, cap: number) => number): number {
  let score = 0;
  let weightSum = 0;
  for (let i = 0; i < resources.length; i++) {
    if (allocatable[i] === 0) continue;
    const w = resources[i]!.weight;
    score += f(requested[i]!, allocatable[i]!) * w;
    weightSum += w;
  }
  return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
}

/** `balancedResourceScorer`: 100 × (1 − standard deviation of the requested fractions). */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  let n = 0;
  let total = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(1, requested[i]! / allocatable[i]!);
    if (n === 0) f0 = f;
    else if (n === 1) f1 = f;
    total += f;
    n++;
  }
  let std = 0;
  if (n === 2) std = Math.abs((f0 - f1) / 2);
  else if (n > 2) {
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(1, requested[i]! / allocatable[i]!);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * 100);
}
