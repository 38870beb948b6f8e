/**
 * DefaultTolerationSeconds: every new pod tolerates `node.kubernetes.io/not-ready` and `unreachable`
 * (NoExecute) for 300 seconds unless it already says otherwise.
 */
import type { Pod } from '../../api/types.js';
import type { AdmissionPlugin } from './admission.js';

const DEFAULT_SECONDS = 300;
const TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

export function defaultTolerationSeconds(): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    mutate(a) {
      if (a.entry.resource !== 'pods' || a.operation !== 'CREATE' || a.subresource) return;
      const pod = a.object as Pod;
      if (!pod.spec) return;
      const tolerations = pod.spec.tolerations ?? [];
      for (const key of TAINTS) {
        const covered = tolerations.some((t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
        if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_SECONDS });
      }
      pod.spec.tolerations = tolerations;
    },
  };
}
