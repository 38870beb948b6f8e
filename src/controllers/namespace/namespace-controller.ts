/**
 * The namespace controller (upstream `namespace_controller.go` + `namespaced_resources_deleter.go`):
 * a namespace being deleted (deletionTimestamp set, phase Terminating) has every object of every
 * namespaced resource that discovery lists deleted; once nothing is left, its `kubernetes` finalizer is
 * removed through the `namespaces/NAME/finalize` subresource and the API server drops the namespace.
 *
 * While objects remain (pods in graceful deletion, objects with finalizers), the namespace's status
 * conditions say so (NamespaceContentRemaining) and the key is looked at again shortly.
 */
import { isNotFound } from '../../api/errors.js';
import type { KubeObject, Namespace } from '../../api/types.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { formatTime } from '../../client/clock.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** How soon to look again while content remains. */
export const CONTENT_REMAINING_RECHECK_MS = 1000;

type NamespaceObj = Namespace & KubeObject;

export class NamespaceController {
  readonly controller: Controller;
  private readonly nsInformer: SharedIndexInformer<NamespaceObj>;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'discovery' | 'log'>, readonly workers = 2) {
    this.nsInformer = ctx.informers.forResource<NamespaceObj>(resources.namespaces);
    this.controller = new Controller({
      name: 'namespace-controller',
      sync: (key) => this.sync(key),
      informers: [this.nsInformer],
      clock: ctx.clock,
      log: (l) => ctx.log(`namespace-controller: ${l}`),
    });
    this.nsInformer.addEventHandler({
      onAdd: (ns) => { if (ns.metadata?.deletionTimestamp) this.controller.enqueue(ns); },
      onUpdate: (_o, ns) => { if (ns.metadata?.deletionTimestamp) this.controller.enqueue(ns); },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.workers);
  }

  async sync(name: string): Promise<SyncResult> {
    const ns = this.nsInformer.lister().get(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;
    const all = await this.ctx.discovery.resources();
    const seen = new Set<string>();
    const remaining: Record<string, number> = {};
    for (const r of all) {
      if (!r.namespaced || !r.verbs.includes('list') || !r.verbs.includes('delete')) continue;
      const k = `${r.group}/${r.resource}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const ref = inNamespace(r, name);
      const items = (await this.ctx.client.list(ref)).items;
      for (const o of items) {
        if (o.metadata?.deletionTimestamp) continue;
        try {
          await this.ctx.client.delete(ref, o.metadata!.name!, { propagationPolicy: 'Background', preconditions: { uid: o.metadata!.uid! } });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      if (items.length) {
        const left = (await this.ctx.client.list(ref)).items.length;
        if (left) remaining[r.group ? `${r.resource}.${r.group}` : r.resource] = left;
      }
    }
    if (Object.keys(remaining).length) {
      await this.setContentRemaining(ns, remaining);
      return { requeueAfterMs: CONTENT_REMAINING_RECHECK_MS };
    }
    const copy = structuredClone(ns);
    copy.spec = { ...copy.spec, finalizers: (copy.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES) };
    try {
      await this.ctx.client.update(resources.namespaces, copy, { subresource: 'finalize' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return undefined;
  }

  private async setContentRemaining(ns: NamespaceObj, remaining: Record<string, number>): Promise<void> {
    const message = `Some resources are remaining: ${Object.entries(remaining).sort().map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}`;
    const old = ns.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining');
    if (old?.message === message) return;
    const copy = structuredClone(ns);
    const cond = { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message, lastTransitionTime: formatTime(this.ctx.clock.now()) };
    copy.status = { ...copy.status, conditions: [...(copy.status?.conditions ?? []).filter((c) => c.type !== cond.type), cond] };
    await this.ctx.client.update(resources.namespaces, copy, { subresource: 'status' }).catch(() => {});
  }
}
