/** ServiceAccount: a pod with no service account runs as `default` (the pod strategy's default, enforced here for updates too). */
import type { Pod } from '../../api/types.js';
import type { AdmissionPlugin } from './admission.js';

export function serviceAccountAdmission(): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    mutate(a) {
      if (a.entry.resource !== 'pods' || a.operation !== 'CREATE' || a.subresource) return;
      const pod = a.object as Pod;
      if (!pod.spec) return;
      if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = pod.spec.serviceAccount || 'default';
      pod.spec.serviceAccount = pod.spec.serviceAccountName;
    },
  };
}
