/**
 * The Endpoints controller (upstream `endpoints_controller.go`): for every Service with a selector, an
 * Endpoints object of the same name listing the selected pods' addresses — ready ones in `addresses`,
 * the others in `notReadyAddresses` — with the ports each pod serves. Subsets group the pods that
 * resolve to the same port set; addresses are sorted by IP, so equal state gives an equal object and no
 * write. Services without a selector keep whatever Endpoints their owner writes.
 */
import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import type { Endpoints, KubeObject, Pod } from '../../api/types.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, type SyncResult } from '../../client/controller.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { portsKey, serviceEndpoints, type PodEndpoint, type ServiceObj } from '../util/service-endpoints.js';
import { wireServicesAndPods } from './service-pod-handlers.js';

type EndpointsObj = Endpoints & KubeObject;
type Subset = NonNullable<Endpoints['subsets']>[number];
type Address = NonNullable<Subset['addresses']>[number];

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

function address(e: PodEndpoint): Address {
  const p = e.pod;
  const a: Address = { ip: e.ip };
  if (p.spec?.hostname && p.spec.subdomain) a.hostname = p.spec.hostname;
  if (p.spec?.nodeName) a.nodeName = p.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: p.metadata!.namespace!, name: p.metadata!.name!, uid: p.metadata!.uid! };
  return a;
}

/** Subsets from pod endpoints (upstream `RepackSubsets`): one subset per distinct port set. */
export function buildSubsets(eps: PodEndpoint[]): Subset[] {
  const groups = new Map<string, Subset>();
  for (const e of eps) {
    if (!e.ports.length) continue;
    const k = portsKey(e.ports);
    let s = groups.get(k);
    if (!s) groups.set(k, (s = { ports: JSON.parse(k) }));
    if (e.ready) (s.addresses ??= []).push(address(e));
    else (s.notReadyAddresses ??= []).push(address(e));
  }
  const byIp = (a: Address, b: Address) => a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  for (const s of groups.values()) {
    s.addresses?.sort(byIp);
    s.notReadyAddresses?.sort(byIp);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
}

export class EndpointsController {
  readonly controller: Controller;
  private readonly services: SharedIndexInformer<ServiceObj>;
  private readonly pods: SharedIndexInformer<Pod & KubeObject>;
  private readonly endpoints: SharedIndexInformer<EndpointsObj>;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'log'>, readonly workers = 5) {
    this.services = ctx.informers.forResource<ServiceObj>(resources.services);
    this.pods = ctx.informers.forResource<Pod & KubeObject>(resources.pods);
    this.endpoints = ctx.informers.forResource<EndpointsObj>(resources.endpoints);
    this.controller = new Controller({
      name: 'endpoints-controller',
      sync: (key) => this.sync(key),
      informers: [this.services, this.pods, this.endpoints],
      clock: ctx.clock,
      log: (l) => ctx.log(`endpoints-controller: ${l}`),
    });
    wireServicesAndPods(this.controller, this.services, this.pods);
    this.endpoints.addEventHandler({ onDelete: (e) => this.controller.enqueue(e as EndpointsObj) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.workers);
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ref = inNamespace(resources.endpoints, namespace);
    const svc = this.services.lister().namespaced(namespace).get(name);
    if (!svc) {
      // The Service is gone: so are its Endpoints (upstream deletes them even when it did not write them).
      if (this.endpoints.lister().namespaced(namespace).get(name)) {
        await this.ctx.client.delete(ref, name).catch((err) => { if (!isNotFound(err)) throw err; });
      }
      return;
    }
    if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length) return;
    const subsets = buildSubsets(serviceEndpoints(svc, this.pods.lister().namespaced(namespace).list()));
    const labels: Record<string, string> = { ...svc.metadata?.labels };
    if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    const cur = this.endpoints.lister().namespaced(namespace).get(name);
    if (cur && JSON.stringify(cur.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(cur.metadata?.labels ?? {}) === JSON.stringify(labels)) return;
    const want: EndpointsObj = cur ? structuredClone(cur) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    want.metadata!.labels = labels;
    if (subsets.length) want.subsets = subsets;
    else delete want.subsets;
    if (cur) {
      await this.ctx.client.update(ref, want);
      return;
    }
    try {
      await this.ctx.client.create(ref, want);
    } catch (err) {
      // Someone wrote it meanwhile: the informer will bring it and the next sync updates it.
      if (!isAlreadyExists(err)) throw err;
      throw new Error(`endpoints ${key} appeared meanwhile; retrying`);
    }
    return undefined;
  }
}
