/**
 * NamespaceLifecycle: objects may only be created in a namespace that exists and is not terminating,
 * and the system namespaces (default, kube-system, kube-public) cannot be deleted.
 */
import { ApiError, errors } from '../../api/errors.js';
import type { Namespace } from '../../api/types.js';
import type { AdmissionPlugin } from './admission.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** Reads a namespace (from a cache first, the store when the cache has not seen it yet). */
export type NamespaceLookup = (name: string) => Promise<Namespace | undefined>;

export function namespaceLifecycle(lookupNamespace: NamespaceLookup): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a) {
      if (a.entry.resource === 'namespaces') {
        if (a.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(a.name)) {
          throw errors.forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`);
        }
        return;
      }
      if (a.operation !== 'CREATE' || !a.entry.namespaced || !a.namespace) return;
      const ns = await lookupNamespace(a.namespace);
      if (!ns) throw new ApiError('NotFound', `namespaces "${a.namespace}" not found`, { name: a.namespace, kind: 'namespaces' });
      if (ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
        throw new ApiError('Forbidden', `${a.entry.group ? `${a.entry.resource}.${a.entry.group}` : a.entry.resource} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`,
          { name: a.name, group: a.entry.group, kind: a.entry.resource, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }] });
      }
    },
  };
}
