/**
 * The ResourceQuota controller (upstream `resource_quota_controller.go`): keeps each quota's
 * `status.hard` equal to `spec.hard` and `status.used` equal to what its namespace uses (usage.ts),
 * recomputed whenever a tracked object in the namespace changes. Enforcement on create is admission's
 * job, in the API server.
 */
import { qualifiedResource, resources, inNamespace, type ResourceRef } from '../../client/resource.js';
import type { KubeObject, ResourceQuota } from '../../api/types.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import type { ControllerContext } from '../context.js';
import { usageOf } from '../../api/resource/quota-usage.js';

type QuotaObj = ResourceQuota & KubeObject;

/** The resources whose objects quotas count. */
export const TRACKED: ResourceRef[] = [
  resources.pods, resources.services, resources.configmaps, resources.secrets, resources.persistentvolumeclaims, resources.replicationcontrollers,
  resources.resourcequotas, resources.deployments, resources.replicasets, resources.statefulsets, resources.daemonsets, resources.jobs, resources.cronjobs,
];

export class ResourceQuotaController {
  readonly controller: Controller;
  private readonly quotas: SharedIndexInformer<QuotaObj>;
  private readonly tracked = new Map<string, SharedIndexInformer<KubeObject>>();

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'log'>) {
    this.quotas = ctx.informers.forResource<QuotaObj>(resources.resourcequotas);
    for (const r of TRACKED) this.tracked.set(qualifiedResource(r), ctx.informers.forResource(r));
    this.controller = new Controller({
      name: 'resourcequota-controller', sync: (k) => this.sync(k), informers: [this.quotas, ...this.tracked.values()], clock: ctx.clock,
      log: (l) => ctx.log(`resourcequota-controller: ${l}`),
    });
    this.quotas.addEventHandler(this.controller.enqueueHandler());
    const changed = (o: KubeObject | DeletedFinalStateUnknown<KubeObject>) => {
      const ns = unwrapTombstone(o).metadata?.namespace;
      if (!ns) return;
      for (const q of this.quotas.lister().namespaced(ns).list()) this.controller.enqueue(q);
    };
    for (const [name, inf] of this.tracked) {
      if (name === 'resourcequotas') continue;
      inf.addEventHandler({ onAdd: changed, onUpdate: (_o, n) => changed(n), onDelete: changed });
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 2);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.quotas.lister().namespaced(namespace).get(name);
    if (!cached) return;
    const byResource = new Map([...this.tracked].map(([r, inf]) => [r, inf.lister().namespaced(namespace).list()]));
    const hard = { ...(cached.spec?.hard as Record<string, string> | undefined) };
    const used: Record<string, string> = {};
    for (const res of Object.keys(hard)) {
      const u = usageOf(res, { byResource });
      if (u !== undefined) used[res] = u;
    }
    if (JSON.stringify(cached.status?.hard ?? {}) === JSON.stringify(hard) && JSON.stringify(cached.status?.used ?? {}) === JSON.stringify(used)) return;
    const copy = structuredClone(cached);
    copy.status = { hard, used };
    await this.ctx.client.update(inNamespace(resources.resourcequotas, namespace), copy, { subresource: 'status' });
    return undefined;
  }
}
