/**
 * The Recreate strategy (upstream `deployment/recreate.go`): scale every old ReplicaSet to zero, wait
 * until none of their pods is still running, then create (or scale up) the new ReplicaSet.
 */
import type { Pod } from '../../api/types.js';
import type { DeploymentSyncer } from './deployment-controller.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './sync.js';
import { activeReplicaSets, deploymentComplete, sumStatus, type DeploymentObj, type RS } from './util.js';

export async function rolloutRecreate(s: DeploymentSyncer, d: DeploymentObj, rsList: RS[], podsByRS: Map<string, Pod[]>): Promise<number | undefined> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, d, rsList, false);
  let allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) scaledDown = (await scaleReplicaSet(s, rs, 0, d)).scaled || scaledDown;
  if (scaledDown) return syncRolloutStatus(s, d, allRSs, newRS);
  if (oldPodsRunning(newRS, oldRSs, podsByRS)) return syncRolloutStatus(s, d, allRSs, newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, d, rsList, true));
    allRSs = [...oldRSs, newRS!];
  }
  await scaleReplicaSet(s, newRS!, d.spec?.replicas ?? 1, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(s, oldRSs, d);
  return syncRolloutStatus(s, d, allRSs, newRS);
}

/** Any old ReplicaSet still reports pods, or has a pod that is not finished (upstream `oldPodsRunning`). */
function oldPodsRunning(newRS: RS | undefined, oldRSs: RS[], podsByRS: Map<string, Pod[]>): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
