/**
 * The objects besides pods and nodes that the plugins consult — claims, volumes, disruption budgets,
 * namespace labels, and the Services and workload controllers that define a pod's default spreading
 * group — kept from the scheduler's event stream. Implements the framework's `ObjectListers`.
 */
import type { ObjectListers } from './framework/interface.js';
import type { LabelSelector, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget } from './framework/types.js';
import type { ReplicaSet, ReplicationController, Service, StatefulSet } from '../api/types.js';
import { compileLabelSelector, compileSetSelector, type Labels } from './util/selectors.js';
import type { SchedulerEvent, WatchedKind } from './sources.js';

interface Meta {
  metadata?: { namespace?: string; name?: string; uid?: string; labels?: Record<string, string> };
}

const nsName = (o: Meta) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name ?? ''}`;

const NAMESPACED: Partial<Record<WatchedKind, boolean>> = {
  PersistentVolumeClaim: true, PodDisruptionBudget: true, Service: true, ReplicationController: true, ReplicaSet: true, StatefulSet: true,
};
const CLUSTER: Partial<Record<WatchedKind, boolean>> = { PersistentVolume: true, Namespace: true };

export class ObjectStore implements ObjectListers {
  private readonly byKind = new Map<WatchedKind, Map<string, Meta>>();

  /** Applies an event for one of the kinds kept here; returns false for other kinds. */
  apply(ev: SchedulerEvent): boolean {
    if (!NAMESPACED[ev.kind] && !CLUSTER[ev.kind]) return false;
    let m = this.byKind.get(ev.kind);
    if (!m) this.byKind.set(ev.kind, (m = new Map()));
    const o = ev.object as Meta;
    const key = NAMESPACED[ev.kind] ? nsName(o) : (o.metadata?.name ?? '');
    if (ev.type === 'DELETED') m.delete(key);
    else m.set(key, o);
    return true;
  }

  private all<T>(kind: WatchedKind): T[] {
    return [...(this.byKind.get(kind)?.values() ?? [])] as T[];
  }

  private one<T>(kind: WatchedKind, key: string): T | undefined {
    return this.byKind.get(kind)?.get(key) as T | undefined;
  }

  getPersistentVolumeClaim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.one(`PersistentVolumeClaim`, `${namespace}/${name}`);
  }

  getPersistentVolume(name: string): PersistentVolume | undefined {
    return this.one('PersistentVolume', name);
  }

  /** Budgets in `namespace`, or in all namespaces for ''. */
  listPodDisruptionBudgets(namespace: string): readonly PodDisruptionBudget[] {
    const all = this.all<PodDisruptionBudget>('PodDisruptionBudget');
    return namespace ? all.filter((p) => (p.metadata?.namespace ?? 'default') === namespace) : all;
  }

  namespaceLabels(namespace: string): Labels | undefined {
    return this.one<Namespace>('Namespace', namespace)?.metadata?.labels;
  }

  defaultSpreadSelector(pod: Pod): LabelSelector | null {
    const ns = pod.metadata?.namespace ?? 'default';
    const labels = pod.metadata?.labels ?? {};
    const matchLabels: Record<string, string> = {};
    const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
    let found = false;
    for (const svc of this.all<Service>('Service')) {
      const sel = svc.spec?.selector;
      if ((svc.metadata?.namespace ?? 'default') !== ns || !sel || Object.keys(sel).length === 0) continue;
      if (!compileSetSelector(sel)(labels)) continue;
      Object.assign(matchLabels, sel);
      found = true;
    }
    const owner = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller);
    if (owner) {
      const key = `${ns}/${owner.name}`;
      if (owner.kind === 'ReplicationController') {
        const rc = this.one<ReplicationController>('ReplicationController', key);
        if (rc?.spec?.selector && rc.metadata?.uid === owner.uid) {
          Object.assign(matchLabels, rc.spec.selector);
          found = true;
        }
      } else if (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet') {
        const ctl = this.one<ReplicaSet | StatefulSet>(owner.kind, key);
        const sel = ctl?.spec?.selector;
        if (sel && ctl.metadata?.uid === owner.uid && compileLabelSelector(sel)(labels)) {
          Object.assign(matchLabels, sel.matchLabels ?? {});
          matchExpressions.push(...(sel.matchExpressions ?? []));
          found = true;
        }
      }
    }
    if (!found) return null;
    return { matchLabels, ...(matchExpressions.length ? { matchExpressions } : {}) };
  }
}
