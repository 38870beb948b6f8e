/**
 * The scheduler's cache (upstream's `internal/cache`): one `NodeInfo` per node, kept up to date
 * incrementally from pod and node events, plus the pods the scheduler has *assumed* onto a node before
 * the API has confirmed the binding.
 *
 * Assume-then-confirm: after choosing a node the scheduler calls `assumePod`, so the next cycle already
 * sees the node's resources taken. When the pod's bound version arrives (`addPod`), the assumption is
 * confirmed (and moved if the API says another node). `forgetPod` undoes a failed binding. An assumed
 * pod whose binding finished but was never confirmed expires after `ttlMs` (0: never), as upstream.
 *
 * The cache is also the scheduling cycle's snapshot (`NodeInfoLister`): JavaScript runs a scheduling
 * cycle to completion without interleaving events, so the live cache is a consistent view and no copy
 * is taken. Lists are rebuilt lazily only when the node set (or the set of nodes with affinity pods)
 * changes.
 */
import type { NodeInfoLister } from '../framework/interface.js';
import { NodeInfo, type ImageStateSummary } from '../framework/node-info.js';
import { PodInfo } from '../framework/pod-info.js';
import type { Node, Pod } from '../framework/types.js';
import type { Clock } from '../util/clock.js';
import { normalizedImageName } from '../plugins/image-locality/image-locality.js';
import { SpreadCounters, type SpreadCountRequest } from './spread-counters.js';

interface PodState {
  podInfo: PodInfo;
  nodeName: string;
  assumed: boolean;
  bindingFinished: boolean;
  /** Expiry of an assumed pod whose binding finished (ms since epoch), or Infinity. */
  deadline: number;
}

