/**
 * Resource arithmetic for scheduling (upstream's `framework.Resource` and `resource.PodRequests`): CPU in
 * millicores, memory and ephemeral storage in bytes, a pod count, and "scalar" resources (extended
 * resources, hugepages) by name.
 */
import type { Container, Pod } from '../../api/types.js';
import { milliValue, value } from '../../api/resource/quantity.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Requests assumed for scoring when a container asks for nothing (upstream's `DefaultMilliCPURequest`). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** 200 MiB (upstream's `DefaultMemoryRequest`). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended resources and hugepages; null while there are none (the common case). */
  scalar: Map<string, number> | null = null;

  add(r: Resource): void {
    this.milliCPU += r.milliCPU;
    this.memory += r.memory;
    this.ephemeralStorage += r.ephemeralStorage;
    this.allowedPodNumber += r.allowedPodNumber;
    if (r.scalar) for (const [k, v] of r.scalar) this.addScalar(k, v);
  }

  sub(r: Resource): void {
    this.milliCPU -= r.milliCPU;
    this.memory -= r.memory;
    this.ephemeralStorage -= r.ephemeralStorage;
    this.allowedPodNumber -= r.allowedPodNumber;
    if (r.scalar) for (const [k, v] of r.scalar) this.addScalar(k, -v);
  }

  addScalar(name: string, v: number): void {
    if (!this.scalar) this.scalar = new Map();
    this.scalar.set(name, (this.scalar.get(name) ?? 0) + v);
  }

  getScalar(name: string): number {
    return this.scalar?.get(name) ?? 0;
  }

  /** The amount of one named resource. */
  get(name: string): number {
    switch (name) {
      case CPU:
        return this.milliCPU;
      case MEMORY:
        return this.memory;
      case EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case PODS:
        return this.allowedPodNumber;
      default:
        return this.getScalar(name);
    }
  }

  /** Sets each resource to the larger of this and `r` (the init-container rule). */
  setMax(r: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, r.milliCPU);
    this.memory = Math.max(this.memory, r.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, r.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, r.allowedPodNumber);
    if (r.scalar) for (const [k, v] of r.scalar) if (v > this.getScalar(k)) (this.scalar ??= new Map()).set(k, v);
  }

  isZero(): boolean {
    if (this.milliCPU !== 0 || this.memory !== 0 || this.ephemeralStorage !== 0) return false;
    if (this.scalar) for (const v of this.scalar.values()) if (v !== 0) return false;
    return true;
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  /** A resource list (`{cpu: "2", memory: "4Gi", pods: "110", ...}`). */
  static fromList(list: Readonly<Record<string, string>> | undefined): Resource {
    const r = new Resource();
    if (!list) return r;
    for (const name in list) {
      const q = list[name];
      switch (name) {
        case CPU:
          r.milliCPU = milliValue(q);
          break;
        case MEMORY:
          r.memory = value(q);
          break;
        case EPHEMERAL_STORAGE:
          r.ephemeralStorage = value(q);
          break;
        case PODS:
          r.allowedPodNumber = value(q);
          break;
        default:
          if (isScalarResourceName(name)) r.addScalar(name, value(q));
      }
    }
    return r;
  }
}

/** Extended resources (`example.com/gpu`), hugepages and attachable volumes; not cpu/memory/storage/pods. */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  if (name.startsWith('requests.')) return false;
  const slash = name.indexOf('/');
  if (slash < 0) return false;
  const domain = name.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = Resource.fromList(c.resources?.requests as Record<string, string> | undefined);
  if (nonZero) {
    const req = c.resources?.requests as Record<string, string> | undefined;
    if (!req || req[CPU] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!req || req[MEMORY] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * `resource.PodRequests`: the sum of the app containers, raised to the largest init container (where each
 * regular init container also counts the restartable "sidecar" init containers started before it, and
 * sidecars run alongside the app containers), plus the pod overhead. With `nonZero`, a container that
 * requests no CPU or memory counts the scheduler's defaults (100m, 200Mi), as scoring does.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const spec = pod.spec;
  const total = new Resource();
  if (!spec) return total;
  for (const c of spec.containers ?? []) total.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      sidecars.add(r);
      initMax.setMax(sidecars);
    } else {
      const withSidecars = r.clone();
      withSidecars.add(sidecars);
      initMax.setMax(withSidecars);
    }
  }
  total.add(sidecars);
  total.setMax(initMax);
  if (spec.overhead) total.add(Resource.fromList(spec.overhead as Record<string, string>));
  return total;
}
