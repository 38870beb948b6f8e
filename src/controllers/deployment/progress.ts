/**
 * Rollout progress (upstream `deployment/progress.go`): the Progressing condition — ReplicaSetUpdated
 * while pods move, NewReplicaSetAvailable once complete, ProgressDeadlineExceeded (status False) when no
 * progress was made for `progressDeadlineSeconds` — and when to look again so the deadline is noticed.
 */
import type { DeploymentSyncer } from './deployment-controller.js';
import { calculateStatus } from './sync.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, REASONS, removeCondition,
  setCondition, type DeploymentObj, type DeploymentStatus, type RS,
} from './util.js';

/** Writes the status; returns how long until the deadline should be checked again (ms), if it should. */
export async function syncRolloutStatus(s: DeploymentSyncer, d: DeploymentObj, allRSs: (RS | undefined)[], newRS: RS | undefined): Promise<number | undefined> {
  const now = s.clock.now();
  const all = allRSs.filter((x): x is RS => x !== undefined);
  const status = calculateStatus(d, all, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const cur = getCondition(status, 'Progressing');
  const isComplete = status.replicas === status.updatedReplicas && cur?.reason === REASONS.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const rsName = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata!.name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', REASONS.newRSAvailable, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata!.name}" is progressing.`;
      const c = newCondition('Progressing', 'True', REASONS.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime (which the deadline counts from) even when the reason is the same.
      if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata!.name}" has timed out progressing.`;
      setCondition(status, newCondition('Progressing', 'False', REASONS.timedOut, msg, now));
    }
  }
  // The ReplicaSets' failures (quota, bad template) surface as the Deployment's ReplicaFailure.
  const failure = all.flatMap((rs) => rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure) setCondition(status, newCondition('ReplicaFailure', 'True', failure.reason ?? '', failure.message ?? '', now));
  else removeCondition(status, 'ReplicaFailure');
  await s.updateStatus(d, status);
  return requeueStuck(d, status, now);
}

/** A rollout that is neither complete nor timed out is looked at again when its deadline passes. */
function requeueStuck(d: DeploymentObj, status: DeploymentStatus, now: number): number | undefined {
  const c = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !c || c.reason === REASONS.newRSAvailable || c.reason === REASONS.timedOut) return undefined;
  if (deploymentComplete(d, status)) return undefined;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  const after = from + d.spec!.progressDeadlineSeconds! * 1000 - now;
  return after < 1000 ? 0 : after;
}

/** Paused / resumed: Progressing Unknown with reason DeploymentPaused or DeploymentResumed. */
export async function checkPausedConditions(s: DeploymentSyncer, d: DeploymentObj): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const c = getCondition(d.status, 'Progressing');
  if (c?.reason === REASONS.timedOut) return;
  const pausedCond = c?.reason === REASONS.paused;
  const now = s.clock.now();
  const status = structuredClone(d.status ?? {});
  if (d.spec?.paused && !pausedCond) setCondition(status, newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', now));
  else if (!d.spec?.paused && pausedCond) setCondition(status, newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', now));
  else return;
  await s.updateStatus(d, status);
}
