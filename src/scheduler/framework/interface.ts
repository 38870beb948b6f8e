/**
 * The scheduling framework's extension points (upstream's `framework/interface.go`). A plugin implements
 * only the points it needs; each point is one narrow method. Everything in the scheduling cycle
 * (PreFilter → Filter → PostFilter → PreScore → Score → NormalizeScore → Reserve) is synchronous: the
 * cluster view cannot change under it. Only the binding cycle (PreBind → Bind) is asynchronous.
 */
import type { Clock } from '../util/clock.js';
import type { Labels } from '../util/selectors.js';
import type { ClusterEventWithHint } from './events.js';
import type { ImageStateSummary, NodeInfo } from './node-info.js';
import type { SpreadCountRequest } from '../cache/spread-counters.js';
import type { PodInfo } from './pod-info.js';
import type { Result, Status } from './status.js';
import type { LabelSelector, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget } from './types.js';

/** Per-cycle scratch space: PreFilter/PreScore write what Filter/Score read, keyed by plugin. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run. */
  readonly skipScorePlugins = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** A copy whose entries can be changed without touching this one (entries with `clone()` are cloned). */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cl = (v as { clone?: () => unknown } | null)?.clone;
      c.data.set(k, typeof cl === 'function' ? cl.call(v) : v);
    }
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}

/** The consistent view of the cluster a scheduling cycle works on (upstream's `SharedLister`). */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes with at least one pod that has (anti-)affinity terms. */
  havePodsWithAffinityList(): readonly NodeInfo[];
  /** Nodes with at least one pod that has required anti-affinity terms. */
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  /** An image's size and how many nodes hold it (name normalized with a tag), if any node does. */
  imageState(image: string): ImageStateSummary | undefined;
  /**
   * Optional: matching-pod counts per topology domain over the listed nodes, kept incrementally
   * (read-only; valid for the current cycle). Without it, plugins scan the nodes.
   */
  spreadCounts?(req: SpreadCountRequest): ReadonlyMap<string, number>;
  /** Optional, alongside `spreadCounts`: the same counts per node, indexed by `NodeInfo.id`. */
  spreadCountsPerNode?(req: SpreadCountRequest): readonly number[];
}

/** Read access to the other objects some plugins consult. Every method may return undefined/[] when unknown. */
export interface ObjectListers {
  getPersistentVolumeClaim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  getPersistentVolume(name: string): PersistentVolume | undefined;
  listPodDisruptionBudgets(namespace: string): readonly PodDisruptionBudget[];
  namespaceLabels(namespace: string): Labels | undefined;
  /**
   * The label selector of the pod's "service group" (upstream's `helper.DefaultSelector`): the selectors
   * of the Services selecting it and of its owning ReplicationController, ReplicaSet or StatefulSet,
   * ANDed; null when there are none. System-default topology spreading uses it.
   */
  defaultSpreadSelector(pod: Pod): LabelSelector | null;
}

export const emptyListers: ObjectListers = {
  getPersistentVolumeClaim: () => undefined,
  getPersistentVolume: () => undefined,
  listPodDisruptionBudgets: () => [],
  namespaceLabels: () => undefined,
  defaultSpreadSelector: () => null,
};

/** Pods nominated to run on a node after preemption (upstream's `PodNominator`). */
export interface PodNominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** What plugins may call back into (upstream's `framework.Handle`). */
export interface Handle {
  snapshot(): NodeInfoLister;
  readonly listers: ObjectListers;
  readonly nominator: PodNominator;
  readonly clock: Clock;
  /** In [0, 1); injectable for deterministic tests. */
  random(): number;
  /** Binds the pod to the node through the API (what DefaultBinder calls). */
  bind(pod: Pod, nodeName: string): Promise<void>;
  /** Deletes a preemption victim (graceful deletion). */
  evict(pod: Pod, reason: string): Promise<void>;
  /** Clears a lower-priority pod's nominated node. */
  clearNomination(pod: Pod): Promise<void>;
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result;
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Result;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Result;
}

export interface Plugin {
  readonly name: string;
}

/** PreFilter may narrow the candidate nodes (e.g. NodeAffinity on `metadata.name`). */
export interface PreFilterResult {
  readonly nodeNames: ReadonlySet<string>;
}

/** Returns null (success), a Status (Skip, or a rejection for every node), or a node-name restriction. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfoLister): Result | PreFilterResult;
  /** Incremental updates of the PreFilter state when a pod is added/removed in a what-if evaluation. */
  addPod?(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Result;
  removePod?(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Result;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result;
}

/** Why a pod failed on each node that was evaluated. */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterResult {
  nominatedNodeName: string;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<{ result: PostFilterResult | null; status: Result }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result;
}

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface ScorePlugin extends Plugin {
  /** A score for the node; after normalization it must be in [0, 100]. */
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number;
  /** Rescales `scores` (parallel to `nodes`) in place to [0, 100]. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Result;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Result>;
}

export interface BindPlugin extends Plugin {
  /** Returns Skip to let the next bind plugin do it. */
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Result>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Orders the active queue. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** The cluster events after which a pod this plugin rejected may fit. */
export interface EnqueueExtensions extends Plugin {
  eventsToRegister(): ClusterEventWithHint[];
}

/** A pod in the scheduling queue, with its attempt bookkeeping (upstream's `QueuedPodInfo`). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When it was last added to the queue (ordering, backoff). */
  timestamp: number;
  /** Order of arrival, breaking ties between equal timestamps (the clock has millisecond resolution). */
  seq: number;
  /** When it was first added; for the scheduling latency metric. */
  initialAttemptTimestamp: number;
  attempts: number;
  /** Plugins that rejected it in the last attempt. */
  unschedulablePlugins: Set<string>;
  /** Plugins that made it wait (Pending). */
  pendingPlugins: Set<string>;
}

export type AnyPlugin = Partial<PreFilterPlugin & FilterPlugin & PostFilterPlugin & PreScorePlugin & ScorePlugin & ReservePlugin & PreBindPlugin & BindPlugin & PostBindPlugin & QueueSortPlugin & EnqueueExtensions> & Plugin;

/** Builds a plugin from its arguments (from the profile) and the framework handle. */
export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => AnyPlugin;
