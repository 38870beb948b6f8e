/**
 * What the runtime holds for one pod, read through the CRI: its sandboxes (newest first) and, per
 * container name, its containers' statuses (newest attempt first). This is the kubelet's only memory of
 * a pod's containers: after a restart it reads the same state back (by the pod-UID label) and carries on.
 */
import type { RuntimeService } from '../cri/service.js';
import type { ContainerStatus, PodSandbox } from '../cri/types.js';
import { isCriNotFound } from '../cri/service.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL, restartCountOf } from './labels.js';

export interface RuntimePodState {
  /** Newest first. */
  sandboxes: PodSandbox[];
  /** Pod IP of the newest ready sandbox ('' when none). */
  podIP: string;
  /** Container statuses by container name, newest attempt (highest restart count) first. */
  containers: Map<string, ContainerStatus[]>;
  /** Container ID → the ID of the sandbox it runs in. */
  sandboxOf: Map<string, string>;
}

export async function readRuntimeState(runtime: RuntimeService, uid: string): Promise<RuntimePodState> {
  const [sandboxes, containers] = await Promise.all([
    runtime.listPodSandbox({ labelSelector: { [POD_UID_LABEL]: uid } }),
    runtime.listContainers({ labelSelector: { [POD_UID_LABEL]: uid } }),
  ]);
  sandboxes.sort((a, b) => (BigInt(b.createdAt) > BigInt(a.createdAt) ? 1 : -1));
  let podIP = '';
  const ready = sandboxes.find((s) => s.state === 'SANDBOX_READY');
  if (ready) {
    try {
      podIP = (await runtime.podSandboxStatus(ready.id)).status.network?.ip ?? '';
    } catch (err) {
      if (!isCriNotFound(err)) throw err;
    }
  }
  const byName = new Map<string, ContainerStatus[]>();
  const statuses = await Promise.all(containers.map(async (c) => {
    try {
      return (await runtime.containerStatus(c.id)).status;
    } catch (err) {
      if (isCriNotFound(err)) return undefined;
      throw err;
    }
  }));
  for (const s of statuses) {
    if (!s) continue;
    const name = s.labels[CONTAINER_NAME_LABEL] ?? s.metadata.name;
    const list = byName.get(name) ?? [];
    list.push(s);
    byName.set(name, list);
  }
  for (const list of byName.values()) {
    list.sort((a, b) => restartCountOf(b) - restartCountOf(a) || (BigInt(b.createdAt) > BigInt(a.createdAt) ? 1 : -1));
  }
  return { sandboxes, podIP, containers: byName, sandboxOf: new Map(containers.map((c) => [c.id, c.podSandboxId])) };
}

/** The latest container of that name, if any. */
export function latest(state: RuntimePodState, name: string): ContainerStatus | undefined {
  return state.containers.get(name)?.[0];
}
