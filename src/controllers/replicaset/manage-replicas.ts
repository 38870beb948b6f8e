/**
 * `manageReplicas` (upstream `replica_set.go`): creates or deletes pods until the ReplicaSet controls
 * `spec.replicas` active pods. At most `BURST_REPLICAS` per sync; creates go in slow-start batches
 * (1, 2, 4, …); deletes pick the pods ranked first by `compareForDeletion` (not ready, unscheduled,
 * newer first). Expectations are raised before writing, so the next sync waits for the cache.
 */
import { isForbidden, isNotFound } from '../../api/errors.js';
import type { Pod } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerExpectations } from '../util/expectations.js';
import { compareForDeletion, controllerOwnerRef, podFromTemplate } from '../util/pods.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../util/slow-start.js';
import type { ReplicaKind, ReplicaSetLike } from './kinds.js';

export const BURST_REPLICAS = 500;

export interface ManageResult {
  error?: { kind: 'create' | 'delete'; message: string; cause: unknown };
}

export async function manageReplicas(args: {
  client: Client;
  kind: ReplicaKind;
  rs: ReplicaSetLike;
  key: string;
  pods: Pod[];
  expectations: ControllerExpectations;
  recorder: EventRecorder;
}): Promise<ManageResult> {
  const { client, kind, rs, key, pods, expectations, recorder } = args;
  const ns = rs.metadata!.namespace!;
  const podsRef = inNamespace(resources.pods, ns);
  const diff = pods.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    expectations.expectCreations(key, n);
    const ownerRef = controllerOwnerRef(rs, kind.apiVersion, kind.kind);
    const template = rs.spec?.template ?? {};
    const { successes, error } = await slowStartBatch(n, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      try {
        const pod = await client.create(podsRef, podFromTemplate(template, ns, `${rs.metadata!.name}-`, ownerRef));
        recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
      } catch (err) {
        // A namespace being deleted refuses new pods: not an error of ours.
        if (isForbidden(err) && /being terminated|is terminating/.test((err as Error).message)) return;
        recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    // Pods that were never created will never be observed.
    for (let i = successes; i < n; i++) expectations.creationObserved(key);
    if (error) return { error: { kind: 'create', message: (error as Error).message, cause: error } };
    return {};
  }
  if (diff > 0) {
    const n = Math.min(diff, BURST_REPLICAS);
    const victims = [...pods].sort(compareForDeletion).slice(0, n);
    expectations.expectDeletionsOf(key, victims.map((p) => p.metadata!.uid!));
    const results = await Promise.allSettled(victims.map(async (p) => {
      try {
        await client.delete(podsRef, p.metadata!.name!);
        recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`);
      } catch (err) {
        expectations.deletionObservedOf(key, p.metadata!.uid!);
        if (isNotFound(err)) return;
        recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
        throw err;
      }
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) return { error: { kind: 'delete', message: (failed.reason as Error).message, cause: failed.reason } };
  }
  return {};
}
