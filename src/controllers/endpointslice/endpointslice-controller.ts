/**
 * The EndpointSlice controller (upstream `endpointslice_controller.go`, simplified reconciler): for
 * every Service with a selector, EndpointSlices labelled `kubernetes.io/service-name=<svc>` and
 * `endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io`, owned by the Service,
 * named `<svc>-<random>` (generateName). Each slice holds endpoints that share one port set and one
 * address type, at most `MAX_ENDPOINTS_PER_SLICE`; each endpoint carries the ready/serving/terminating
 * conditions, nodeName and targetRef. Desired slices are matched to existing ones by port set, then
 * updated only when they differ; extra slices are deleted.
 */
import { isNotFound } from '../../api/errors.js';
import type { EndpointSlice, KubeObject, Pod } from '../../api/types.js';
import { splitMetaNamespaceKey } from '../../client/cache/keys.js';
import type { SharedIndexInformer } from '../../client/cache/shared-informer.js';
import { Controller, controllerRef, type SyncResult } from '../../client/controller.js';
import { inNamespace, resources } from '../../client/resource.js';
import type { ControllerContext } from '../context.js';
import { wireServicesAndPods } from '../endpoints/service-pod-handlers.js';
import { controllerOwnerRef } from '../util/pods.js';
import { portsKey, serviceEndpoints, type PodEndpoint, type ResolvedPort, type ServiceObj } from '../util/service-endpoints.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

type SliceObj = EndpointSlice & KubeObject;
type Endpoint = EndpointSlice['endpoints'][number];

interface Desired {
  addressType: 'IPv4' | 'IPv6';
  ports: ResolvedPort[];
  endpoints: Endpoint[];
}

function endpoint(e: PodEndpoint): Endpoint {
  const p = e.pod;
  const ep: Endpoint = {
    addresses: [e.ip],
    conditions: { ready: e.ready && !e.terminating, serving: e.ready, terminating: e.terminating },
    targetRef: { kind: 'Pod', namespace: p.metadata!.namespace!, name: p.metadata!.name!, uid: p.metadata!.uid! },
  };
  if (p.spec?.nodeName) ep.nodeName = p.spec.nodeName;
  if (p.spec?.hostname && p.spec.subdomain) ep.hostname = p.spec.hostname;
  return ep;
}

/** The slices a Service should have: grouped by address type and port set, chunked, endpoints sorted. */
export function desiredSlices(eps: PodEndpoint[]): Desired[] {
  const groups = new Map<string, Desired>();
  for (const e of eps) {
    const addressType = e.ip.includes(':') ? 'IPv6' : 'IPv4';
    const k = `${addressType}|${portsKey(e.ports)}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { addressType, ports: JSON.parse(portsKey(e.ports)), endpoints: [] }));
    g.endpoints.push(endpoint(e));
  }
  const out: Desired[] = [];
  for (const [, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    g.endpoints.sort((a, b) => a.addresses[0]!.localeCompare(b.addresses[0]!));
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ ...g, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  return out;
}

export class EndpointSliceController {
  readonly controller: Controller;
  private readonly services: SharedIndexInformer<ServiceObj>;
  private readonly pods: SharedIndexInformer<Pod & KubeObject>;
  private readonly slices: SharedIndexInformer<SliceObj>;

  constructor(private readonly ctx: Pick<ControllerContext, 'client' | 'informers' | 'clock' | 'log'>, readonly workers = 5) {
    this.services = ctx.informers.forResource<ServiceObj>(resources.services);
    this.pods = ctx.informers.forResource<Pod & KubeObject>(resources.pods);
    this.slices = ctx.informers.forResource<SliceObj>(resources.endpointslices);
    this.controller = new Controller({
      name: 'endpointslice-controller',
      sync: (key) => this.sync(key),
      informers: [this.services, this.pods, this.slices],
      clock: ctx.clock,
      log: (l) => ctx.log(`endpointslice-controller: ${l}`),
    });
    wireServicesAndPods(this.controller, this.services, this.pods);
    const enqueueOwner = (s: SliceObj) => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc && s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) this.controller.enqueue(`${s.metadata!.namespace}/${svc}`);
    };
    this.slices.addEventHandler({ onDelete: (s) => enqueueOwner(s as SliceObj), onUpdate: (_o, s) => enqueueOwner(s) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.workers);
  }

  private owned(namespace: string, name: string): SliceObj[] {
    return this.slices.lister().namespaced(namespace).list()
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name && s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME)
      .sort((a, b) => (a.metadata!.name!).localeCompare(b.metadata!.name!));
  }

  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ref = inNamespace(resources.endpointslices, namespace);
    const svc = this.services.lister().namespaced(namespace).get(name);
    const existing = this.owned(namespace, name);
    if (!svc || !svc.spec?.selector || !Object.keys(svc.spec.selector).length) {
      // Owned slices of a deleted Service also go with the garbage collector; removing them here is quicker.
      for (const s of existing) await this.ctx.client.delete(ref, s.metadata!.name!).catch((err) => { if (!isNotFound(err)) throw err; });
      return;
    }
    const desired = desiredSlices(serviceEndpoints(svc, this.pods.lister().namespaced(namespace).list()));
    const labels = { ...svc.metadata?.labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME };
    const unused = existing.filter((s) => controllerRef(s)?.uid === svc.metadata?.uid);
    for (const s of existing) if (!unused.includes(s)) await this.ctx.client.delete(ref, s.metadata!.name!).catch(() => {});
    for (const want of desired) {
      const body = { addressType: want.addressType, endpoints: want.endpoints, ports: want.ports };
      // Reuse a slice with the same port set and address type, if any.
      const i = unused.findIndex((s) => s.addressType === want.addressType && portsKey((s.ports ?? []) as ResolvedPort[]) === portsKey(want.ports));
      if (i >= 0) {
        const cur = unused.splice(i, 1)[0]!;
        const same = JSON.stringify(cur.endpoints ?? []) === JSON.stringify(want.endpoints) && JSON.stringify(cur.metadata?.labels ?? {}) === JSON.stringify(labels);
        if (same) continue;
        const copy = structuredClone(cur);
        Object.assign(copy, body);
        copy.metadata!.labels = labels;
        await this.ctx.client.update(ref, copy);
        continue;
      }
      await this.ctx.client.create(ref, {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [controllerOwnerRef(svc, 'v1', 'Service')] },
        ...body,
      } as SliceObj);
    }
    // A Service with no endpoints keeps one empty slice, as upstream does (consumers see "no endpoints").
    if (desired.length === 0) {
      const keep = unused.shift();
      if (!keep) {
        await this.ctx.client.create(ref, {
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', endpoints: [], ports: null,
          metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [controllerOwnerRef(svc, 'v1', 'Service')] },
        } as unknown as SliceObj);
      } else if ((keep.endpoints ?? []).length) {
        const copy = structuredClone(keep);
        copy.endpoints = [];
        await this.ctx.client.update(ref, copy);
      }
    }
    for (const s of unused) await this.ctx.client.delete(ref, s.metadata!.name!).catch((err) => { if (!isNotFound(err)) throw err; });
    return undefined;
  }
}
