/** Nodes: cluster-scoped, created by kubelets with their status (kept on create), `spec.unschedulable` selectable. */
import type { Node } from '../../../api/types.js';
import { registerStrategy } from '../strategy.js';

registerStrategy('nodes', {
  hasStatus: true,
  keepStatusOnCreate: true,
  prepareForUpdate(o, old) {
    (o as Node).status = (old as Node).status;
  },
  getAttrs: (o) => ({ 'spec.unschedulable': String((o as Node).spec?.unschedulable ?? false) }),
});
