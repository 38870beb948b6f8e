/** DaemonSets: RollingUpdate (maxUnavailable 1, maxSurge 0) and history 10 by default. */
import type { DaemonSet } from '../../../api/types.js';
import { registerStrategy } from '../strategy.js';
import { defaultTemplate, validateSelectorAndTemplate } from './workload-common.js';

registerStrategy('daemonsets', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    const spec = (o as DaemonSet).spec;
    if (!spec) return;
    spec.updateStrategy ??= { type: 'RollingUpdate' };
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultTemplate(spec.template);
  },
  prepareForCreate(o) {
    (o as DaemonSet).status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  },
  validate: (o) => validateSelectorAndTemplate((o as DaemonSet).spec?.selector, (o as DaemonSet).spec?.template),
});
