/** The API object shapes the scheduler reads, re-exported from the one definition in src/api. */
import type * as k from '@kubernetes/client-node';
import type { Wire } from '../../api/types.js';

export type {
  Pod, Node, PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget, Namespace, LabelSelector,
} from '../../api/types.js';
export type PodAffinityTerm = Wire<k.V1PodAffinityTerm>;
export type WeightedPodAffinityTerm = Wire<k.V1WeightedPodAffinityTerm>;
export type Taint = Wire<k.V1Taint>;
export type Toleration = Wire<k.V1Toleration>;
export type TopologySpreadConstraint = Wire<k.V1TopologySpreadConstraint>;
export type PodCondition = Wire<k.V1PodCondition>;
