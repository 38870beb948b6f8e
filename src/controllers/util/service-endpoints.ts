/**
 * What the Endpoints and EndpointSlice controllers share (upstream `endpoints/util`): which pods back a
 * Service, whether each is ready, and each Service port resolved against each pod — a named targetPort
 * is looked up among the pod's container ports, so two pods may serve one Service port on different
 * numbers.
 */
import { selectorFromSet } from '../../api/labels/selector.js';
import type { KubeObject, Pod, Service } from '../../api/types.js';
import { isPodReady } from './pods.js';

export type ServiceObj = Service & KubeObject;
export type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface PodEndpoint {
  pod: Pod & KubeObject;
  ip: string;
  ready: boolean;
  terminating: boolean;
  ports: ResolvedPort[];
}

/** The container port a Service port reaches on `pod`, or undefined (upstream `podutil.FindPort`). */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort as number | string | undefined;
  if (target === undefined || target === '') return sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** Pods in a Service's endpoints: selected, with an IP, not finished; terminating only if published not-ready. */
export function serviceEndpoints(svc: ServiceObj, pods: (Pod & KubeObject)[]): PodEndpoint[] {
  const sel = svc.spec?.selector;
  if (!sel || !Object.keys(sel).length) return [];
  const selector = selectorFromSet(sel);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const out: PodEndpoint[] = [];
  for (const pod of pods) {
    if (!selector.matches(pod.metadata?.labels)) continue;
    const ip = pod.status?.podIP;
    if (!ip) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const terminating = Boolean(pod.metadata?.deletionTimestamp);
    if (terminating && !publishNotReady) continue;
    const ports: ResolvedPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    out.push({ pod, ip, ready: publishNotReady || (isPodReady(pod) && !terminating), terminating, ports });
  }
  return out;
}

export const portsKey = (ports: ResolvedPort[]): string => JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port));

/** The Services of a namespace whose selector matches `labels`. */
export function servicesSelecting(services: ServiceObj[], labels: Record<string, string> | undefined): ServiceObj[] {
  return services.filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length && selectorFromSet(s.spec.selector).matches(labels));
}
