/** StatefulSets: upstream defaults for update strategy, history, pod management and claim templates. */
import type { StatefulSet } from '../../../api/types.js';
import { registerStrategy } from '../strategy.js';
import { defaultTemplate, validateReplicas, validateSelectorAndTemplate } from './workload-common.js';

registerStrategy('statefulsets', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    const spec = (o as StatefulSet).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= { type: 'RollingUpdate' };
    if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= { partition: 0 };
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    defaultTemplate(spec.template);
    for (const t of spec.volumeClaimTemplates ?? []) {
      t.apiVersion ??= 'v1';
      t.kind ??= 'PersistentVolumeClaim';
      t.spec ??= {};
      t.spec.volumeMode ??= 'Filesystem';
      t.status ??= { phase: 'Pending' };
    }
  },
  prepareForCreate(o) {
    (o as StatefulSet).status = { replicas: 0, availableReplicas: 0 };
  },
  validate: (o) => {
    const s = o as StatefulSet;
    return [...validateReplicas(s.spec?.replicas), ...validateSelectorAndTemplate(s.spec?.selector, s.spec?.template)];
  },
});
