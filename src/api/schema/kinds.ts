/**
 * The kinds k8ts serves, with the facts the schema layer needs about each: group, version, kind, the
 * REST resource (plural), whether it lives in a namespace, and its subresources.
 *
 * This table is the root set of the schema: the generator (`gen/generate.ts`) collects every type reachable
 * from these kinds, and the OpenAPI documents get one set of paths per entry.
 */

export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  /** The REST resource, e.g. "pods". */
  plural: string;
  namespaced: boolean;
  /** Subresources served with the parent's kind as body (e.g. "status"). */
  subresources?: string[];
  /** Subresources whose body is another kind, e.g. scale → autoscaling/v1 Scale. */
  otherSubresources?: { name: string; group: string; version: string; kind: string; verbs: ('get' | 'put' | 'patch' | 'post')[] }[];
  /** Only `create` is served (e.g. Binding). */
  createOnly?: boolean;
}

const scale = { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'put', 'patch'] as ('get' | 'put' | 'patch')[] };

export const KINDS: readonly KindInfo[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, subresources: ['status', 'finalize'] },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, subresources: ['status', 'ephemeralcontainers'],
    otherSubresources: [{ name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['post'] }, { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['post'] }] },
  { group: '', version: 'v1', kind: 'Binding', plural: 'bindings', namespaced: true, createOnly: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, subresources: ['status'] },
  { group: '', version: 'v1', kind: 'PodTemplate', plural: 'podtemplates', namespaced: true },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true,
    otherSubresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['post'] }] },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, subresources: ['status'] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  { group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true, subresources: ['status'], otherSubresources: [scale] },
  { group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, subresources: ['status'] },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, subresources: ['status'] },
  { group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true },
  { group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, subresources: ['status'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, subresources: ['status'], otherSubresources: [scale] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, subresources: ['status'], otherSubresources: [scale] },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, subresources: ['status'], otherSubresources: [scale] },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, subresources: ['status'] },
  { group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, subresources: ['status'] },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, subresources: ['status'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true, subresources: ['status'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true },
  { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, subresources: ['status'] },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, subresources: ['status'] },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true },
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, subresources: ['status'] },
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false },
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false },
];

/** Kinds that travel only as bodies of other resources' subresources or as meta types. */
export const EXTRA_ROOT_KINDS: readonly { group: string; version: string; kind: string }[] = [
  { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  { group: 'policy', version: 'v1', kind: 'Eviction' },
  { group: 'meta', version: 'v1', kind: 'Status' },
  { group: 'meta', version: 'v1', kind: 'DeleteOptions' },
  { group: 'meta', version: 'v1', kind: 'WatchEvent' },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
];

/** The proto package (and, reversed, the OpenAPI name prefix) of an API group's types. */
export function protoPackage(group: string, version: string): string {
  if (group === 'meta') return `k8s.io.apimachinery.pkg.apis.meta.${version}`;
  if (group === '') return `k8s.io.api.core.${version}`;
  const first = group.split('.')[0];
  return `k8s.io.api.${first === 'rbac' ? 'rbac' : first}.${version}`;
}

/** OpenAPI schema name (`io.k8s.api.apps.v1.Deployment`) from a proto message name (`k8s.io.api.apps.v1.Deployment`). */
export function schemaNameOfProto(protoName: string): string {
  return protoName.replace(/^k8s\.io\./, 'io.k8s.');
}

/** Proto message name from an OpenAPI schema name. */
export function protoNameOfSchema(schemaName: string): string {
  return schemaName.replace(/^io\.k8s\./, 'k8s.io.');
}

/** The schema name of a kind, e.g. ("apps","v1","Deployment") → "io.k8s.api.apps.v1.Deployment". */
export function schemaNameOfKind(group: string, version: string, kind: string): string {
  return schemaNameOfProto(`${protoPackage(group, version)}.${kind}`);
}

/** Splits an apiVersion ("apps/v1", "v1") into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
