/**
 * Builders for pods and nodes in scheduler tests (upstream's `st.MakePod()` / `st.MakeNode()`): short,
 * readable fixtures. Test-only helpers, shipped beside the code they exercise.
 */
import type { Node, Pod, Taint, Toleration } from '../framework/types.js';
import { NodeInfo } from '../framework/node-info.js';
import { PodInfo } from '../framework/pod-info.js';

let uid = 0;

export class PodBuilder {
  readonly pod: Pod;

  constructor(name: string, namespace = 'default') {
    this.pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: `uid-${name}-${++uid}`, labels: {} }, spec: { containers: [] }, status: { phase: 'Pending' } };
  }

  private get spec() {
    return this.pod.spec!;
  }

  label(k: string, v: string): this {
    this.pod.metadata!.labels![k] = v;
    return this;
  }

  /** A container with these requests (`{cpu: '1', memory: '1Gi'}`); name c<i>. */
  req(requests: Record<string, string>, image = 'busybox'): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image, resources: { requests } });
    return this;
  }

  initReq(requests: Record<string, string>, restartPolicy?: 'Always'): this {
    (this.spec.initContainers ??= []).push({ name: `i${this.spec.initContainers.length}`, image: 'busybox', resources: { requests }, ...(restartPolicy ? { restartPolicy } : {}) });
    return this;
  }

  overhead(o: Record<string, string>): this {
    this.spec.overhead = o;
    return this;
  }

  container(image: string): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image });
    return this;
  }

  hostPort(port: number, protocol = 'TCP', hostIP = ''): this {
    if (this.spec.containers.length === 0) this.container('busybox');
    const c = this.spec.containers[0]!;
    (c.ports ??= []).push({ containerPort: port, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) });
    return this;
  }

  node(name: string): this {
    this.spec.nodeName = name;
    return this;
  }

  nodeSelector(sel: Record<string, string>): this {
    this.spec.nodeSelector = sel;
    return this;
  }

  priority(p: number): this {
    this.spec.priority = p;
    return this;
  }

  toleration(t: Toleration): this {
    (this.spec.tolerations ??= []).push(t);
    return this;
  }

  nodeAffinityRequired(terms: { matchExpressions?: { key: string; operator: string; values?: string[] }[]; matchFields?: { key: string; operator: string; values?: string[] }[] }[]): this {
    this.affinity().nodeAffinity = { ...this.affinity().nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } };
    return this;
  }

  nodeAffinityPreferred(weight: number, key: string, operator: string, values?: string[]): this {
    const na = (this.affinity().nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions: [{ key, operator, values }] } });
    return this;
  }

  private affinity() {
    return (this.spec.affinity ??= {});
  }

  podAffinity(kind: 'affinity' | 'anti', topologyKey: string, matchLabels: Record<string, string>, weight?: number): this {
    const term = { topologyKey, labelSelector: { matchLabels } };
    const a = this.affinity();
    const block = kind === 'affinity' ? (a.podAffinity ??= {}) : (a.podAntiAffinity ??= {});
    if (weight === undefined) (block.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    else (block.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }

  spread(maxSkew: number, topologyKey: string, when: 'DoNotSchedule' | 'ScheduleAnyway', matchLabels: Record<string, string>, extra: { minDomains?: number; nodeTaintsPolicy?: 'Honor' | 'Ignore'; nodeAffinityPolicy?: 'Honor' | 'Ignore' } = {}): this {
    (this.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable: when, labelSelector: { matchLabels }, ...extra });
    return this;
  }

  pvc(claimName: string): this {
    (this.spec.volumes ??= []).push({ name: claimName, persistentVolumeClaim: { claimName } });
    return this;
  }

  startTime(iso: string): this {
    this.pod.status!.startTime = iso;
    return this;
  }

  obj(): Pod {
    return this.pod;
  }

  info(): PodInfo {
    return new PodInfo(this.pod);
  }
}

export class NodeBuilder {
  readonly node: Node;

  constructor(name: string) {
    this.node = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-node-${name}`, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' } } };
  }

  capacity(alloc: Record<string, string>): this {
    this.node.status!.allocatable = { ...this.node.status!.allocatable, ...alloc };
    return this;
  }

  label(k: string, v: string): this {
    this.node.metadata!.labels![k] = v;
    return this;
  }

  taint(t: Taint): this {
    (this.node.spec!.taints ??= []).push(t);
    return this;
  }

  unschedulable(): this {
    this.node.spec!.unschedulable = true;
    return this;
  }

  image(name: string, sizeBytes: number): this {
    (this.node.status!.images ??= []).push({ names: [name], sizeBytes });
    return this;
  }

  obj(): Node {
    return this.node;
  }

  /** A NodeInfo for this node with `pods` on it. */
  info(...pods: Pod[]): NodeInfo {
    const ni = new NodeInfo(this.node.metadata!.name!, this.node);
    for (const p of pods) ni.addPod(new PodInfo(p));
    return ni;
  }
}

export const makePod = (name: string, namespace?: string) => new PodBuilder(name, namespace);
export const makeNode = (name: string) => new NodeBuilder(name);
