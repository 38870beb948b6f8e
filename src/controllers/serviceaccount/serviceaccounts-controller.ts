/**
 * The ServiceAccount controller (upstream `serviceaccounts_controller.go`): every active namespace has
 * a ServiceAccount named `default`; it is created when a namespace appears and re-created if deleted.
 */
import { isAlreadyExists, isForbidden, isNotFound } from '../../api/errors.js';
import type { KubeObject, Namespace, ServiceAccount } from '../../api/types.js';
import { unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';

export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

type SA = ServiceAccount & KubeObject;

export class ServiceAccountsController {
  readonly controller: Controller;
  private readonly namespaces: SharedIndexInformer<Namespace & KubeObject>;
  private readonly accounts: SharedIndexInformer<SA>;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'log'>) {
    this.namespaces = ctx.informers.forResource<Namespace & KubeObject>(resources.namespaces);
    this.accounts = ctx.informers.forResource<SA>(resources.serviceaccounts);
    this.controller = new Controller({
      name: 'serviceaccount-controller',
      sync: (key) => this.sync(key),
      informers: [this.namespaces, this.accounts],
      clock: ctx.clock,
      log: (l) => ctx.log(`serviceaccount-controller: ${l}`),
    });
    this.namespaces.addEventHandler({ onAdd: (ns) => this.controller.enqueue(ns), onUpdate: (_o, ns) => this.controller.enqueue(ns) });
    this.accounts.addEventHandler({
      onDelete: (o) => {
        const sa = unwrapTombstone(o as SA | DeletedFinalStateUnknown<SA>);
        if (DEFAULT_SERVICE_ACCOUNTS.includes(sa.metadata!.name!)) this.controller.enqueue(sa.metadata!.namespace!);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, 1);
  }

  async sync(namespace: string): Promise<SyncResult> {
    const ns = this.namespaces.lister().get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    for (const name of DEFAULT_SERVICE_ACCOUNTS) {
      if (this.accounts.lister().namespaced(namespace).get(name)) continue;
      try {
        await this.ctx.client.create(inNamespace(resources.serviceaccounts, namespace), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
      } catch (err) {
        // Exists already (cache lag), or the namespace started terminating meanwhile.
        if (!isAlreadyExists(err) && !isForbidden(err) && !isNotFound(err)) throw err;
      }
    }
    return undefined;
  }
}
