/**
 * ReplicaSet status (upstream `replica_set_utils.go`): counts of the pods it controls, the generation
 * it observed, and the ReplicaFailure condition while creating or deleting pods fails.
 */
import { isConflict } from '../../api/errors.js';
import { selectorFromSet } from '../../api/labels/selector.js';
import type { Pod, ReplicaSet } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { formatTime } from '../../client/clock.js';
import { inNamespace } from '../../client/resource.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import type { ReplicaKind, ReplicaSetLike } from './kinds.js';

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;

export function calculateStatus(rs: ReplicaSetLike, pods: Pod[], manageError: { kind: 'create' | 'delete'; message: string } | undefined, nowMs: number): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => templateLabels.matches(p.metadata?.labels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, nowMs)).length,
    observedGeneration: rs.metadata?.generation ?? 0,
  };
  const others = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const old = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError) {
    const reason = manageError.kind === 'create' ? 'FailedCreate' : 'FailedDelete';
    status.conditions = [...others, old && old.reason === reason && old.message === manageError.message ? old
      : { type: 'ReplicaFailure', status: 'True', reason, message: manageError.message, lastTransitionTime: formatTime(nowMs) }];
  } else if (others.length) {
    status.conditions = others;
  }
  return status;
}

const SAME_KEYS = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const;

export function statusEqual(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  if (!a) return false;
  for (const k of SAME_KEYS) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? []);
}

/** Writes `status` unless the cached object already has it; on Conflict re-reads once and retries. */
export async function updateReplicaSetStatus(client: Client, kind: ReplicaKind, rs: ReplicaSetLike, status: ReplicaSetStatus): Promise<ReplicaSetLike> {
  if (statusEqual(rs.status, status) && rs.status?.observedGeneration === status.observedGeneration) return rs;
  const ref = inNamespace(kind.ref, rs.metadata!.namespace);
  let cur: ReplicaSetLike = rs;
  for (let attempt = 0; ; attempt++) {
    const copy = structuredClone(cur);
    copy.status = status;
    try {
      return await client.update<ReplicaSetLike>(ref, copy, { subresource: 'status' });
    } catch (err) {
      if (!isConflict(err) || attempt >= 1) throw err;
      cur = await client.get<ReplicaSetLike>(ref, rs.metadata!.name!);
    }
  }
}
