/**
 * Pure helpers about pods shared by the workload controllers (upstream `podutil` and
 * `controller_utils.go`): readiness, availability, which pods count, and the scale-down ranking.
 */
import type { KubeObject, Pod, PodTemplateSpec, OwnerReference } from '../../api/types.js';

export type PodObj = Pod & KubeObject;

export function podReadyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready for at least `minReadySeconds` at time `nowMs` (upstream `IsPodAvailable`). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/** Not finished and not being deleted: the pods a ReplicaSet counts (upstream `FilterActivePods`). */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function activePods<T extends Pod>(pods: T[]): T[] {
  return pods.filter(isPodActive);
}

const phaseRank = (p: Pod): number => (p.status?.phase === 'Pending' ? 1 : p.status?.phase === 'Unknown' ? 0 : 2);
const restarts = (p: Pod): number => (p.status?.containerStatuses ?? []).reduce((m, c) => Math.max(m, c.restartCount ?? 0), 0);
const ts = (s: string | undefined): number => (s ? Date.parse(s) : 0);

/**
 * Orders pods so the ones to delete first come first (upstream `ActivePods` Less, without the
 * co-location ranking): unassigned < assigned; Unknown < Pending < Running; not ready < ready; ready for
 * a shorter time first; more restarts first; newer first.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const assignedA = a.spec?.nodeName ? 1 : 0;
  const assignedB = b.spec?.nodeName ? 1 : 0;
  if (assignedA !== assignedB) return assignedA - assignedB;
  if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  if (readyA && readyB) {
    const ra = ts(podReadyCondition(a)?.lastTransitionTime);
    const rb = ts(podReadyCondition(b)?.lastTransitionTime);
    if (ra !== rb) return rb - ra;
  }
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ca = ts(a.metadata?.creationTimestamp);
  const cb = ts(b.metadata?.creationTimestamp);
  if (ca !== cb) return cb - ca;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/**
 * A pod from a template (upstream `GetPodFromTemplate`): the template's labels, annotations and
 * finalizers, `generateName` `<owner>-`, the owner as controller, the template's spec.
 */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, generateName: string, ownerRef: OwnerReference): PodObj {
  const meta = template.metadata ?? {};
  const pod: PodObj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [ownerRef],
    },
    spec: structuredClone(template.spec) as Pod['spec'],
  };
  return pod;
}

/** The ownerReference a controller puts on what it creates: controller and blockOwnerDeletion true. */
export function controllerOwnerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}
