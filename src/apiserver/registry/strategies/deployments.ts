/** Deployments: upstream defaults (1 replica, RollingUpdate 25%/25%, history 10, progress deadline 600s). */
import type { Deployment } from '../../../api/types.js';
import { registerStrategy } from '../strategy.js';
import { defaultTemplate, validateReplicas, validateSelectorAndTemplate } from './workload-common.js';

registerStrategy('deployments', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    const spec = (o as Deployment).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    spec.strategy ??= { type: 'RollingUpdate' };
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
  },
  prepareForCreate(o) {
    (o as Deployment).status = {};
  },
  validate: (o) => {
    const d = o as Deployment;
    return [...validateReplicas(d.spec?.replicas), ...validateSelectorAndTemplate(d.spec?.selector, d.spec?.template)];
  },
});
