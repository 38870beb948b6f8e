/**
 * The RollingUpdate strategy (upstream `deployment/rolling.go`): scale the new ReplicaSet up as far as
 * `maxSurge` allows, and old ones down as far as `maxUnavailable` allows — old pods that are not
 * available go first, since removing them costs no availability.
 */
import type { DeploymentSyncer } from './deployment-controller.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './sync.js';
import {
  activeReplicaSets, byCreation, deploymentComplete, maxUnavailable, newRSNewReplicas, replicasOf, sumSpecReplicas, sumStatus,
  type DeploymentObj, type RS,
} from './util.js';

export async function rolloutRolling(s: DeploymentSyncer, d: DeploymentObj, rsList: RS[]): Promise<number | undefined> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(s, allRSs, newRS!, d)) return syncRolloutStatus(s, d, allRSs, newRS);
  if (await reconcileOldReplicaSets(s, allRSs, activeReplicaSets(oldRSs), newRS!, d)) return syncRolloutStatus(s, d, allRSs, newRS);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(s, oldRSs, d);
  return syncRolloutStatus(s, d, allRSs, newRS);
}

async function reconcileNewReplicaSet(s: DeploymentSyncer, allRSs: RS[], newRS: RS, d: DeploymentObj): Promise<boolean> {
  const desired = d.spec?.replicas ?? 1;
  if (replicasOf(newRS) === desired) return false;
  if (replicasOf(newRS) > desired) return (await scaleReplicaSet(s, newRS, desired, d)).scaled;
  return (await scaleReplicaSet(s, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

async function reconcileOldReplicaSets(s: DeploymentSyncer, allRSs: RS[], oldRSs: RS[], newRS: RS, d: DeploymentObj): Promise<boolean> {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const minAvailable = (d.spec?.replicas ?? 1) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpecReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(s, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(s, [...oldRSs, newRS], oldRSs, d);
  return cleaned + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable pods, oldest first, at most `max` in all. */
async function cleanupUnhealthyReplicas(s: DeploymentSyncer, oldRSs: RS[], d: DeploymentObj, max: number): Promise<number> {
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= max) break;
    const unavailable = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unavailable <= 0) continue;
    const n = Math.min(max - total, unavailable);
    await scaleReplicaSet(s, rs, replicasOf(rs) - n, d);
    total += n;
  }
  return total;
}

/** Scales old ReplicaSets down, oldest first, as far as availability above `minAvailable` allows. */
async function scaleDownOldReplicaSetsForRollingUpdate(s: DeploymentSyncer, allRSs: RS[], oldRSs: RS[], d: DeploymentObj): Promise<number> {
  const minAvailable = (d.spec?.replicas ?? 1) - maxUnavailable(d);
  const available = sumStatus(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const want = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= want) break;
    if (replicasOf(rs) === 0) continue;
    const n = Math.min(replicasOf(rs), want - total);
    await scaleReplicaSet(s, rs, replicasOf(rs) - n, d);
    total += n;
  }
  return total;
}
