/**
 * The parts of a Deployment sync every strategy shares (upstream `deployment/sync.go`): finding or
 * creating the new ReplicaSet (and bumping revisions: a rollback is just a template that matches an old
 * ReplicaSet again, which then becomes the new one with the next revision), scaling (proportional
 * scaling of a rollout in flight), cleaning up old ReplicaSets past `revisionHistoryLimit`, and status.
 */
import { isAlreadyExists } from '../../api/errors.js';
import { inNamespace, resources } from '../../client/resource.js';
import { controllerRef } from '../../client/controller.js';
import { computeHash } from '../util/hash.js';
import { controllerOwnerRef } from '../util/pods.js';
import type { DeploymentSyncer } from './deployment-controller.js';
import {
  activeReplicaSets, byCreation, deploymentComplete, DESIRED_REPLICAS_ANNOTATION, equalIgnoreHash, findNewReplicaSet, findOldReplicaSets,
  getCondition, hasProgressDeadline, maxSurge, maxUnavailable, MAX_REPLICAS_ANNOTATION, newCondition, newRSNewReplicas, POD_TEMPLATE_HASH_LABEL,
  REASONS, replicasAnnotationsNeedUpdate, replicasOf, REVISION_ANNOTATION, revisionOf, setCondition, setNewReplicaSetAnnotations,
  setReplicasAnnotations, sumSpecReplicas, sumStatus, isRollingUpdate, type DeploymentObj, type DeploymentStatus, type RS,
} from './util.js';

/** The new ReplicaSet (created when `create` and missing) and the old ones; syncs revision annotations. */
export async function getAllReplicaSetsAndSyncRevision(s: DeploymentSyncer, d: DeploymentObj, rsList: RS[], create: boolean): Promise<{ newRS: RS | undefined; oldRSs: RS[] }> {
  const { allOld } = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(s, d, rsList, allOld, create);
  return { newRS, oldRSs: allOld };
}

async function getNewReplicaSet(s: DeploymentSyncer, d: DeploymentObj, rsList: RS[], oldRSs: RS[], create: boolean): Promise<RS | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = oldRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0) + 1;
  const ns = d.metadata!.namespace!;
  const now = s.clock.now();
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReadyUpdate = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadyUpdate) {
      copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
      const updated = await s.client.update<RS>(inNamespace(resources.replicasets, ns), copy);
      // rsList holds this sync's own copies: keep it current for the steps that follow.
      Object.assign(existing, updated);
      return existing;
    }
    await s.setRevision(d, copy.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      const status = structuredClone(d.status ?? {});
      setCondition(status, newCondition('Progressing', 'True', REASONS.foundNewRS, `Found new replica set "${copy.metadata!.name}"`, now));
      await s.updateStatus(d, status);
    }
    return copy;
  }
  if (!create) return undefined;

  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec!.template!);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec!.selector!);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const newRS: RS = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata!.name}-${hash}`, namespace: ns, ownerReferences: [controllerOwnerRef(d, 'apps/v1', 'Deployment')], labels: { ...template.metadata.labels } },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);
  let created: RS;
  let alreadyExists = false;
  try {
    created = await s.client.create<RS>(inNamespace(resources.replicasets, ns), newRS);
  } catch (err) {
    if (!isAlreadyExists(err)) {
      if (hasProgressDeadline(d)) {
        const status = structuredClone(d.status ?? {});
        setCondition(status, newCondition('Progressing', 'False', REASONS.failedRSCreate, `Failed to create new replica set "${newRS.metadata!.name}": ${(err as Error).message}`, now));
        await s.updateStatus(d, status);
      }
      throw err;
    }
    // Same name: ours with an equal template is the one we want; anything else is a hash collision.
    const other = await s.client.get<RS>(inNamespace(resources.replicasets, ns), newRS.metadata!.name!);
    if (controllerRef(other)?.uid === d.metadata!.uid && equalIgnoreHash(other.spec?.template, d.spec?.template)) {
      created = other;
      alreadyExists = true;
    } else {
      const status = structuredClone(d.status ?? {});
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      await s.updateStatus(d, status);
      throw new Error(`found a hash collision for deployment "${d.metadata!.name}" - bumping collisionCount to ${status.collisionCount} to resolve it`);
    }
  }
  if (!alreadyExists && replicas > 0) s.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata!.name} from 0 to ${replicas}`);
  await s.setRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    const status = structuredClone(d.status ?? {});
    setCondition(status, newCondition('Progressing', 'True', REASONS.newRSCreated, `Created new replica set "${created.metadata!.name}"`, now));
    await s.updateStatus(d, status);
  }
  return created;
}

