/**
 * LimitRanger: the namespace's LimitRanges applied to new pods, as upstream's plugin does.
 * - mutate: containers missing a request or limit get the `Container` item's `defaultRequest` / `default`
 *   (with the LimitRange defaulting rules: default ← max, defaultRequest ← default ← min), and the pod is
 *   annotated `kubernetes.io/limit-ranger` with what was set;
 * - validate: `min`, `max` and `maxLimitRequestRatio` for each container (type `Container`) and for the
 *   pod's summed requests/limits (type `Pod`); violations are 403 Forbidden with upstream's messages.
 * Pod updates are not checked: containers' resources cannot change after creation (upstream's reasoning).
 */
import { canonical, formatMilli, parse, QuantityError, tryParse } from '../../api/resource/quantity.js';
import type { Container, LimitRange, Pod } from '../../api/types.js';
import { qosClass } from '../registry/strategies/pods.js';
import { type AdmissionAttributes, type AdmissionPlugin, aggregate, forbidden } from './admission.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

/** The LimitRanges of one namespace (from the watch cache). */
export type LimitRangeLookup = (namespace: string) => LimitRange[];

type ResourceList = Record<string, string>;
interface LimitItem { type: string; min?: ResourceList; max?: ResourceList; default?: ResourceList; defaultRequest?: ResourceList; maxLimitRequestRatio?: ResourceList }

const items = (lr: LimitRange): LimitItem[] => (lr.spec?.limits ?? []) as unknown as LimitItem[];

/** A Container item's effective defaults (upstream's `SetDefaults_LimitRangeItem`). */
export function containerDefaults(item: LimitItem): { limits: ResourceList; requests: ResourceList } {
  const limits: ResourceList = { ...item.default };
  for (const [k, v] of Object.entries(item.max ?? {})) limits[k] ??= v;
  const requests: ResourceList = { ...item.defaultRequest };
  for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
  for (const [k, v] of Object.entries(item.min ?? {})) requests[k] ??= v;
  return { limits, requests };
}

function applyDefaults(c: Container, d: { limits: ResourceList; requests: ResourceList }, prefix: string, notes: string[]): void {
  const res = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(d.limits)) {
    const limits = (res.limits ??= {}) as ResourceList;
    if (limits[k] === undefined) { limits[k] = v; setLimits.push(k); }
  }
  for (const [k, v] of Object.entries(d.requests)) {
    const requests = (res.requests ??= {}) as ResourceList;
    if (requests[k] === undefined) { requests[k] = v; setRequests.push(k); }
  }
  if (res.limits && Object.keys(res.limits).length === 0) delete res.limits;
  if (res.requests && Object.keys(res.requests).length === 0) delete res.requests;
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
}

