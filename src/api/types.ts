/**
 * TypeScript types of the Kubernetes objects, as they travel on the wire (JSON).
 *
 * The shapes come from @kubernetes/client-node's generated models (a type-only import: nothing of it is
 * loaded at run time). Those models type timestamps as `Date`; on the wire, and everywhere in k8ts,
 * they are RFC 3339 strings, which `Wire<T>` expresses.
 */
import type * as k from '@kubernetes/client-node';

/** `T` with every `Date` replaced by its JSON form, a string, at any depth. */
export type Wire<T> = T extends Date ? string
  : T extends (infer U)[] ? Wire<U>[]
  : T extends object ? { [K in keyof T]: Wire<T[K]> }
  : T;

export type ObjectMeta = Wire<k.V1ObjectMeta>;
/** client-node names the wire field `continue` as `_continue`; this is the wire form. */
export type ListMeta = Omit<Wire<k.V1ListMeta>, '_continue'> & { continue?: string };
export type OwnerReference = Wire<k.V1OwnerReference>;
export type LabelSelector = Wire<k.V1LabelSelector>;
export type Condition = Wire<k.V1Condition>;

export type Namespace = Wire<k.V1Namespace>;
export type Pod = Wire<k.V1Pod>;
export type PodSpec = Wire<k.V1PodSpec>;
export type PodStatus = Wire<k.V1PodStatus>;
export type PodTemplateSpec = Wire<k.V1PodTemplateSpec>;
export type Container = Wire<k.V1Container>;
export type ContainerStatus = Wire<k.V1ContainerStatus>;
export type Node = Wire<k.V1Node>;
export type Service = Wire<k.V1Service>;
export type Endpoints = Wire<k.V1Endpoints>;
export type ConfigMap = Wire<k.V1ConfigMap>;
export type Secret = Wire<k.V1Secret>;
export type ServiceAccount = Wire<k.V1ServiceAccount>;
export type Event = Wire<k.CoreV1Event>;
export type ReplicationController = Wire<k.V1ReplicationController>;
export type PersistentVolume = Wire<k.V1PersistentVolume>;
export type PersistentVolumeClaim = Wire<k.V1PersistentVolumeClaim>;
export type LimitRange = Wire<k.V1LimitRange>;
export type ResourceQuota = Wire<k.V1ResourceQuota>;
export type Binding = Wire<k.V1Binding>;
export type Deployment = Wire<k.V1Deployment>;
export type ReplicaSet = Wire<k.V1ReplicaSet>;
export type StatefulSet = Wire<k.V1StatefulSet>;
export type DaemonSet = Wire<k.V1DaemonSet>;
export type ControllerRevision = Wire<k.V1ControllerRevision>;
export type Job = Wire<k.V1Job>;
export type CronJob = Wire<k.V1CronJob>;
export type Ingress = Wire<k.V1Ingress>;
export type IngressClass = Wire<k.V1IngressClass>;
export type EndpointSlice = Wire<k.V1EndpointSlice>;
export type HorizontalPodAutoscaler = Wire<k.V2HorizontalPodAutoscaler>;
export type Lease = Wire<k.V1Lease>;
export type PodDisruptionBudget = Wire<k.V1PodDisruptionBudget>;
export type PriorityClass = Wire<k.V1PriorityClass>;
export type StorageClass = Wire<k.V1StorageClass>;
export type Scale = Wire<k.V1Scale>;

/** Any stored object: what every kind has in common. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** Any list: `items` plus list metadata. */
export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}
