/**
 * Pure helpers of the StatefulSet controller (upstream `stateful_set_utils.go`): ordinal identities,
 * the pod made for one ordinal from one revision, its PersistentVolumeClaims, and health.
 */
import type { KubeObject, PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet } from '../../api/types.js';
import { isPodReady } from '../util/pods.js';
import { REVISION_HASH_LABEL } from '../util/revisions.js';

export type SetObj = StatefulSet & KubeObject;
export type PodObj = Pod & KubeObject;
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal of `<set>-<n>`, or -1 when the name is not of this set. */
export function ordinalOf(set: SetObj, pod: Pod): number {
  const m = new RegExp(`^${set.metadata!.name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(pod.metadata?.name ?? '');
  return m ? Number(m[1]) : -1;
}

export const claimName = (set: SetObj, template: string, ordinal: number): string => `${template}-${set.metadata!.name}-${ordinal}`;

/** The pod for `ordinal` from `template` of revision `revisionName`: stable name, hostname, subdomain, claims. */
export function newStatefulPod(set: SetObj, template: PodTemplateSpec, revisionName: string, ordinal: number): PodObj {
  const name = `${set.metadata!.name}-${ordinal}`;
  const spec = structuredClone(template.spec!) as NonNullable<Pod['spec']>;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const volumes = (spec.volumes ?? []).filter((v) => !(set.spec?.volumeClaimTemplates ?? []).some((t) => t.metadata?.name === v.name));
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    volumes.push({ name: t.metadata!.name!, persistentVolumeClaim: { claimName: claimName(set, t.metadata!.name!, ordinal) } });
  }
  if (volumes.length) spec.volumes = volumes;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: set.metadata!.namespace!,
      labels: { ...template.metadata?.labels, [POD_NAME_LABEL]: name, [REVISION_HASH_LABEL]: revisionName, [POD_INDEX_LABEL]: String(ordinal) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata!.name!, uid: set.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}

/** The claims of `ordinal`, labelled with the set's selector labels (kept on scale-down). */
export function claimsFor(set: SetObj, ordinal: number): (PersistentVolumeClaim & KubeObject)[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(set, t.metadata!.name!, ordinal), namespace: set.metadata!.namespace!, labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels } },
    spec: structuredClone(t.spec),
  }));
}

export const isRunningAndReady = (p: Pod): boolean => p.status?.phase === 'Running' && isPodReady(p) && !p.metadata?.deletionTimestamp;
export const isFailed = (p: Pod): boolean => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
