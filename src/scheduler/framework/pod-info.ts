/**
 * `PodInfo`: a pod plus everything the plugins would otherwise recompute for it on every node — its
 * requests, its parsed affinity terms, its host ports, its claims. Built once when the pod enters the
 * queue or the cache (upstream's `framework.PodInfo`).
 */
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from './types.js';
import { compileLabelSelector, type LabelMatcher, type Labels } from '../util/selectors.js';
import { podRequests, Resource } from './resource.js';

/** A pod affinity term with its selectors compiled (upstream's `framework.AffinityTerm`). */
export interface AffinityTerm {
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  /** Explicit namespaces (the pod's own namespace when neither namespaces nor a namespaceSelector is set). */
  readonly namespaces: ReadonlySet<string>;
  /** Matches namespaces by their labels; null when the term has no namespaceSelector. */
  readonly namespaceSelector: LabelMatcher | null;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  readonly port: number;
}

/** Looks up a namespace's labels, for namespaceSelector terms; undefined when the namespace is unknown. */
export type NamespaceLabels = (namespace: string) => Labels | undefined;

/** Whether `term` selects `pod` (namespace, then labels). */
export function termMatches(term: AffinityTerm, pod: PodInfo, nsLabels: NamespaceLabels | undefined): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    if (term.namespaceSelector === null) return false;
    if (!term.namespaceSelector(nsLabels?.(pod.namespace) ?? {})) return false;
  }
  return term.selector(pod.labels);
}

function affinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  let selector = compileLabelSelector(t.labelSelector);
  const matchKeys = t.matchLabelKeys ?? [];
  const mismatchKeys = t.mismatchLabelKeys ?? [];
  if (t.labelSelector && (matchKeys.length > 0 || mismatchKeys.length > 0)) {
    const own = pod.metadata?.labels ?? {};
    const base = selector;
    const eq = matchKeys.filter((k) => k in own).map((k) => [k, own[k]!] as const);
    const ne = mismatchKeys.filter((k) => k in own).map((k) => [k, own[k]!] as const);
    selector = (labels) => {
      if (!base(labels)) return false;
      for (const [k, v] of eq) if (labels?.[k] !== v) return false;
      for (const [k, v] of ne) if (labels !== undefined && k in labels && labels[k] === v) return false;
      return true;
    };
  }
  const namespaces = new Set(t.namespaces ?? []);
  const namespaceSelector = t.namespaceSelector ? compileLabelSelector(t.namespaceSelector) : null;
  if (namespaces.size === 0 && namespaceSelector === null) namespaces.add(pod.metadata?.namespace ?? 'default');
  return { topologyKey: t.topologyKey, selector, namespaces, namespaceSelector };
}

function weighted(pod: Pod, w: WeightedPodAffinityTerm): WeightedAffinityTerm {
  return { ...affinityTerm(pod, w.podAffinityTerm), weight: w.weight };
}

/** `namespace/name`, the key the queue, the cache and the nominator use. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

export class PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly priority: number;
  /** `resource.PodRequests`: what NodeResourcesFit checks. */
  readonly requests: Resource;
  /** CPU and memory with the scheduler's non-zero defaults, what scoring uses. */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  readonly hostPorts: readonly HostPort[];
  /** Names of the PersistentVolumeClaims its volumes use. */
  readonly pvcNames: readonly string[];

  constructor(readonly pod: Pod) {
    this.key = podKey(pod);
    this.namespace = pod.metadata?.namespace ?? 'default';
    this.labels = pod.metadata?.labels ?? {};
    this.priority = pod.spec?.priority ?? 0;
    this.requests = podRequests(pod);
    const nz = podRequests(pod, true);
    this.nonZeroMilliCPU = nz.milliCPU;
    this.nonZeroMemory = nz.memory;
    const aff = pod.spec?.affinity;
    this.requiredAffinityTerms = (aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
    this.requiredAntiAffinityTerms = (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(pod, t));
    this.preferredAffinityTerms = (aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => weighted(pod, t));
    this.preferredAntiAffinityTerms = (aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => weighted(pod, t));
    const ports: HostPort[] = [];
    for (const c of pod.spec?.containers ?? []) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        ports.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
    this.hostPorts = ports;
    this.pvcNames = (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
  }

  get name(): string {
    return this.pod.metadata?.name ?? '';
  }

  get uid(): string {
    return this.pod.metadata?.uid ?? this.key;
  }

  get nodeName(): string {
    return this.pod.spec?.nodeName ?? '';
  }

  /** The same pod placed on `nodeName` (spec.nodeName set), sharing every parsed field; for assuming. */
  withNodeName(nodeName: string): PodInfo {
    const pod: Pod = { ...this.pod, spec: { ...this.pod.spec!, nodeName } };
    const c = Object.create(PodInfo.prototype) as PodInfo;
    Object.assign(c, this, { pod });
    return c;
  }

  hasAffinity(): boolean {
    return this.requiredAffinityTerms.length + this.requiredAntiAffinityTerms.length + this.preferredAffinityTerms.length + this.preferredAntiAffinityTerms.length > 0;
  }

  hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
  }

  /** When the pod started (status.startTime), or its creation time; for ordering preemption victims. */
  startTime(): number {
    const t = this.pod.status?.startTime ?? this.pod.metadata?.creationTimestamp;
    return t ? Date.parse(t) : 0;
  }
}
