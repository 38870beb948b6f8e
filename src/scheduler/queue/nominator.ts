/**
 * Which pods are nominated to which node (upstream's `nominator`): a pod that preempted others waits for
 * its victims to go, and until it is scheduled the framework counts it as already on that node when it
 * evaluates pods of lower or equal priority, so they do not take the room it made.
 */
import type { PodNominator } from '../framework/interface.js';
import type { PodInfo } from '../framework/pod-info.js';

export class Nominator implements PodNominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** Nominates the pod to `nodeName` ('' uses the pod's status.nominatedNodeName; none removes it). */
  add(pod: PodInfo, nodeName = ''): void {
    this.delete(pod.key);
    const node = nodeName || pod.pod.status?.nominatedNodeName || '';
    if (!node) return;
    this.nodeOf.set(pod.key, node);
    const list = this.byNode.get(node);
    if (list) list.push(pod);
    else this.byNode.set(node, [pod]);
  }

  delete(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const list = this.byNode.get(node)!.filter((p) => p.key !== key);
    if (list.length) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  /** Replaces the nominated pod's info, keeping (or taking from the new version) its node. */
  update(oldKey: string, pod: PodInfo): void {
    const node = pod.pod.status?.nominatedNodeName || this.nodeOf.get(oldKey) || '';
    this.delete(oldKey);
    if (node) this.add(pod, node);
  }

  nominatedNodeOf(key: string): string | undefined {
    return this.nodeOf.get(key);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    if (this.byNode.size === 0) return EMPTY;
    return this.byNode.get(nodeName) ?? EMPTY;
  }
}

const EMPTY: readonly PodInfo[] = [];
