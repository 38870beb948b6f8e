/**
 * ReplicaSet and ReplicationController share one controller (as upstream runs the ReplicaSet controller
 * for RCs through a conversion). This adapter is the only place where the two kinds differ: the
 * resource, the kind, and the selector (a LabelSelector for ReplicaSets, a plain map for RCs).
 */
import { selectorFromLabelSelector, selectorFromSet, type Selector } from '../../api/labels/selector.js';
import type { KubeObject, LabelSelector, PodTemplateSpec, ReplicaSet, ReplicationController } from '../../api/types.js';
import { resources, type ResourceRef } from '../../client/resource.js';

/** The fields both kinds have, in ReplicaSet's shape. */
export type ReplicaSetLike = KubeObject & {
  spec?: { replicas?: number; minReadySeconds?: number; template?: PodTemplateSpec };
  status?: ReplicaSet['status'];
};

export interface ReplicaKind {
  kind: 'ReplicaSet' | 'ReplicationController';
  apiVersion: string;
  ref: ResourceRef;
  /** Events' source component, as upstream names it. */
  component: string;
  selector(obj: ReplicaSetLike): Selector;
}

export const replicaSetKind: ReplicaKind = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  ref: resources.replicasets,
  component: 'replicaset-controller',
  selector: (o) => selectorFromLabelSelector((o as ReplicaSet).spec?.selector as LabelSelector | undefined),
};

export const replicationControllerKind: ReplicaKind = {
  kind: 'ReplicationController',
  apiVersion: 'v1',
  ref: resources.replicationcontrollers,
  component: 'replication-controller',
  // An RC with an empty selector selects nothing (its strategy defaults it from the template labels).
  selector: (o) => {
    const sel = (o as ReplicationController).spec?.selector;
    return sel && Object.keys(sel).length ? selectorFromSet(sel) : selectorFromLabelSelector(undefined);
  },
};
