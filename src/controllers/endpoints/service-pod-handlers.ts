/**
 * The event wiring both endpoint controllers use: a Service enqueues itself; a pod enqueues every
 * Service of its namespace that selects it, before or after the change (so a pod leaving a selector is
 * removed).
 */
import type { KubeObject, Pod } from '../../api/types.js';
import { unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import type { Controller } from '../../client/controller.js';
import { servicesSelecting, type ServiceObj } from '../util/service-endpoints.js';

export function wireServicesAndPods(controller: Controller, services: SharedIndexInformer<ServiceObj>, pods: SharedIndexInformer<Pod & KubeObject>): void {
  services.addEventHandler(controller.enqueueHandler());
  const enqueueFor = (pod: Pod & KubeObject) => {
    for (const s of servicesSelecting(services.lister().namespaced(pod.metadata!.namespace!).list(), pod.metadata?.labels)) controller.enqueue(s);
  };
  pods.addEventHandler({
    onAdd: enqueueFor,
    onUpdate: (old, cur) => {
      if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
      enqueueFor(cur);
      if (JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {})) enqueueFor(old);
    },
    onDelete: (p) => enqueueFor(unwrapTombstone(p as (Pod & KubeObject) | DeletedFinalStateUnknown<Pod & KubeObject>)),
  });
}