/** Defaults every container of `pod` from the LimitRanges' Container items (the first to name a resource wins). */
export function defaultPod(pod: Pod, ranges: LimitRange[]): void {
  const notes: string[] = [];
  for (const lr of ranges) {
    for (const item of items(lr)) {
      if (item.type !== 'Container') continue;
      const d = containerDefaults(item);
      for (const c of pod.spec?.containers ?? []) applyDefaults(c, d, 'container', notes);
      for (const c of pod.spec?.initContainers ?? []) applyDefaults(c, d, 'init container', notes);
    }
  }
  if (notes.length) {
    pod.metadata ??= {};
    pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
}

// ---- validation: requests and limits held as quantity texts, compared in thousandths ----

const milli = (text: string): bigint => parse(text).milli;

function minConstraint(type: string, name: string, enforced: string, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  const e = milli(enforced);
  if (req === undefined) return `minimum ${name} usage per ${type} is ${canonical(enforced)}.  No request is specified`;
  if (milli(req) < e) return `minimum ${name} usage per ${type} is ${canonical(enforced)}, but request is ${canonical(req)}`;
  if (lim !== undefined && milli(lim) < e) return `minimum ${name} usage per ${type} is ${canonical(enforced)}, but limit is ${canonical(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: string, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  const e = milli(enforced);
  if (lim === undefined) return `maximum ${name} usage per ${type} is ${canonical(enforced)}.  No limit is specified`;
  if (milli(lim) > e) return `maximum ${name} usage per ${type} is ${canonical(enforced)}, but limit is ${canonical(lim)}`;
  if (req !== undefined && milli(req) > e) return `maximum ${name} usage per ${type} is ${canonical(enforced)}, but request is ${canonical(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: string, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name] === undefined ? 0n : milli(requests[name]!);
  const lim = limits[name] === undefined ? 0n : milli(limits[name]!);
  if (req === 0n) return `${name} max limit to request ratio per ${type} is ${canonical(enforced)}, but no request is specified or request is 0`;
  if (lim === 0n) return `${name} max limit to request ratio per ${type} is ${canonical(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(lim) / Number(req);
  if (ratio * 1000 > Number(milli(enforced))) return `${name} max limit to request ratio per ${type} is ${canonical(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkItem(item: LimitItem, type: string, requests: ResourceList, limits: ResourceList, out: string[]): void {
  for (const [k, v] of Object.entries(item.min ?? {})) { const e = minConstraint(type, k, v, requests, limits); if (e) out.push(e); }
  for (const [k, v] of Object.entries(item.max ?? {})) { const e = maxConstraint(type, k, v, requests, limits); if (e) out.push(e); }
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) { const e = ratioConstraint(type, k, v, requests, limits); if (e) out.push(e); }
}

/**
 * The pod's requests or limits as upstream's LimitRanger sums them: a resource counts only when every
 * container names it; an init container larger than the sum raises it. Written as DecimalSI quantities.
 */
function podTotal(pod: Pod, kind: 'requests' | 'limits'): ResourceList {
  const containers = pod.spec?.containers ?? [];
  const lists = containers.map((c) => (c.resources?.[kind] ?? {}) as ResourceList);
  const totals = new Map<string, bigint>();
  const keys = new Set(lists.flatMap((l) => Object.keys(l)));
  for (const k of keys) {
    if (!lists.every((l) => l[k] !== undefined)) continue;
    totals.set(k, lists.reduce((n, l) => n + milli(l[k]!), 0n));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries((c.resources?.[kind] ?? {}) as ResourceList)) {
      const m = milli(v);
      if (m > (totals.get(k) ?? 0n)) totals.set(k, m);
    }
  }
  const out: ResourceList = {};
  for (const [k, m] of totals) out[k] = formatMilli(k === 'cpu' ? m : roundUpUnits(m), 'DecimalSI');
  return out;
}

/** Non-CPU pod totals are whole units (upstream sums `Value()`). */
const roundUpUnits = (m: bigint): bigint => (m % 1000n === 0n ? m : (m / 1000n + (m > 0n ? 1n : 0n)) * 1000n);

/** Every violation of `ranges` by `pod`, in upstream's words. */
export function podViolations(pod: Pod, ranges: LimitRange[]): string[] {
  const out: string[] = [];
  for (const lr of ranges) {
    for (const item of items(lr)) {
      if (item.type === 'Container') {
        for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
          checkItem(item, 'Container', (c.resources?.requests ?? {}) as ResourceList, (c.resources?.limits ?? {}) as ResourceList, out);
        }
      } else if (item.type === 'Pod') {
        checkItem(item, 'Pod', podTotal(pod, 'requests'), podTotal(pod, 'limits'), out);
      }
    }
  }
  return out;
}

const applies = (a: AdmissionAttributes): boolean =>
  a.entry.resource === 'pods' && !a.entry.group && a.operation === 'CREATE' && !a.subresource && Boolean(a.namespace);

/** True when every quantity the checks read is well-formed (malformed ones are left to validation). */
function wellFormed(pod: Pod): boolean {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const list of [c.resources?.requests, c.resources?.limits]) {
      for (const v of Object.values((list ?? {}) as ResourceList)) if (typeof v !== 'string' || !tryParse(v)) return false;
    }
  }
  return true;
}

export function limitRanger(lookup: LimitRangeLookup): AdmissionPlugin {
  return {
    name: 'LimitRanger',
    mutate(a) {
      if (!applies(a)) return;
      const ranges = lookup(a.namespace);
      if (!ranges.length) return;
      const pod = a.object as Pod;
      defaultPod(pod, ranges);
      // The pod strategy classified the pod before admission; the defaults may change its class.
      if (pod.status?.qosClass) pod.status.qosClass = qosClass(pod.spec);
    },
    validate(a) {
      if (!applies(a)) return;
      const ranges = lookup(a.namespace);
      const pod = a.object as Pod;
      if (!ranges.length || !wellFormed(pod)) return;
      let errs: string[];
      try {
        errs = podViolations(pod, ranges);
      } catch (err) {
        if (err instanceof QuantityError) return; // a malformed LimitRange value: nothing to enforce
        throw err;
      }
      if (errs.length) throw forbidden(a, aggregate(errs));
    },
  };
}