/** Scales `rs` to `n` (and refreshes its replicas annotations); records ScalingReplicaSet. True when it scaled. */
export async function scaleReplicaSet(s: DeploymentSyncer, rs: RS, n: number, d: DeploymentObj): Promise<{ scaled: boolean; rs: RS }> {
  const desired = d.spec?.replicas ?? 1;
  const max = desired + maxSurge(d);
  const sizeChange = replicasOf(rs) !== n;
  if (!sizeChange && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  const from = replicasOf(rs);
  copy.spec = { ...copy.spec!, replicas: n };
  setReplicasAnnotations(copy, desired, max);
  const updated = await s.client.update<RS>(inNamespace(resources.replicasets, rs.metadata!.namespace), copy);
  if (sizeChange) s.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${n > from ? 'up' : 'down'} replica set ${rs.metadata!.name} from ${from} to ${n}`);
  // Keep the caller's view current: later steps of this sync read these counts.
  Object.assign(rs, { spec: updated.spec, metadata: updated.metadata });
  return { scaled: sizeChange, rs: updated };
}

/** Desired replicas differ from the annotation of an active ReplicaSet: someone scaled the Deployment. */
export async function isScalingEvent(s: DeploymentSyncer, d: DeploymentObj, rsList: RS[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, d, rsList, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    if (desired !== undefined && Number(desired) !== (d.spec?.replicas ?? 1)) return true;
  }
  return false;
}

/**
 * `scale` (upstream): one active ReplicaSet takes the whole size; a saturated new ReplicaSet scales the
 * old ones to zero; otherwise (a rollout in flight) the change is spread over the active ReplicaSets in
 * proportion to their size, bigger and newer ones taking the rounding leftover.
 */
export async function scale(s: DeploymentSyncer, d: DeploymentObj, newRS: RS | undefined, oldRSs: RS[]): Promise<void> {
  const desired = d.spec?.replicas ?? 1;
  const newestFirst = [...oldRSs].sort((a, b) => -byCreation(a, b));
  const active = activeReplicaSets([...newestFirst, newRS]);
  const only = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? newestFirst[0]) : undefined;
  if (only) {
    if (replicasOf(only) !== desired) await scaleReplicaSet(s, only, desired, d);
    return;
  }
  if (newRS && replicasOf(newRS) === desired && Number(newRS.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION]) === desired && (newRS.status?.availableReplicas ?? 0) === desired) {
    for (const rs of activeReplicaSets(oldRSs)) await scaleReplicaSet(s, rs, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - sumSpecReplicas(active);
  const bySize = [...active].sort((a, b) => toAdd > 0
    ? replicasOf(b) - replicasOf(a) || -byCreation(a, b)
    : replicasOf(b) - replicasOf(a) || byCreation(a, b));
  const sizes = new Map<RS, number>();
  let added = 0;
  for (const rs of bySize) {
    let proportion = 0;
    if (toAdd !== 0 && replicasOf(rs) !== 0 && toAdd !== added) {
      const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION] ?? d.status?.replicas ?? 0);
      const fraction = desired === 0 ? -replicasOf(rs) : Math.round((replicasOf(rs) * allowed) / (annotated || 1)) - replicasOf(rs);
      const left = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    }
    sizes.set(rs, replicasOf(rs) + proportion);
    added += proportion;
  }
  if (toAdd !== 0 && bySize[0]) sizes.set(bySize[0], Math.max(0, sizes.get(bySize[0])! + toAdd - added));
  for (const rs of bySize) await scaleReplicaSet(s, rs, sizes.get(rs)!, d);
}

/** Deletes the oldest empty ReplicaSets beyond `revisionHistoryLimit`. */
export async function cleanupDeployment(s: DeploymentSyncer, oldRSs: RS[], d: DeploymentObj): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of byRevision.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    await s.client.delete(inNamespace(resources.replicasets, rs.metadata!.namespace), rs.metadata!.name!).catch(() => {});
  }
}

/** Deployment status from its ReplicaSets (upstream `calculateStatus`), with the Available condition. */
export function calculateStatus(d: DeploymentObj, allRSs: RS[], newRS: RS | undefined, nowMs: number): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const total = sumSpecReplicas(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: sumStatus([newRS], 'replicas'),
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
  };
  if (available >= (d.spec?.replicas ?? 1) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASONS.minAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', REASONS.minUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Status only (paused Deployments, scaling events, deletion). */
export async function syncDeploymentStatus(s: DeploymentSyncer, d: DeploymentObj, allRSs: RS[], newRS: RS | undefined): Promise<void> {
  const status = calculateStatus(d, allRSs, newRS, s.clock.now());
  await s.updateStatus(d, status);
}

/** `sync`: scale without rolling out (paused or a scaling event). */
export async function syncScaleOnly(s: DeploymentSyncer, d: DeploymentObj, rsList: RS[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(s, d, rsList, false);
  await scale(s, d, newRS, oldRSs);
  if (d.spec?.paused) await cleanupDeployment(s, oldRSs, d);
  await syncDeploymentStatus(s, d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
}

export { deploymentComplete };
