/**
 * The non-pod, non-node objects the plugins consult (claims, volumes, disruption budgets, namespace
 * labels), kept from the scheduler's event stream. Implements the framework's `ObjectListers`.
 */
import type { ObjectListers } from './framework/interface.js';
import type { Namespace, PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget } from './framework/types.js';
import type { Labels } from './util/selectors.js';
import type { SchedulerEvent } from './sources.js';

const nsName = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`;

export class ObjectStore implements ObjectListers {
  private readonly pvcs = new Map<string, PersistentVolumeClaim>();
  private readonly pvs = new Map<string, PersistentVolume>();
  private readonly pdbs = new Map<string, PodDisruptionBudget>();
  private readonly namespaces = new Map<string, Namespace>();

  /** Applies an event for one of the kinds kept here; returns false for other kinds. */
  apply(ev: SchedulerEvent): boolean {
    const del = ev.type === 'DELETED';
    switch (ev.kind) {
      case 'PersistentVolumeClaim': {
        const o = ev.object as PersistentVolumeClaim;
        if (del) this.pvcs.delete(nsName(o));
        else this.pvcs.set(nsName(o), o);
        return true;
      }
      case 'PersistentVolume': {
        const o = ev.object as PersistentVolume;
        if (del) this.pvs.delete(o.metadata?.name ?? '');
        else this.pvs.set(o.metadata?.name ?? '', o);
        return true;
      }
      case 'PodDisruptionBudget': {
        const o = ev.object as PodDisruptionBudget;
        if (del) this.pdbs.delete(nsName(o));
        else this.pdbs.set(nsName(o), o);
        return true;
      }
      case 'Namespace': {
        const o = ev.object as Namespace;
        if (del) this.namespaces.delete(o.metadata?.name ?? '');
        else this.namespaces.set(o.metadata?.name ?? '', o);
        return true;
      }
      default:
        return false;
    }
  }

  getPersistentVolumeClaim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.pvcs.get(`${namespace}/${name}`);
  }

  getPersistentVolume(name: string): PersistentVolume | undefined {
    return this.pvs.get(name);
  }

  /** Budgets in `namespace`, or in all namespaces for ''. */
  listPodDisruptionBudgets(namespace: string): readonly PodDisruptionBudget[] {
    const all = [...this.pdbs.values()];
    return namespace ? all.filter((p) => (p.metadata?.namespace ?? 'default') === namespace) : all;
  }

  namespaceLabels(namespace: string): Labels | undefined {
    return this.namespaces.get(namespace)?.metadata?.labels;
  }
}
