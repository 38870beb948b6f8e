/**
 * The pod status a kubelet reports, computed from what the runtime holds (upstream's
 * generateAPIPodStatus / getPhase / condition generators). Pure: no I/O, so the table below is unit-tested.
 *
 * Phase (containers only; init containers first):
 * | situation                                                        | phase     |
 * |------------------------------------------------------------------|-----------|
 * | an init container failed and restartPolicy is Never              | Failed    |
 * | init containers not all done                                     | Pending   |
 * | a container waiting and never ran (no lastState)                 | Pending   |
 * | a container running                                              | Running   |
 * | all stopped, restartPolicy Always                                | Running   |
 * | all stopped, all exited 0                                        | Succeeded |
 * | all stopped, one failed, restartPolicy Never                     | Failed    |
 * | all stopped, one failed, restartPolicy OnFailure                 | Running   |
 *
 * Container state: running → running{startedAt}; exited → terminated{exitCode, reason (OOMKilled,
 * Completed, Error), times}, unless it will be restarted, then waiting{reason} (CrashLoopBackOff) with the
 * exit as lastState; created/absent → waiting{ContainerCreating | PodInitializing | the failure reason}.
 */
import type { ContainerStatus as ApiContainerStatus, Pod, PodStatus } from '../../api/types.js';
import { nanosToDate, type ContainerStatus } from '../cri/types.js';
import { restartCountOf } from '../pods/labels.js';

export type PodCondition = NonNullable<PodStatus['conditions']>[number];
export interface Waiting {
  reason: string;
  message?: string;
}

export interface StatusInput {
  pod: Pod;
  hostIP: string;
  podIP: string;
  sandboxReady: boolean;
  /** Latest first, per container name (init and regular). */
  containers: Map<string, ContainerStatus[]>;
  /** Why a container that is not running waits (pull failure, back-off, config error). */
  waiting: Map<string, Waiting>;
  /** Readiness by container ID (true when it has no readiness probe and runs). */
  ready: (c: ContainerStatus, name: string) => boolean;
  /** Startup by container ID (true when it has no startup probe and runs). */
  started: (c: ContainerStatus, name: string) => boolean;
  /** RFC 3339 now, for transition times. */
  now: string;
  /** When the kubelet first saw the pod (startTime). */
  startTime: string;
}

function iso(ns: string | number): string | undefined {
  const d = nanosToDate(ns);
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

function terminated(s: ContainerStatus): NonNullable<NonNullable<ApiContainerStatus['state']>['terminated']> {
  return {
    exitCode: s.exitCode,
    reason: s.reason || (s.exitCode === 0 ? 'Completed' : 'Error'),
    ...(s.message ? { message: s.message } : {}),
    startedAt: iso(s.startedAt) ?? iso(s.createdAt)!,
    finishedAt: iso(s.finishedAt) ?? iso(s.createdAt)!,
    containerID: `containerd://${s.id}`,
  };
}

function containerStatus(name: string, image: string, list: ContainerStatus[] | undefined, waiting: Waiting | undefined, ready: boolean, started: boolean, defaultWaiting: string): ApiContainerStatus {
  const cur = list?.[0];
  const prev = list?.[1];
  const base: ApiContainerStatus = { name, image, imageID: '', ready: false, restartCount: cur ? restartCountOf(cur) : 0, started: false, state: {}, lastState: {} };
  if (!cur) {
    base.state = { waiting: { reason: waiting?.reason ?? defaultWaiting, ...(waiting?.message ? { message: waiting.message } : {}) } };
    return base;
  }
  base.image = cur.image?.image || image;
  base.imageID = cur.imageRef;
  base.containerID = `containerd://${cur.id}`;
  if (cur.state === 'CONTAINER_RUNNING') {
    base.state = { running: { startedAt: iso(cur.startedAt)! } };
    base.ready = ready;
    base.started = started;
    if (prev && prev.state === 'CONTAINER_EXITED') base.lastState = { terminated: terminated(prev) };
  } else if (cur.state === 'CONTAINER_EXITED') {
    if (waiting) {
      base.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
      base.lastState = { terminated: terminated(cur) };
    } else {
      base.state = { terminated: terminated(cur) };
      if (prev && prev.state === 'CONTAINER_EXITED') base.lastState = { terminated: terminated(prev) };
    }
  } else {
    base.state = { waiting: { reason: waiting?.reason ?? 'ContainerCreating', ...(waiting?.message ? { message: waiting.message } : {}) } };
    if (prev && prev.state === 'CONTAINER_EXITED') base.lastState = { terminated: terminated(prev) };
  }
  return base;
}

/** upstream getPhase over the computed statuses. */
export function podPhase(pod: Pod, init: ApiContainerStatus[], regular: ApiContainerStatus[]): NonNullable<PodStatus['phase']> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  for (const s of init) {
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    const failed = (t && t.exitCode !== 0) || (s.lastState?.terminated && s.lastState.terminated.exitCode !== 0);
    if (failed && policy === 'Never') return 'Failed';
    return 'Pending';
  }
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, now: string, prev: PodCondition[] | undefined, reason?: string, message?: string): PodCondition {
  const old = prev?.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  return {
    type,
    status,
    lastProbeTime: null as never,
    lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

export function computePodStatus(i: StatusInput): PodStatus {
  const { pod } = i;
  const prevConds = pod.status?.conditions;
  const initSpecs = pod.spec?.initContainers ?? [];
  const initStatuses = initSpecs.map((c) => {
    const cur = i.containers.get(c.name)?.[0];
    const s = containerStatus(c.name, c.image ?? '', i.containers.get(c.name), i.waiting.get(c.name), false, false, 'PodInitializing');
    if (cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0) s.ready = true;
    return s;
  });
  const initDone = initStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const regular = (pod.spec?.containers ?? []).map((c) => {
    const cur = i.containers.get(c.name)?.[0];
    const running = cur?.state === 'CONTAINER_RUNNING';
    return containerStatus(c.name, c.image ?? '', i.containers.get(c.name), i.waiting.get(c.name),
      running && i.ready(cur!, c.name), running && i.started(cur!, c.name), initDone ? 'ContainerCreating' : 'PodInitializing');
  });
  const phase = podPhase(pod, initStatuses, regular);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const unready = regular.filter((s) => !s.ready).map((s) => s.name);
  const uninit = initStatuses.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  const containersReady = unready.length === 0 && !terminal;
  const notReadyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMessage = terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', i.sandboxReady, i.now, prevConds),
    condition('Initialized', initDone, i.now, prevConds, initDone ? undefined : 'ContainersNotInitialized', initDone ? undefined : `containers with incomplete status: [${uninit.join(' ')}]`),
    condition('Ready', containersReady, i.now, prevConds, containersReady ? undefined : notReadyReason, containersReady ? undefined : notReadyMessage),
    condition('ContainersReady', containersReady, i.now, prevConds, containersReady ? undefined : notReadyReason, containersReady ? undefined : notReadyMessage),
    prevConds?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, i.now, prevConds),
  ];
  if (terminal && initDone) conditions[1] = condition('Initialized', true, i.now, prevConds);
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: i.hostIP,
    hostIPs: [{ ip: i.hostIP }],
    startTime: i.startTime,
    containerStatuses: regular,
    qosClass: pod.status?.qosClass ?? qosClass(pod),
  };
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  if (i.podIP) {
    status.podIP = i.podIP;
    status.podIPs = [{ ip: i.podIP }];
  }
  return status;
}

/** Guaranteed when every container has cpu and memory limits equal to requests; BestEffort when none. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
