/**
 * Pure helpers of the Deployment controller (upstream `deployment/util/deployment_util.go`): revision
 * and replica annotations, finding the new and old ReplicaSets, surge and unavailability fenceposts,
 * the new ReplicaSet's size during a rollout, and the status conditions.
 */
import type { Deployment, ReplicaSet, KubeObject, PodTemplateSpec } from '../../api/types.js';
import { formatTime } from '../../client/clock.js';
import { canonicalJson } from '../util/hash.js';
import { scaledValue } from '../util/intstr.js';

export type DeploymentObj = Deployment & KubeObject;
export type RS = ReplicaSet & KubeObject;
export type DeploymentCondition = NonNullable<NonNullable<Deployment['status']>['conditions']>[number];
export type DeploymentStatus = NonNullable<Deployment['status']>;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Deployment annotations that are not copied onto its ReplicaSets. */
const NOT_COPIED = new Set([LAST_APPLIED, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, 'deprecated.deployment.rollback.to']);

// Condition reasons, as upstream spells them.
export const REASONS = {
  newRSAvailable: 'NewReplicaSetAvailable',
  rsUpdated: 'ReplicaSetUpdated',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  failedRSCreate: 'ReplicaSetCreateError',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

export const replicasOf = (o: { spec?: { replicas?: number } } | undefined): number => o?.spec?.replicas ?? 0;
export const revisionOf = (o: KubeObject | undefined): number => {
  const n = Number(o?.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isFinite(n) ? n : 0;
};
export const createdAt = (o: KubeObject): number => Date.parse(o.metadata?.creationTimestamp ?? '') || 0;

/** Oldest first, then by name (upstream `ReplicaSetsByCreationTimestamp`). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  return createdAt(a) - createdAt(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** `ResolveFenceposts`: surge rounds up, unavailable down; both 0 would stall, so unavailable becomes 1. */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const desired = d.spec?.replicas ?? 1;
  const surge = scaledValue(ru?.maxSurge as number | string | undefined, desired, true, Math.ceil(desired * 0.25));
  let unavailable = scaledValue(ru?.maxUnavailable as number | string | undefined, desired, false, Math.floor(desired * 0.25));
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec?.replicas ?? 1;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas);
}

/** Templates equal once the pod-template-hash label is ignored (upstream `EqualIgnoreHash`). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) {
      delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    return canonicalJson(c);
  };
  return strip(a) === strip(b);
}

/** The oldest ReplicaSet whose template equals the Deployment's (upstream `FindNewReplicaSet`). */
export function findNewReplicaSet(d: Deployment, rsList: RS[]): RS | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every other ReplicaSet (`allOld`), and those of them that still have pods (`old`). */
export function findOldReplicaSets(d: Deployment, rsList: RS[]): { old: RS[]; allOld: RS[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allOld = rsList.filter((rs) => rs.metadata?.uid !== newRS?.metadata?.uid);
  return { allOld, old: allOld.filter((rs) => replicasOf(rs) !== 0) };
}

export const activeReplicaSets = (list: (RS | undefined)[]): RS[] => list.filter((rs): rs is RS => rs !== undefined && replicasOf(rs) > 0);
export const sumSpecReplicas = (list: (RS | undefined)[]): number => list.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
export const sumStatus = (list: (RS | undefined)[], k: 'replicas' | 'readyReplicas' | 'availableReplicas'): number =>
  list.reduce((n, rs) => n + (rs?.status?.[k] ?? 0), 0);

/** How big the new ReplicaSet may be now (upstream `NewRSNewReplicas`). */
export function newRSNewReplicas(d: Deployment, allRSs: (RS | undefined)[], newRS: RS): number {
  if (!isRollingUpdate(d)) return d.spec?.replicas ?? 1;
  const desired = d.spec?.replicas ?? 1;
  const current = sumSpecReplicas(allRSs);
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, desired - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** Sets the desired- and max-replicas annotations; true when something changed. */
export function setReplicasAnnotations(rs: RS, desired: number, max: number): boolean {
  const a = (rs.metadata!.annotations ??= {});
  const changed = a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  a[MAX_REPLICAS_ANNOTATION] = String(max);
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: RS, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * Copies the Deployment's annotations onto its new ReplicaSet and raises the ReplicaSet's revision to
 * `newRevision` (keeping the revisions it had in revision-history). `exists` false: a ReplicaSet being
 * created, which also gets the replicas annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: DeploymentObj, rs: RS, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata!.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION_ANNOTATION];
  if (Number(oldRevision ?? '0') < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision) {
      const history = a[REVISION_HISTORY_ANNOTATION] ? a[REVISION_HISTORY_ANNOTATION].split(',') : [];
      a[REVISION_HISTORY_ANNOTATION] = [...history, oldRevision].join(',');
    }
  }
  if (!exists) setReplicasAnnotations(rs, d.spec?.replicas ?? 1, (d.spec?.replicas ?? 1) + maxSurge(d));
  return changed;
}

export function getCondition(s: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return s?.conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = formatTime(nowMs);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

/** Upstream `SetDeploymentCondition`: same status and reason → unchanged; same status → keeps lastTransitionTime. */
export function setCondition(s: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(s: DeploymentStatus, type: string): void {
  if (s.conditions) s.conditions = s.conditions.filter((c) => c.type !== type);
}

export const hasProgressDeadline = (d: Deployment): boolean => d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

/** Every pod updated, and all of them available, at the current generation. */
export function deploymentComplete(d: DeploymentObj, s: DeploymentStatus): boolean {
  const want = d.spec?.replicas ?? 1;
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Some progress since the last status (upstream `DeploymentProgressing`). */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === REASONS.newRSAvailable) return false;
  if (c.reason === REASONS.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + d.spec!.progressDeadlineSeconds! * 1000 < nowMs;
}
