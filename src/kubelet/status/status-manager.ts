/**
 * StatusManager: writes pods' statuses to the API server (pods/status, merge patch), promptly and only on
 * change (as upstream's status manager): `set(pod, status)` compares with the last status written for the
 * pod UID and patches at once when it differs; a failed write is retried on the next `set`. A pod whose
 * phase reached Succeeded or Failed never goes back.
 */
import type { Pod, PodStatus } from '../../api/types.js';
import { isNotFound } from '../../api/errors.js';
import type { Client } from '../../client/client.js';
import { inNamespace, resources } from '../../client/resource.js';

export class StatusManager {
  private readonly written = new Map<string, string>();
  private readonly phases = new Map<string, string>();

  constructor(private readonly client: Client, private readonly log: (line: string) => void = () => {}) {}

  /** The phase last written (or seen) for the pod. */
  phase(uid: string): string | undefined {
    return this.phases.get(uid);
  }

  async set(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata!.uid!;
    const prevPhase = this.phases.get(uid) ?? pod.status?.phase;
    if ((prevPhase === 'Succeeded' || prevPhase === 'Failed') && status.phase !== prevPhase) status = { ...status, phase: prevPhase };
    const text = JSON.stringify(status);
    if (this.written.get(uid) === text) return;
    const patch: Record<string, unknown> = { ...status };
    // Merge patch: fields we no longer report are removed explicitly.
    for (const k of ['podIP', 'podIPs', 'initContainerStatuses'] as const) if (status[k] === undefined && pod.status?.[k] !== undefined) patch[k] = null;
    try {
      await this.client.patch(inNamespace(resources.pods, pod.metadata!.namespace ?? 'default'), pod.metadata!.name!, 'merge',
        { metadata: { uid }, status: patch }, { subresource: 'status' });
      this.written.set(uid, text);
      this.phases.set(uid, status.phase!);
    } catch (err) {
      if (isNotFound(err)) return;
      this.log(`pod ${pod.metadata!.namespace}/${pod.metadata!.name}: failed to update status: ${(err as Error).message}`);
    }
  }

  forget(uid: string): void {
    this.written.delete(uid);
    this.phases.delete(uid);
  }
}
