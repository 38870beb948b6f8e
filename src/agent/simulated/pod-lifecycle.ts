/**
 * What a simulated node does with a pod bound to it: the decision table and the statuses it writes,
 * shaped like the real kubelet's, with no container behind them (KWOK-style).
 *
 * | pod                                                     | action                                        |
 * | ------------------------------------------------------- | --------------------------------------------- |
 * | has deletionTimestamp                                   | `delete`: finish the deletion (grace 0)       |
 * | phase Succeeded or Failed                               | `none`                                        |
 * | not Running yet (Pending, no status)                    | `run`: Running, every container running+ready |
 * | Running, restartPolicy Always                           | `none`                                        |
 * | Running, Never/OnFailure, ran `runSeconds` or longer    | `succeed`: Succeeded, containers exit 0       |
 * | Running, Never/OnFailure, not yet                       | `wait` the remaining time                     |
 *
 * Statuses carry the upstream conditions (PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady, PodScheduled) with transition times kept when a condition's status does not change,
 * and container IDs / image IDs with the `simulated://` scheme, so nobody mistakes them for real ones.
 */
import { createHash } from 'node:crypto';
import type { ContainerStatus, Pod, PodStatus } from '../../api/types.js';

export type PodAction =
  | { kind: 'none' }
  | { kind: 'delete' }
  | { kind: 'run' }
  | { kind: 'succeed' }
  | { kind: 'wait'; ms: number };

export const SIMULATED_SCHEME = 'simulated://';

/** The decision table above, for a pod at `nowMs`. */
export function nextAction(pod: Pod, nowMs: number, runSeconds: number): PodAction {
  if (pod.metadata?.deletionTimestamp) return { kind: 'delete' };
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return { kind: 'none' };
  if (phase !== 'Running') return { kind: 'run' };
  if ((pod.spec?.restartPolicy ?? 'Always') === 'Always') return { kind: 'none' };
  const started = Date.parse(startedAt(pod) ?? '');
  if (!Number.isFinite(started)) return { kind: 'succeed' };
  const left = started + runSeconds * 1000 - nowMs;
  return left <= 0 ? { kind: 'succeed' } : { kind: 'wait', ms: left };
}

/** When the pod's containers started: the first container's running/terminated startedAt, else startTime. */
export function startedAt(pod: Pod): string | undefined {
  const s = pod.status?.containerStatuses?.[0]?.state;
  return s?.running?.startedAt ?? s?.terminated?.startedAt ?? pod.status?.startTime;
}

type PodCondition = NonNullable<PodStatus['conditions']>[number];

function conditions(pod: Pod, now: string, wanted: [string, 'True' | 'False', string?][]): PodCondition[] {
  const prev = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
  const ours = new Set(wanted.map(([t]) => t));
  const others = (pod.status?.conditions ?? []).filter((c) => !ours.has(c.type));
  return [...wanted.map(([type, status, reason]) => {
    const p = prev.get(type);
    const c: PodCondition = { type, status, lastTransitionTime: p && p.status === status ? p.lastTransitionTime ?? now : now };
    if (reason) c.reason = reason;
    return c;
  }), ...others];
}

function containerId(pod: Pod, name: string): string {
  return SIMULATED_SCHEME + createHash('sha256').update(`${pod.metadata?.uid ?? ''}/${name}`).digest('hex');
}

function imageId(image: string | undefined): string {
  return SIMULATED_SCHEME + (image ?? '');
}

/** The status of a pod whose containers all run and are ready, on a node at `hostIP`, with `podIP`. */
export function runningStatus(pod: Pod, hostIP: string, podIP: string, now: string): PodStatus {
  const start = pod.status?.startTime ?? now;
  const inits: ContainerStatus[] = (pod.spec?.initContainers ?? []).map((c) => ({
    name: c.name, image: c.image ?? '', imageID: imageId(c.image), containerID: containerId(pod, c.name),
    ready: true, started: false, restartCount: 0,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: start, finishedAt: start, containerID: containerId(pod, c.name) } },
  }));
  const containers: ContainerStatus[] = (pod.spec?.containers ?? []).map((c) => ({
    name: c.name, image: c.image ?? '', imageID: imageId(c.image), containerID: containerId(pod, c.name),
    ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } },
  }));
  return {
    phase: 'Running',
    conditions: conditions(pod, now, [
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]),
    hostIP, hostIPs: [{ ip: hostIP }],
    podIP, podIPs: [{ ip: podIP }],
    startTime: start,
    ...(inits.length > 0 ? { initContainerStatuses: inits } : {}),
    containerStatuses: containers,
  };
}

/** The status of a pod whose containers all exited 0 (restartPolicy Never/OnFailure). */
export function succeededStatus(pod: Pod, now: string): PodStatus {
  const containers: ContainerStatus[] = (pod.spec?.containers ?? []).map((c) => {
    const prev = pod.status?.containerStatuses?.find((s) => s.name === c.name);
    const started = prev?.state?.running?.startedAt ?? pod.status?.startTime ?? now;
    return {
      name: c.name, image: c.image ?? '', imageID: imageId(c.image), containerID: containerId(pod, c.name),
      ready: false, started: false, restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: now, containerID: containerId(pod, c.name) } },
    };
  });
  return {
    phase: 'Succeeded',
    conditions: conditions(pod, now, [
      ['PodReadyToStartContainers', 'False'], ['Initialized', 'True'], ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'], ['PodScheduled', 'True'],
    ]),
    containerStatuses: containers,
  };
}
