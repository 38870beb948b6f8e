/**
 * Which resource a request is about, and the URL path the Kubernetes REST API gives it.
 *
 * Core ("legacy") resources live under `/api/v1`, every other group under `/apis/GROUP/VERSION`;
 * namespaced resources add `/namespaces/NS`. So pods in "default" are `/api/v1/namespaces/default/pods`,
 * one Deployment is `/apis/apps/v1/namespaces/default/deployments/web`, its scale
 * `/apis/apps/v1/namespaces/default/deployments/web/scale`.
 */

/** A group, version and plural resource name (`group` is '' for the core group), optionally in a namespace. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  /** Absent for cluster-scoped resources and for lists/watches across all namespaces. */
  namespace?: string;
}

/** `pods` for the core group, `deployments.apps` otherwise: the name upstream uses in messages. */
export function qualifiedResource(ref: Pick<ResourceRef, 'group' | 'resource'>): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

/** `apiVersion` as objects carry it: `v1` or `apps/v1`. */
export function apiVersionOf(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** The ref with `namespace` set (or removed when `ns` is undefined). */
export function inNamespace(ref: ResourceRef, ns: string | undefined): ResourceRef {
  const { namespace: _, ...rest } = ref;
  return ns === undefined ? rest : { ...rest, namespace: ns };
}

/** The URL path of a collection (`name` absent) or of one object, optionally of its subresource. */
export function resourcePath(ref: ResourceRef, name?: string, subresource?: string): string {
  const parts = [ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`];
  if (ref.namespace) parts.push('namespaces', encodeURIComponent(ref.namespace));
  parts.push(ref.resource);
  if (name !== undefined) parts.push(encodeURIComponent(name));
  if (subresource) parts.push(subresource);
  return parts.join('/');
}

/** Well-known resources, so callers write `resources.pods` rather than spelling group and version. */
export const resources = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  events: { group: '', version: 'v1', resource: 'events' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  replicationcontrollers: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  persistentvolumes: { group: '', version: 'v1', resource: 'persistentvolumes' },
  persistentvolumeclaims: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  resourcequotas: { group: '', version: 'v1', resource: 'resourcequotas' },
  limitranges: { group: '', version: 'v1', resource: 'limitranges' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets' },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
  poddisruptionbudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  horizontalpodautoscalers: { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' },
} as const satisfies Record<string, ResourceRef>;
