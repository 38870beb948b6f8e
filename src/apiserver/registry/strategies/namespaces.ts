/**
 * Namespaces: phase Active on create, the `kubernetes` finalizer in spec.finalizers, the
 * `kubernetes.io/metadata.name` label; DELETE turns the phase to Terminating, and the namespace leaves
 * the store once the namespace controller has emptied it and cleared spec.finalizers (namespaces/finalize).
 */
import type { KubeObject, Namespace } from '../../../api/types.js';
import { nameIsDNSLabel } from '../../../api/validation/names.js';
import { registerStrategy } from '../strategy.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

function nameLabel(o: KubeObject): void {
  const m = (o.metadata ??= {});
  if (m.name) m.labels = { ...m.labels, [NAME_LABEL]: m.name };
}

registerStrategy('namespaces', {
  nameValidator: nameIsDNSLabel,
  hasStatus: true,
  prepareForCreate(o) {
    const ns = o as Namespace;
    ns.status = { phase: 'Active' };
    const fin = new Set(ns.spec?.finalizers ?? []);
    fin.add('kubernetes');
    ns.spec = { ...ns.spec, finalizers: [...fin] };
    if (!ns.metadata?.name && ns.metadata?.generateName) return;
    nameLabel(o);
  },
  prepareForUpdate(o, old) {
    const ns = o as Namespace;
    ns.spec = { ...ns.spec, finalizers: (old as Namespace).spec?.finalizers };
    if (!ns.spec.finalizers) delete ns.spec.finalizers;
    nameLabel(o);
  },
  validate(o) {
    nameLabel(o);
    return [];
  },
  getAttrs: (o) => ({ 'status.phase': (o as Namespace).status?.phase ?? '' }),
  beginDeletion(o) {
    (o as Namespace).status = { ...(o as Namespace).status, phase: 'Terminating' };
  },
  readyToRemove: (o) => ((o as Namespace).spec?.finalizers?.length ?? 0) === 0,
});
