/**
 * Priority: a new pod's `spec.priority` comes from its PriorityClass (`priorityClassName`), or from the
 * class marked `globalDefault`, or is 0; `preemptionPolicy` follows the class. A pod naming a class that
 * does not exist is Forbidden, as upstream's Priority admission plugin answers.
 */
import { errors } from '../../api/errors.js';
import type { Pod, PriorityClass } from '../../api/types.js';
import type { AdmissionPlugin } from './admission.js';

export type PriorityClassLookup = () => PriorityClass[];

/** The classes every cluster has (upstream's scheduling bootstrap). */
export const SYSTEM_PRIORITY_CLASSES: PriorityClass[] = [
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.', preemptionPolicy: 'PreemptLowerPriority' },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: 2000000000,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.', preemptionPolicy: 'PreemptLowerPriority' },
];

export function priorityAdmission(classes: PriorityClassLookup): AdmissionPlugin {
  return {
    name: 'Priority',
    mutate(a) {
      if (a.entry.resource !== 'pods' || a.operation !== 'CREATE' || a.subresource) return;
      const pod = a.object as Pod;
      if (!pod.spec) return;
      const all = classes();
      const name = pod.spec.priorityClassName;
      const pc = name ? all.find((c) => c.metadata?.name === name) : all.find((c) => c.globalDefault);
      if (name && !pc) throw errors.forbidden(`pods "${a.name}" is forbidden: no PriorityClass with name ${name} was found`);
      if (pc) {
        if (pod.spec.priority !== undefined && pod.spec.priority !== 0 && pod.spec.priority !== pc.value) {
          throw errors.forbidden(`pods "${a.name}" is forbidden: the integer value of priority (${pod.spec.priority}) must not be provided in pod spec; priority admission controller computed ${pc.value} from the given PriorityClass name`);
        }
        pod.spec.priority = pc.value;
        pod.spec.preemptionPolicy = pc.preemptionPolicy ?? 'PreemptLowerPriority';
        if (!name && pc.metadata?.name) pod.spec.priorityClassName = pc.metadata.name;
      } else {
        pod.spec.priority ??= 0;
      }
    },
  };
}
