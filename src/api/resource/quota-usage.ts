/**
 * What a namespace uses, per quota resource name (upstream `quota/v1/evaluator/core`): object counts
 * (`pods`, `services`, `count/deployments.apps`, …), the pods' compute requests and limits, storage
 * requested by claims, and NodePort/LoadBalancer services. Terminal pods do not count.
 */
import type { KubeObject, PersistentVolumeClaim, Pod, Service } from '../types.js';
import { formatMilli, parseMilli } from './quantity.js';

export interface NamespaceObjects {
  /** Objects per qualified plural (`pods`, `deployments.apps`). */
  byResource: Map<string, KubeObject[]>;
}

/** Short names upstream accepts for counts of core resources. */
const CORE_COUNTS = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas'];

const activePod = (p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

function podSum(pods: Pod[], kind: 'requests' | 'limits', res: string): number {
  let total = 0;
  for (const p of pods) {
    for (const c of p.spec?.containers ?? []) {
      const r = c.resources?.[kind] as Record<string, string> | undefined;
      total += parseMilli(r?.[res] ?? (kind === 'requests' ? (c.resources?.limits as Record<string, string> | undefined)?.[res] : undefined));
    }
  }
  return total;
}

/** The usage of one quota resource name, or undefined when k8ts does not track it. */
export function usageOf(name: string, ns: NamespaceObjects): string | undefined {
  const list = (r: string) => ns.byResource.get(r) ?? [];
  const pods = (list('pods') as Pod[]).filter(activePod);
  if (name === 'pods' || name === 'count/pods') return String(pods.length);
  if (CORE_COUNTS.includes(name)) return String(list(name).length);
  if (name.startsWith('count/')) {
    const r = name.slice('count/'.length);
    return ns.byResource.has(r) ? String(list(r).length) : undefined;
  }
  const compute = /^(requests|limits)\.(cpu|memory|ephemeral-storage)$|^(cpu|memory|ephemeral-storage)$/.exec(name);
  if (compute) {
    const kind = (compute[1] ?? 'requests') as 'requests' | 'limits';
    const res = compute[2] ?? compute[3]!;
    return formatMilli(podSum(pods, kind, res), res === 'cpu' ? 'DecimalSI' : 'BinarySI');
  }
  if (name === 'requests.storage') {
    const total = (list('persistentvolumeclaims') as PersistentVolumeClaim[]).reduce((n, c) => n + parseMilli((c.spec?.resources?.requests as Record<string, string> | undefined)?.storage), 0);
    return formatMilli(total, 'BinarySI');
  }
  if (name === 'services.nodeports') return String((list('services') as Service[]).filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer').length);
  if (name === 'services.loadbalancers') return String((list('services') as Service[]).filter((s) => s.spec?.type === 'LoadBalancer').length);
  return undefined;
}
