/**
 * `NodeInfo`: one node and the aggregates the plugins read — the pods on it (and those with affinity), the
 * resources they request, the host ports they use, the images the node holds. The cache keeps it up to
 * date incrementally: adding or removing a pod adjusts the sums; nothing is recomputed per scheduling cycle.
 */
import type { Node, Taint } from './types.js';
import type { Labels } from '../util/selectors.js';
import { PodInfo, type HostPort } from './pod-info.js';
import { Resource } from './resource.js';

/** An image on some nodes: its size and on how many nodes it is (upstream's `ImageStateSummary`). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

const ANY_IP = '0.0.0.0';

/** Host ports in use on a node, by protocol/port then host IP, with use counts. */
export class HostPortInfo {
  private readonly used = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    const k = `${p.protocol}/${p.port}`;
    let ips = this.used.get(k);
    if (!ips) this.used.set(k, (ips = new Map()));
    ips.set(p.hostIP, (ips.get(p.hostIP) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const k = `${p.protocol}/${p.port}`;
    const ips = this.used.get(k);
    if (!ips) return;
    const n = (ips.get(p.hostIP) ?? 0) - 1;
    if (n > 0) ips.set(p.hostIP, n);
    else ips.delete(p.hostIP);
    if (ips.size === 0) this.used.delete(k);
  }

  /** Whether `p` collides: same protocol and port, and same host IP or either side is 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    const ips = this.used.get(`${p.protocol}/${p.port}`);
    if (!ips) return false;
    if (p.hostIP === ANY_IP) return ips.size > 0;
    return ips.has(p.hostIP) || ips.has(ANY_IP);
  }

  get size(): number {
    return this.used.size;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [k, ips] of this.used) c.used.set(k, new Map(ips));
    return c;
  }
}

let nextId = 0;

export class NodeInfo {
  /** A process-unique number, for per-node arrays. */
  readonly id = nextId++;
  node: Node | null = null;
  /** The node's name (kept when the node object is gone but pods still reference it). */
  name: string;
  labels: Labels = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  readonly pods: PodInfo[] = [];
  readonly podsWithAffinity: PodInfo[] = [];
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' requests. */
  requested = new Resource();
  /** Sum of the pods' CPU/memory requests with the scoring defaults for containers that ask for nothing. */
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  allocatable = new Resource();
  /** Images present on the node, sharing one summary per image across nodes. */
  imageStates = new Map<string, ImageStateSummary>();
  /** `namespace/claim` → pods on this node using it. */
  pvcRefCounts = new Map<string, number>();
  /** Bumped on every change. */
  generation = 0;

  constructor(name: string, node?: Node) {
    this.name = name;
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata?.name ?? this.name;
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = Resource.fromList(node.status?.allocatable as Record<string, string> | undefined);
    this.generation++;
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    if (p.hasAffinity()) this.podsWithAffinity.push(p);
    if (p.hasRequiredAntiAffinity()) this.podsWithRequiredAntiAffinity.push(p);
    this.account(p, 1);
  }

  /** Removes the pod with `p`'s key; returns whether it was there. */
  removePod(p: PodInfo): boolean {
    const i = indexOfKey(this.pods, p.key);
    if (i < 0) return false;
    const old = this.pods[i]!;
    swapRemove(this.pods, i);
    const a = indexOfKey(this.podsWithAffinity, p.key);
    if (a >= 0) swapRemove(this.podsWithAffinity, a);
    const r = indexOfKey(this.podsWithRequiredAntiAffinity, p.key);
    if (r >= 0) swapRemove(this.podsWithRequiredAntiAffinity, r);
    this.account(old, -1);
    return true;
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    if (sign > 0) this.requested.add(p.requests);
    else this.requested.sub(p.requests);
    this.nonZeroMilliCPU += sign * p.nonZeroMilliCPU;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    for (const hp of p.hostPorts) if (sign > 0) this.usedPorts.add(hp);
    else this.usedPorts.remove(hp);
    for (const c of p.pvcNames) {
      const k = `${p.namespace}/${c}`;
      const n = (this.pvcRefCounts.get(k) ?? 0) + sign;
      if (n > 0) this.pvcRefCounts.set(k, n);
      else this.pvcRefCounts.delete(k);
    }
    this.generation++;
  }

  /** An independent copy (pods shared, aggregates copied), for what-if evaluation such as preemption. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.pods.push(...this.pods);
    c.podsWithAffinity.push(...this.podsWithAffinity);
    c.podsWithRequiredAntiAffinity.push(...this.podsWithRequiredAntiAffinity);
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroMilliCPU = this.nonZeroMilliCPU;
    c.nonZeroMemory = this.nonZeroMemory;
    c.allocatable = this.allocatable;
    c.imageStates = this.imageStates;
    c.pvcRefCounts = new Map(this.pvcRefCounts);
    c.generation = this.generation;
    return c;
  }
}

function indexOfKey(list: PodInfo[], key: string): number {
  for (let i = 0; i < list.length; i++) if (list[i]!.key === key) return i;
  return -1;
}

function swapRemove<T>(list: T[], i: number): void {
  list[i] = list[list.length - 1]!;
  list.pop();
}
