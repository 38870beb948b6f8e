/**
 * Typed, bound views of a `Client` (client-go's typed clientsets, generic here): one resource, one
 * namespace, one object type, so callers write `typed.pods(client, 'default').get('web-0')` and get a
 * `Pod` back. Every method is a thin call of the same `Client` method; errors are the same `ApiError`s.
 */
import type { Status } from '../api/errors.js';
import type {
  ConfigMap, DaemonSet, Deployment, Endpoints, EndpointSlice, Event, Job, KubeList, KubeObject, Lease, Namespace, Node,
  Pod, ReplicaSet, ReplicationController, Secret, Service, ServiceAccount, StatefulSet, CronJob,
} from '../api/types.js';
import type { Client, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Watch, WatchOptions, WriteOptions } from './client.js';
import { inNamespace, resources, type ResourceRef } from './resource.js';

type Obj<T> = T & KubeObject;

export class ResourceClient<T> {
  constructor(readonly client: Client, readonly ref: ResourceRef) {}

  /** The same resource in another namespace (`undefined`: all namespaces / cluster scope). */
  namespace(ns: string | undefined): ResourceClient<T> {
    return new ResourceClient<T>(this.client, inNamespace(this.ref, ns));
  }

  get(name: string, opts?: GetOptions): Promise<Obj<T>> {
    return this.client.get<Obj<T>>(this.ref, name, opts);
  }

  list(opts?: ListOptions): Promise<KubeList<Obj<T>>> {
    return this.client.list<Obj<T>>(this.ref, opts);
  }

  create(obj: T, opts?: WriteOptions): Promise<Obj<T>> {
    return this.client.create<Obj<T>>(this.ref, obj as Obj<T>, opts);
  }

  update(obj: T, opts?: WriteOptions): Promise<Obj<T>> {
    return this.client.update<Obj<T>>(this.ref, obj as Obj<T>, opts);
  }

  /** PUT to the `status` subresource: only `.status` changes. */
  updateStatus(obj: T, opts?: WriteOptions): Promise<Obj<T>> {
    return this.client.update<Obj<T>>(this.ref, obj as Obj<T>, { ...opts, subresource: 'status' });
  }

  patch(name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<Obj<T>> {
    return this.client.patch<Obj<T>>(this.ref, name, type, patch, opts);
  }

  delete(name: string, opts?: DeleteOptions): Promise<KubeObject | Status> {
    return this.client.delete(this.ref, name, opts);
  }

  watch(opts?: WatchOptions): Promise<Watch<Obj<T>>> {
    return this.client.watch<Obj<T>>(this.ref, opts);
  }
}

const bind = <T>(ref: ResourceRef) => (client: Client, namespace?: string) => new ResourceClient<T>(client, inNamespace(ref, namespace));

/** Typed shortcuts for the kinds components use most. */
export const typed = {
  namespaces: bind<Namespace>(resources.namespaces),
  nodes: bind<Node>(resources.nodes),
  pods: bind<Pod>(resources.pods),
  services: bind<Service>(resources.services),
  endpoints: bind<Endpoints>(resources.endpoints),
  events: bind<Event>(resources.events),
  configmaps: bind<ConfigMap>(resources.configmaps),
  secrets: bind<Secret>(resources.secrets),
  serviceaccounts: bind<ServiceAccount>(resources.serviceaccounts),
  replicationcontrollers: bind<ReplicationController>(resources.replicationcontrollers),
  deployments: bind<Deployment>(resources.deployments),
  replicasets: bind<ReplicaSet>(resources.replicasets),
  statefulsets: bind<StatefulSet>(resources.statefulsets),
  daemonsets: bind<DaemonSet>(resources.daemonsets),
  jobs: bind<Job>(resources.jobs),
  cronjobs: bind<CronJob>(resources.cronjobs),
  leases: bind<Lease>(resources.leases),
  endpointslices: bind<EndpointSlice>(resources.endpointslices),
};
