/** ReplicaSets and ReplicationControllers: 1 replica by default; an RC's selector defaults to its template's labels. */
import type { ReplicaSet, ReplicationController } from '../../../api/types.js';
import { fieldErrors } from '../../../api/validation/field-error.js';
import { registerStrategy } from '../strategy.js';
import { defaultTemplate, validateReplicas, validateSelectorAndTemplate } from './workload-common.js';
import { validatePodSpec } from './pods.js';

registerStrategy('replicasets', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    const spec = (o as ReplicaSet).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    defaultTemplate(spec.template);
  },
  prepareForCreate(o) {
    (o as ReplicaSet).status = { replicas: 0 };
  },
  validate: (o) => {
    const rs = o as ReplicaSet;
    return [...validateReplicas(rs.spec?.replicas), ...validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template)];
  },
  getAttrs: (o) => ({ 'status.replicas': String((o as ReplicaSet).status?.replicas ?? 0) }),
});

registerStrategy('replicationcontrollers', {
  tracksGeneration: true,
  hasStatus: true,
  defaults(o) {
    const spec = (o as ReplicationController).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    if (!spec.selector && spec.template?.metadata?.labels) spec.selector = { ...spec.template.metadata.labels };
    if (spec.template && !spec.template.metadata?.labels && spec.selector) spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.selector } };
    defaultTemplate(spec.template);
  },
  prepareForCreate(o) {
    (o as ReplicationController).status = { replicas: 0 };
  },
  validate: (o) => {
    const rc = o as ReplicationController;
    const errs = validateReplicas(rc.spec?.replicas);
    if (!rc.spec?.selector || !Object.keys(rc.spec.selector).length) errs.push(fieldErrors.required('spec.selector'));
    if (!rc.spec?.template) errs.push(fieldErrors.required('spec.template'));
    else errs.push(...validatePodSpec(rc.spec.template.spec, 'spec.template.spec'));
    return errs;
  },
  getAttrs: (o) => ({ 'status.replicas': String((o as ReplicationController).status?.replicas ?? 0) }),
});
