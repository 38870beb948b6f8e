/**
 * Pure helpers of the Job controller (upstream `job/utils.go`, `backoff_utils.go`): finished or not,
 * conditions, counting pod outcomes, and the pod-failure backoff (10 s doubling, capped at 6 min).
 */
import type { Job, KubeObject, Pod } from '../../api/types.js';
import { formatTime } from '../../client/clock.js';

export type JobObj = Job & KubeObject;
export type JobStatus = NonNullable<Job['status']>;
export type JobCondition = NonNullable<JobStatus['conditions']>[number];

export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export const isJobFinished = (job: Job): boolean => finishedCondition(job) !== undefined;

export function jobCondition(type: string, reason: string, message: string, nowMs: number): JobCondition {
  const t = formatTime(nowMs);
  return { type, status: 'True', reason, message, lastProbeTime: t, lastTransitionTime: t };
}

/** Sets (or replaces) a condition by type. */
export function setJobCondition(status: JobStatus, c: JobCondition): void {
  const old = status.conditions?.find((x) => x.type === c.type);
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

/** When a pod finished: its containers' finishedAt, else its Ready condition's transition, else creation. */
export function finishTime(pod: Pod): number {
  const ends = (pod.status?.containerStatuses ?? []).map((c) => Date.parse(c.state?.terminated?.finishedAt ?? '')).filter((x) => !Number.isNaN(x));
  if (ends.length) return Math.max(...ends);
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  return Date.parse(ready ?? pod.metadata?.creationTimestamp ?? '') || 0;
}

/** Delay before the next pod after `failures` failures: base · 2^(failures-1), capped. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** (failures - 1));
}

export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
