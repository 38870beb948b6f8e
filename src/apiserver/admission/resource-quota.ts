/**
 * ResourceQuota: a create is admitted only if every quota of its namespace that tracks what it uses stays
 * within `status.hard`, and the usage is charged into those quotas' `status.used` in the same admission
 * (compare-and-swap on the quota's resourceVersion, retried on conflict), so two quick creates cannot
 * both slip under the limit. The quota controller later recomputes `status.used` from what exists.
 *
 * As upstream: quotas whose `status.hard` is not yet filled in by the controller are ignored; a quota
 * whose `status.used` lacks a tracked resource answers `status unknown for quota`; when a quota tracks
 * cpu or memory, every container must say so (`must specify limits.cpu for: c`); terminal pods do not
 * count. Evaluated resources: pods and their compute requests/limits, services (NodePorts,
 * LoadBalancers), PVCs (`requests.storage`), configmaps, secrets, replicationcontrollers,
 * resourcequotas, and `count/<resource>.<group>` for anything.
 */
import { add, cmp, format, fromField, parse, type Quantity, QuantityError, tryParse } from '../../api/resource/quantity.js';
import type { Container, KubeObject, Pod, ResourceQuota } from '../../api/types.js';
import { usageOf } from '../../api/resource/quota-usage.js';
import { type AdmissionAttributes, type AdmissionPlugin, forbidden } from './admission.js';

/** How the plugin reads and charges quotas. */
export interface QuotaAccess {
  /** The namespace's quotas (the watch cache; may lag a little). */
  list(namespace: string): ResourceQuota[];
  /**
   * Reads the stored quota, applies `fn` (which may throw to refuse), and writes the result only if the
   * quota's resourceVersion is still the one read; on a conflict reads again and re-applies `fn`.
   */
  update(namespace: string, name: string, fn: (q: ResourceQuota) => ResourceQuota): Promise<void>;
}

type ResourceList = Record<string, string>;

const COMPUTE = /^(requests\.|limits\.)?(cpu|memory|ephemeral-storage)$/;
/** Tracking these obliges every container to state them (upstream's backward-compatibility rule). */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** Quota resource names an object of `resource` (qualified plural, e.g. `deployments.apps`) is charged against. */
export function tracks(resource: string, name: string): boolean {
  if (name === `count/${resource}`) return true;
  switch (resource) {
    case 'pods': return name === 'pods' || COMPUTE.test(name);
    case 'services': return name === 'services' || name === 'services.nodeports' || name === 'services.loadbalancers';
    case 'persistentvolumeclaims': return name === 'persistentvolumeclaims' || name === 'requests.storage';
    case 'configmaps': case 'secrets': case 'replicationcontrollers': case 'resourcequotas': return name === resource;
    default: return false;
  }
}

/** What creating `obj` adds to each of `names` (zero amounts left out). */
export function objectUsage(resource: string, obj: KubeObject, names: string[]): Map<string, Quantity> {
  const ns = { byResource: new Map([[resource, [obj]]]) };
  const out = new Map<string, Quantity>();
  for (const n of names) {
    const u = usageOf(n, ns);
    const q = u === undefined ? undefined : tryParse(u);
    if (q && q.milli !== 0n) out.set(n, q);
  }
  return out;
}

/** The resources each container must state but does not (upstream's pod evaluator `Constraints`). */
export function podConstraints(pod: Pod, tracked: string[]): string | undefined {
  const required = tracked.filter((n) => MUST_SPECIFY.has(n));
  if (!required.length) return undefined;
  const missing = new Map<string, string[]>();
  const check = (c: Container) => {
    const req = (c.resources?.requests ?? {}) as ResourceList;
    const lim = (c.resources?.limits ?? {}) as ResourceList;
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined) { has.add(r); has.add(`requests.${r}`); }
      if (lim[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of required) if (!has.has(r)) missing.set(r, [...(missing.get(r) ?? []), c.name]);
  };
  for (const c of pod.spec?.containers ?? []) check(c);
  for (const c of pod.spec?.initContainers ?? []) check(c);
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...new Set(missing.get(r))].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

const pretty = (list: Map<string, string>): string => [...list.keys()].sort().map((k) => `${k}=${list.get(k)}`).join(',');

const canonicalOr = (text: string): string => {
  const q = tryParse(text);
  return q ? format(q) : text;
};

/**
 * Checks `delta` against one quota's status; returns the new `status.used` or throws Forbidden with
 * upstream's `exceeded quota` message.
 */
function charge(a: AdmissionAttributes, q: ResourceQuota, delta: Map<string, Quantity>): ResourceList {
  const hard = (q.status?.hard ?? {}) as ResourceList;
  const used = { ...(q.status?.used ?? {}) } as ResourceList;
  const exceeded: string[] = [];
  for (const [name, d] of delta) {
    const next = add(fromField(used[name] ?? '0'), d);
    if (hard[name] !== undefined && cmp(next, parse(hard[name]!)) > 0) exceeded.push(name);
    used[name] = format(next);
  }
  if (exceeded.length) {
    const pick = (f: (n: string) => string) => new Map(exceeded.map((n) => [n, f(n)]));
    throw forbidden(a, `exceeded quota: ${q.metadata?.name}, requested: ${pretty(pick((n) => format(delta.get(n)!)))}, `
      + `used: ${pretty(pick((n) => canonicalOr(((q.status?.used ?? {}) as ResourceList)[n] ?? '0')))}, limited: ${pretty(pick((n) => canonicalOr(hard[n]!)))}`);
  }
  return used;
}

export function resourceQuotaAdmission(quotas: QuotaAccess): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    async validate(a) {
      if (a.operation !== 'CREATE' || a.subresource || !a.namespace || !a.object) return;
      const all = quotas.list(a.namespace);
      if (!all.length) return;
      const resource = a.entry.group ? `${a.entry.resource}.${a.entry.group}` : a.entry.resource;
      const plans: { quota: ResourceQuota; delta: Map<string, Quantity> }[] = [];
      try {
        for (const quota of all) {
          const name = quota.metadata?.name ?? '';
          const tracked = Object.keys((quota.status?.hard ?? {}) as ResourceList).filter((n) => tracks(resource, n)).sort();
          if (!tracked.length) continue;
          if (resource === 'pods') {
            const missing = podConstraints(a.object as Pod, tracked);
            if (missing) throw forbidden(a, `failed quota: ${name}: ${missing}`);
          }
          const used = (quota.status?.used ?? {}) as ResourceList;
          const unknown = tracked.filter((n) => used[n] === undefined);
          if (unknown.length) throw forbidden(a, `status unknown for quota: ${name}, resources: ${unknown.join(',')}`);
          const delta = objectUsage(resource, a.object, tracked);
          if (!delta.size) continue;
          charge(a, quota, delta); // refuse early on what the cache shows
          plans.push({ quota, delta });
        }
      } catch (err) {
        if (err instanceof QuantityError) return; // malformed quantities are left to validation (422)
        throw err;
      }
      if (a.dryRun) return;
      for (const { quota, delta } of plans) {
        await quotas.update(a.namespace, quota.metadata!.name!, (fresh) => {
          const used = charge(a, fresh, delta);
          return { ...fresh, status: { ...fresh.status, used } };
        });
      }
    },
  };
}
