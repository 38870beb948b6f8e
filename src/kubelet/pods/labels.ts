/**
 * The labels and annotations the kubelet puts on CRI sandboxes and containers, with upstream's names, so
 * that the runtime alone tells which pod and container an object belongs to (a restarted kubelet re-attaches
 * to running pods by them) and how many times a container restarted.
 */
import type { Pod } from '../../api/types.js';
import type { Container as CriContainer, PodSandbox } from '../cri/types.js';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Marks the sandboxes and containers made by a k8ts kubelet. */
export const MANAGED_LABEL = 'io.k8ts.kubelet';

export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const TERMINATION_GRACE_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';
/** `init` or `regular`: which list of the pod spec the container comes from. */
export const CONTAINER_KIND_ANNOTATION = 'io.k8ts.container.kind';

export function podLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata!;
  return {
    ...(m.labels ?? {}),
    [POD_NAME_LABEL]: m.name!,
    [POD_NAMESPACE_LABEL]: m.namespace ?? 'default',
    [POD_UID_LABEL]: m.uid!,
    [MANAGED_LABEL]: 'true',
  };
}

export function containerLabels(pod: Pod, name: string): Record<string, string> {
  const m = pod.metadata!;
  return {
    [POD_NAME_LABEL]: m.name!,
    [POD_NAMESPACE_LABEL]: m.namespace ?? 'default',
    [POD_UID_LABEL]: m.uid!,
    [CONTAINER_NAME_LABEL]: name,
    [MANAGED_LABEL]: 'true',
  };
}

export function podUidOf(obj: PodSandbox | CriContainer): string | undefined {
  return obj.labels[POD_UID_LABEL];
}

export function restartCountOf(obj: { annotations: Record<string, string> }): number {
  return Number(obj.annotations[RESTART_COUNT_ANNOTATION] ?? 0) || 0;
}

/** `<ns>_<name>_<uid>`: the pod's log folder name, as upstream's /var/log/pods. */
export function podLogDirName(pod: Pod): string {
  const m = pod.metadata!;
  return `${m.namespace ?? 'default'}_${m.name}_${m.uid}`;
}
