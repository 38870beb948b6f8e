/**
 * An in-memory cluster that is both a `SchedulerEventSource` and a `SchedulerSink`: binding sets
 * spec.nodeName and echoes a MODIFIED event, eviction deletes the pod, condition updates are written to
 * the stored pod — what the API server and informers do, without them. For scheduler tests and the
 * framework micro-benchmark.
 */
import type { Node, Pod, PodCondition } from '../framework/types.js';
import { podKey } from '../framework/pod-info.js';
import type { SchedulerEvent, SchedulerEventSource, SchedulerRecordedEvent, SchedulerSink } from '../sources.js';

export class FakeCluster implements SchedulerEventSource, SchedulerSink {
  readonly pods = new Map<string, Pod>();
  readonly nodes = new Map<string, Node>();
  readonly events: SchedulerRecordedEvent[] = [];
  readonly bindings: { pod: string; node: string }[] = [];
  readonly evictions: string[] = [];
  private handler: ((ev: SchedulerEvent) => void) | null = null;
  /** When set, `bind` rejects with this error. */
  bindError: Error | null = null;
  /** Called on each bind (after it took effect). */
  onBind: ((pod: Pod, nodeName: string) => void) | null = null;
  /** Deliver the pod update a binding causes (like a watch would). */
  echoBindings = true;

  subscribe(handler: (ev: SchedulerEvent) => void): () => void {
    this.handler = handler;
    for (const n of this.nodes.values()) handler({ kind: 'Node', type: 'ADDED', object: n });
    for (const p of this.pods.values()) handler({ kind: 'Pod', type: 'ADDED', object: p });
    return () => {
      this.handler = null;
    };
  }

  async synced(): Promise<void> {}

  private emit(ev: SchedulerEvent): void {
    this.handler?.(ev);
  }

  addNode(node: Node): void {
    this.nodes.set(node.metadata!.name!, node);
    this.emit({ kind: 'Node', type: 'ADDED', object: node });
  }

  updateNode(node: Node): void {
    const old = this.nodes.get(node.metadata!.name!);
    this.nodes.set(node.metadata!.name!, node);
    this.emit({ kind: 'Node', type: 'MODIFIED', object: node, oldObject: old });
  }

  addPod(pod: Pod): void {
    this.pods.set(podKey(pod), pod);
    this.emit({ kind: 'Pod', type: 'ADDED', object: pod });
  }

  deletePod(key: string): void {
    const pod = this.pods.get(key);
    if (!pod) return;
    this.pods.delete(key);
    this.emit({ kind: 'Pod', type: 'DELETED', object: pod });
  }

  emitObject(kind: SchedulerEvent['kind'], type: SchedulerEvent['type'], object: unknown): void {
    this.emit({ kind, type, object });
  }

  // ---- sink ----

  async bind(pod: Pod, nodeName: string): Promise<void> {
    if (this.bindError) throw this.bindError;
    const key = podKey(pod);
    const cur = this.pods.get(key);
    if (!cur) throw new Error(`pods "${pod.metadata?.name}" not found`);
    if (cur.spec?.nodeName) throw new Error(`pod ${key} is already assigned to node "${cur.spec.nodeName}"`);
    const bound: Pod = { ...cur, spec: { ...cur.spec!, nodeName }, status: { ...cur.status, conditions: [{ type: 'PodScheduled', status: 'True' }] } };
    this.pods.set(key, bound);
    this.bindings.push({ pod: key, node: nodeName });
    if (this.echoBindings) this.emit({ kind: 'Pod', type: 'MODIFIED', object: bound, oldObject: cur });
    this.onBind?.(bound, nodeName);
  }

  async evict(pod: Pod): Promise<void> {
    const key = podKey(pod);
    this.evictions.push(key);
    this.deletePod(key);
  }

  recordEvent(ev: SchedulerRecordedEvent): void {
    this.events.push(ev);
  }

  async updatePodCondition(pod: Pod, condition: PodCondition | null, nominatedNodeName?: string): Promise<void> {
    const key = podKey(pod);
    const cur = this.pods.get(key);
    if (!cur) throw new Error(`pods "${pod.metadata?.name}" not found`);
    const conditions = (cur.status?.conditions ?? []).filter((c) => !condition || c.type !== condition.type);
    if (condition) conditions.push(condition);
    const status = { ...cur.status, conditions };
    if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName || undefined;
    const next: Pod = { ...cur, status };
    this.pods.set(key, next);
    this.emit({ kind: 'Pod', type: 'MODIFIED', object: next, oldObject: cur });
  }

  /** The pod as stored now. */
  pod(key: string): Pod | undefined {
    return this.pods.get(key);
  }

  condition(key: string, type = 'PodScheduled'): PodCondition | undefined {
    return this.pods.get(key)?.status?.conditions?.find((c) => c.type === type);
  }
}
