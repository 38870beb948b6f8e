/**
 * Counting finished pods exactly once (upstream `trackJobStatusAndRemoveFinalizers`): every Job pod is
 * created with the `batch.kubernetes.io/job-tracking` finalizer, so it cannot vanish before the Job
 * has counted it. A finished pod (or one deleted before finishing, which counts as failed) is:
 *
 * 1. recorded by uid in `status.uncountedTerminatedPods` — written before anything else;
 * 2. released: its finalizer removed;
 * 3. counted: moved from the uncounted list into `status.succeeded` / `status.failed`.
 *
 * A crash between steps repeats the later steps only, never the count. Pods of a finished or vanished
 * Job just get their finalizer removed.
 */
import { isConflict, isInvalid, isNotFound } from '../../api/errors.js';
import type { KubeObject, Pod } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { inNamespace, resources } from '../../client/resource.js';
import { isTerminal, type JobStatus } from './job-util.js';

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

type PodObj = Pod & KubeObject;

export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata?.finalizers ?? []).includes(TRACKING_FINALIZER);

/** Removes the tracking finalizer; true when it is gone (or the pod is). */
export async function removeTrackingFinalizer(client: Client, pod: PodObj): Promise<boolean> {
  const fins = pod.metadata?.finalizers ?? [];
  const i = fins.indexOf(TRACKING_FINALIZER);
  if (i < 0) return true;
  try {
    await client.patch(inNamespace(resources.pods, pod.metadata!.namespace), pod.metadata!.name!, 'json', [
      { op: 'test', path: '/metadata/uid', value: pod.metadata!.uid },
      { op: 'test', path: `/metadata/finalizers/${i}`, value: TRACKING_FINALIZER },
      { op: 'remove', path: `/metadata/finalizers/${i}` },
    ]);
    return true;
  } catch (err) {
    if (isNotFound(err)) return true;
    if (isInvalid(err) || isConflict(err)) return false;
    throw err;
  }
}

/**
 * Runs the three steps for a Job's `pods`; `writeStatus` persists an intermediate status. Updates
 * `status` in place (counts and uncounted lists).
 */
export async function trackFinishedPods(client: Client, pods: PodObj[], status: JobStatus, writeStatus: (s: JobStatus) => Promise<void>): Promise<void> {
  const succeeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
  const failed = new Set(status.uncountedTerminatedPods?.failed ?? []);
  let recorded = false;
  for (const p of pods) {
    if (!hasTrackingFinalizer(p)) continue;
    const uid = p.metadata!.uid!;
    if (succeeded.has(uid) || failed.has(uid)) continue;
    if (p.status?.phase === 'Succeeded') succeeded.add(uid);
    else if (p.status?.phase === 'Failed' || (p.metadata?.deletionTimestamp && !isTerminal(p))) failed.add(uid);
    else continue;
    recorded = true;
  }
  status.uncountedTerminatedPods = { ...(succeeded.size ? { succeeded: [...succeeded] } : {}), ...(failed.size ? { failed: [...failed] } : {}) };
  if (recorded) await writeStatus(status);
  const byUid = new Map(pods.map((p) => [p.metadata!.uid!, p]));
  for (const [set, field] of [[succeeded, 'succeeded'], [failed, 'failed']] as const) {
    for (const uid of [...set]) {
      const pod = byUid.get(uid);
      if (pod && !(await removeTrackingFinalizer(client, pod))) continue;
      set.delete(uid);
      status[field] = (status[field] ?? 0) + 1;
    }
  }
  status.uncountedTerminatedPods = { ...(succeeded.size ? { succeeded: [...succeeded] } : {}), ...(failed.size ? { failed: [...failed] } : {}) };
}