export class SchedulerCache implements NodeInfoLister {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly imageStates = new Map<string, { summary: ImageStateSummary; nodes: Set<string> }>();
  private nodeList: NodeInfo[] | null = null;
  private affinityList: NodeInfo[] | null = null;
  private antiAffinityList: NodeInfo[] | null = null;
  private readonly spread = new SpreadCounters();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 0,
  ) {}

  // ---- NodeInfoLister ----

  list(): readonly NodeInfo[] {
    if (!this.nodeList) this.nodeList = [...this.nodes.values()].filter((n) => n.node !== null);
    return this.nodeList;
  }

  get(nodeName: string): NodeInfo | undefined {
    const n = this.nodes.get(nodeName);
    return n && n.node ? n : undefined;
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    if (!this.affinityList) this.affinityList = this.list().filter((n) => n.podsWithAffinity.length > 0);
    return this.affinityList;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    if (!this.antiAffinityList) this.antiAffinityList = this.list().filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    return this.antiAffinityList;
  }

  spreadCounts(req: SpreadCountRequest): ReadonlyMap<string, number> {
    return this.spread.get(req, this.list());
  }

  spreadCountsPerNode(req: SpreadCountRequest): readonly number[] {
    return this.spread.perNode(req, this.list());
  }

  imageState(image: string): ImageStateSummary | undefined {
    return this.imageStates.get(image)?.summary;
  }

  nodeCount(): number {
    return this.list().length;
  }

  podCount(): number {
    return this.podStates.size;
  }

  // ---- pods ----

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(uidOf(pod))?.assumed === true;
  }

  /** The pod as the cache knows it (assumed or confirmed). */
  getPod(pod: Pod): PodInfo | undefined {
    return this.podStates.get(uidOf(pod))?.podInfo;
  }

  /** Places `podInfo` (whose spec.nodeName is the chosen node) on its node before the binding is confirmed. */
  assumePod(podInfo: PodInfo): void {
    const uid = podInfo.uid;
    if (this.podStates.has(uid)) throw new Error(`pod ${podInfo.key} (${uid}) is in the cache, so can't be assumed`);
    this.addToNode(podInfo);
    this.podStates.set(uid, { podInfo, nodeName: podInfo.nodeName, assumed: true, bindingFinished: false, deadline: Infinity });
  }

  /** The binding call returned: start the expiry clock of the assumption (if a TTL is set). */
  finishBinding(pod: Pod): void {
    const st = this.podStates.get(uidOf(pod));
    if (!st || !st.assumed) return;
    st.bindingFinished = true;
    st.deadline = this.ttlMs > 0 ? this.clock.now() + this.ttlMs : Infinity;
  }

  /** Undoes an assumption (binding failed). */
  forgetPod(pod: Pod): void {
    const uid = uidOf(pod);
    const st = this.podStates.get(uid);
    if (!st || !st.assumed) return;
    this.removeFromNode(st.podInfo, st.nodeName);
    this.podStates.delete(uid);
  }

  /** A pod with spec.nodeName arrived (or was listed): confirm an assumption, or add it. */
  addPod(pod: Pod): void {
    const uid = uidOf(pod);
    const st = this.podStates.get(uid);
    const info = new PodInfo(pod);
    if (st && st.assumed) {
      this.removeFromNode(st.podInfo, st.nodeName);
      this.addToNode(info);
      this.podStates.set(uid, { podInfo: info, nodeName: info.nodeName, assumed: false, bindingFinished: false, deadline: Infinity });
      return;
    }
    if (st) {
      this.updatePod(st.podInfo.pod, pod);
      return;
    }
    this.addToNode(info);
    this.podStates.set(uid, { podInfo: info, nodeName: info.nodeName, assumed: false, bindingFinished: false, deadline: Infinity });
  }

  updatePod(_oldPod: Pod, newPod: Pod): void {
    const uid = uidOf(newPod);
    const st = this.podStates.get(uid);
    if (!st || st.assumed) {
      // An update of a pod we have not seen as bound (or still assume): treat as add/confirm.
      this.addPod(newPod);
      return;
    }
    this.removeFromNode(st.podInfo, st.nodeName);
    const info = new PodInfo(newPod);
    this.addToNode(info);
    this.podStates.set(uid, { podInfo: info, nodeName: info.nodeName, assumed: false, bindingFinished: false, deadline: Infinity });
  }

  removePod(pod: Pod): void {
    const uid = uidOf(pod);
    const st = this.podStates.get(uid);
    if (!st) return;
    this.removeFromNode(st.podInfo, st.nodeName);
    this.podStates.delete(uid);
  }

  /** Drops assumed pods whose binding finished longer than the TTL ago without confirmation. */
  cleanupAssumedPods(now = this.clock.now()): number {
    let n = 0;
    for (const [uid, st] of this.podStates) {
      if (st.assumed && st.bindingFinished && st.deadline <= now) {
        this.removeFromNode(st.podInfo, st.nodeName);
        this.podStates.delete(uid);
        n++;
      }
    }
    return n;
  }

  private addToNode(info: PodInfo): void {
    let n = this.nodes.get(info.nodeName);
    if (!n) {
      // A pod can arrive before its node; keep a placeholder NodeInfo (not listed until the node arrives).
      n = new NodeInfo(info.nodeName);
      this.nodes.set(info.nodeName, n);
    }
    n.addPod(info);
    if (n.node) this.spread.podChanged(info, n, 1);
    if (info.hasAffinity()) this.affinityList = null;
    if (info.hasRequiredAntiAffinity()) this.antiAffinityList = null;
  }

  private removeFromNode(info: PodInfo, nodeName: string): void {
    const n = this.nodes.get(nodeName);
    if (!n) return;
    if (n.removePod(info) && n.node) this.spread.podChanged(info, n, -1);
    if (info.hasAffinity()) this.affinityList = null;
    if (info.hasRequiredAntiAffinity()) this.antiAffinityList = null;
    if (!n.node && n.pods.length === 0) this.nodes.delete(nodeName);
  }

  // ---- nodes ----

  addNode(node: Node): NodeInfo {
    const name = node.metadata?.name ?? '';
    let n = this.nodes.get(name);
    if (!n) {
      n = new NodeInfo(name);
      this.nodes.set(name, n);
    } else {
      this.removeNodeImages(n);
    }
    const wasListed = n.node !== null;
    if (!wasListed || !sameLabels(n.labels, node.metadata?.labels ?? {})) this.spread.reset();
    n.setNode(node);
    this.addNodeImages(n, node);
    if (!wasListed) this.invalidateLists();
    return n;
  }

  updateNode(_oldNode: Node, newNode: Node): NodeInfo {
    return this.addNode(newNode);
  }

  /** Removes the node; its NodeInfo lingers (unlisted) while pods still reference it, as upstream. */
  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const n = this.nodes.get(name);
    if (!n) return;
    this.removeNodeImages(n);
    n.node = null;
    n.generation++;
    if (n.pods.length === 0) this.nodes.delete(name);
    this.invalidateLists();
  }

  private invalidateLists(): void {
    this.spread.reset();
    this.nodeList = null;
    this.affinityList = null;
    this.antiAffinityList = null;
  }

  private addNodeImages(n: NodeInfo, node: Node): void {
    const states = new Map<string, ImageStateSummary>();
    for (const img of node.status?.images ?? []) {
      for (const raw of img.names ?? []) {
        const name = normalizedImageName(raw);
        let st = this.imageStates.get(name);
        if (!st) this.imageStates.set(name, (st = { summary: { size: img.sizeBytes ?? 0, numNodes: 0 }, nodes: new Set() }));
        if (!st.nodes.has(n.name)) {
          st.nodes.add(n.name);
          st.summary.numNodes = st.nodes.size;
        }
        states.set(name, st.summary);
      }
    }
    n.imageStates = states;
  }

  private removeNodeImages(n: NodeInfo): void {
    for (const name of n.imageStates.keys()) {
      const st = this.imageStates.get(name);
      if (!st) continue;
      st.nodes.delete(n.name);
      st.summary.numNodes = st.nodes.size;
      if (st.nodes.size === 0) this.imageStates.delete(name);
    }
    n.imageStates = new Map();
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function uidOf(pod: Pod): string {
  return pod.metadata?.uid ?? `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}
