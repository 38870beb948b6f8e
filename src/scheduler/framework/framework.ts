/**
 * The framework runtime for one profile (upstream's `frameworkImpl`): instantiates the enabled plugins
 * from the registry, sorts them into extension points, and runs each point with upstream's semantics
 * (first failing filter wins; PreFilter/PreScore Skip turns a plugin's Filter/Score off for the cycle;
 * scores are normalized per plugin, then weighted and summed). It is also the `Handle` plugins call back.
 */
import type { Clock } from '../util/clock.js';
import type { ClusterEventWithHint } from './events.js';
import {
  CycleState,
  type AnyPlugin, type BindPlugin, type EnqueueExtensions, type FilterPlugin, type Handle, type NodeInfoLister, type NodeToStatus,
  type ObjectListers, type PodNominator, type PostBindPlugin, type PostFilterPlugin, type PostFilterResult, type PreBindPlugin,
  type PreFilterPlugin, type PreScorePlugin, type QueuedPodInfo, type QueueSortPlugin, type ReservePlugin, type ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { argsFor, pluginsFor, type Profile, DEFAULT_SCHEDULER_NAME } from './profile.js';
import type { Registry } from './registry.js';
import { Code, Status, type Result } from './status.js';
import type { Pod } from './types.js';

/** The side effects and views the framework is given (the rest of `Handle` it implements itself). */
export interface FrameworkDeps {
  snapshot: () => NodeInfoLister;
  listers: ObjectListers;
  nominator: PodNominator;
  clock: Clock;
  random?: () => number;
  bind: (pod: Pod, nodeName: string) => Promise<void>;
  evict: (pod: Pod, reason: string) => Promise<void>;
  clearNomination: (pod: Pod) => Promise<void>;
}

export interface PreEnqueuePlugin extends AnyPlugin {
  preEnqueue(pod: PodInfo): Result;
}

export interface PreFilterOutcome {
  /** Null: success. Otherwise the rejection (or error) for every node. */
  status: Result;
  /** Nodes PreFilter restricted the pod to; null for all. */
  nodeNames: Set<string> | null;
  /** The plugins that restricted them. */
  restrictedBy: string[];
}

export class Framework implements Handle {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number;
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly queueSortPlugin: QueueSortPlugin;
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number }[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  /** Plugin name → events it registered, for the queue. */
  readonly eventsToRegister = new Map<string, ClusterEventWithHint[]>();
  readonly listers: ObjectListers;
  readonly nominator: PodNominator;
  readonly clock: Clock;
  private readonly plugins = new Map<string, AnyPlugin>();

  constructor(registry: Registry, profile: Profile, private readonly deps: FrameworkDeps) {
    this.profileName = profile.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore ?? 0;
    this.listers = deps.listers;
    this.nominator = deps.nominator;
    this.clock = deps.clock;
    const instance = (name: string): AnyPlugin => {
      let p = this.plugins.get(name);
      if (!p) {
        const f = registry.get(name);
        if (!f) throw new Error(`plugin ${JSON.stringify(name)} is not registered`);
        p = f(argsFor(profile, name), this);
        this.plugins.set(name, p);
      }
      return p;
    };
    const at = (point: Parameters<typeof pluginsFor>[1], has: (p: AnyPlugin) => boolean) =>
      pluginsFor(profile, point)
        .map((ref) => ({ ref, plugin: instance(ref.name) }))
        .filter(({ plugin }) => has(plugin));
    for (const { plugin } of at('preEnqueue', (p) => 'preEnqueue' in p)) this.preEnqueuePlugins.push(plugin as PreEnqueuePlugin);
    const sorts = at('queueSort', (p) => typeof p.less === 'function');
    if (sorts.length !== 1) throw new Error(`exactly one queue sort plugin is required, found ${sorts.length}`);
    this.queueSortPlugin = sorts[0]!.plugin as QueueSortPlugin;
    for (const { plugin } of at('preFilter', (p) => typeof p.preFilter === 'function')) this.preFilterPlugins.push(plugin as PreFilterPlugin);
    for (const { plugin } of at('filter', (p) => typeof p.filter === 'function')) this.filterPlugins.push(plugin as FilterPlugin);
    for (const { plugin } of at('postFilter', (p) => typeof p.postFilter === 'function')) this.postFilterPlugins.push(plugin as PostFilterPlugin);
    for (const { plugin } of at('preScore', (p) => typeof p.preScore === 'function')) this.preScorePlugins.push(plugin as PreScorePlugin);
    for (const { ref, plugin } of at('score', (p) => typeof p.score === 'function')) {
      const weight = ref.weight ?? 1;
      if (weight <= 0) throw new Error(`score plugin ${ref.name} needs a positive weight`);
      this.scorePlugins.push({ plugin: plugin as ScorePlugin, weight });
    }
    for (const { plugin } of at('reserve', (p) => typeof p.reserve === 'function')) this.reservePlugins.push(plugin as ReservePlugin);
    for (const { plugin } of at('preBind', (p) => typeof p.preBind === 'function')) this.preBindPlugins.push(plugin as PreBindPlugin);
    for (const { plugin } of at('bind', (p) => typeof p.bind === 'function')) this.bindPlugins.push(plugin as BindPlugin);
    for (const { plugin } of at('postBind', (p) => typeof p.postBind === 'function')) this.postBindPlugins.push(plugin as PostBindPlugin);
    for (const [name, p] of this.plugins) {
      if (typeof p.eventsToRegister === 'function') this.eventsToRegister.set(name, (p as EnqueueExtensions).eventsToRegister());
    }
  }

  // ---- Handle ----

  snapshot(): NodeInfoLister {
    return this.deps.snapshot();
  }

  random(): number {
    return (this.deps.random ?? Math.random)();
  }

  bind(pod: Pod, nodeName: string): Promise<void> {
    return this.deps.bind(pod, nodeName);
  }

  evict(pod: Pod, reason: string): Promise<void> {
    return this.deps.evict(pod, reason);
  }

  clearNomination(pod: Pod): Promise<void> {
    return this.deps.clearNomination(pod);
  }

  plugin(name: string): AnyPlugin | undefined {
    return this.plugins.get(name);
  }

  // ---- extension points ----

  queueSortLess = (a: QueuedPodInfo, b: QueuedPodInfo): boolean => this.queueSortPlugin.less(a, b);

  runPreEnqueuePlugins(pod: PodInfo): Result {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue(pod);
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  runPreFilterPlugins(state: CycleState, pod: PodInfo): PreFilterOutcome {
    let nodeNames: Set<string> | null = null;
    const restrictedBy: string[] = [];
    const snap = this.snapshot();
    for (const p of this.preFilterPlugins) {
      let r;
      try {
        r = p.preFilter(state, pod, snap);
      } catch (err) {
        return { status: Status.error(err).withPlugin(p.name), nodeNames: null, restrictedBy };
      }
      if (r === null) continue;
      if (r instanceof Status) {
        if (r.code === Code.Skip) {
          state.skipFilterPlugins.add(p.name);
          continue;
        }
        if (r.code === Code.Success) continue;
        if (r.plugin === '') r.plugin = p.name;
        return { status: r, nodeNames: null, restrictedBy };
      }
      restrictedBy.push(p.name);
      if (nodeNames === null) nodeNames = new Set(r.nodeNames);
      else for (const n of nodeNames) if (!r.nodeNames.has(n)) nodeNames.delete(n);
      if (nodeNames.size === 0) {
        return { status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${restrictedBy.join(' ')}] simultaneously`).withPlugin(p.name), nodeNames, restrictedBy };
      }
    }
    return { status: null, nodeNames, restrictedBy };
  }

  /** The Filter plugins that run for this cycle (those whose PreFilter did not Skip). */
  activeFilterPlugins(state: CycleState): FilterPlugin[] {
    if (state.skipFilterPlugins.size === 0) return this.filterPlugins;
    return this.filterPlugins.filter((p) => !state.skipFilterPlugins.has(p.name));
  }

  /** Runs the filters in order; the first rejection (tagged with its plugin) is returned. */
  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, plugins: readonly FilterPlugin[] = this.activeFilterPlugins(state)): Result {
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      let s: Result;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (err) {
        s = Status.error(err);
      }
      if (s !== null && s.code !== Code.Success) {
        if (s.plugin === '') s.plugin = p.name;
        return s;
      }
    }
    return null;
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Result {
    for (const p of this.preFilterPlugins) {
      if (!p.addPod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.addPod(state, pod, toAdd, nodeInfo);
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Result {
    for (const p of this.preFilterPlugins) {
      if (!p.removePod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.removePod(state, pod, toRemove, nodeInfo);
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  /**
   * Filters with nominated pods of equal or higher priority counted on the node (as if already there),
   * then, if any were added, again without them (upstream's `RunFilterPluginsWithNominatedPods`): the pod
   * must fit both ways.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, plugins?: readonly FilterPlugin[]): Result {
    const nominated = this.nominator.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo, plugins);
    let withNominated: NodeInfo | null = null;
    let stateWith = state;
    for (const np of nominated) {
      if (np.key === pod.key || np.priority < pod.priority) continue;
      if (!withNominated) {
        withNominated = nodeInfo.clone();
        stateWith = state.clone();
      }
      withNominated.addPod(np);
      const s = this.runPreFilterExtensionAddPod(stateWith, pod, np, withNominated);
      if (s) return s;
    }
    if (withNominated) {
      const s = this.runFilterPlugins(stateWith, pod, withNominated, plugins);
      if (s) return s;
    }
    return this.runFilterPlugins(state, pod, nodeInfo, plugins);
  }

  async runPostFilterPlugins(state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<{ result: PostFilterResult | null; status: Result }> {
    const reasons: string[] = [];
    let rejectedBy = '';
    for (const p of this.postFilterPlugins) {
      const { result, status } = await p.postFilter(state, pod, nodeToStatus);
      if (status === null || status.code === Code.Success) return { result, status: null };
      if (status.code === Code.Error) return { result: null, status: status.withPlugin(p.name) };
      if (!status.isRejected()) return { result, status };
      reasons.push(...status.reasons);
      rejectedBy ||= p.name;
      if (result) return { result, status: new Status(status.code, reasons).withPlugin(rejectedBy) };
    }
    if (this.postFilterPlugins.length === 0) return { result: null, status: Status.unschedulable().withPlugin('') };
    return { result: null, status: new Status(Code.Unschedulable, reasons).withPlugin(rejectedBy) };
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s === null) continue;
      if (s.code === Code.Skip) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  /** Each node's weighted total over the score plugins (parallel to `nodes`). */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    const scores = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i]!);
      plugin.normalizeScore?.(state, pod, nodes, scores);
      for (let i = 0; i < nodes.length; i++) {
        const s = scores[i]!;
        if (s > 100 || s < 0) throw new Error(`plugin ${plugin.name} returns an invalid score ${s}, it should in the range of [0, 100] after normalizing`);
        totals[i]! += s * weight;
      }
    }
    return totals;
  }

  runReservePlugins(state: CycleState, pod: PodInfo, nodeName: string): Result {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  runUnreservePlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  async runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Result> {
    for (const p of this.preBindPlugins) {
      const s = await p.preBind(state, pod, nodeName);
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  async runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Result> {
    for (const p of this.bindPlugins) {
      const s = await p.bind(state, pod, nodeName);
      if (s !== null && s.code === Code.Skip) continue;
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
      return null;
    }
    return Status.error(new Error('no bind plugin bound the pod'));
  }

  runPostBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of this.postBindPlugins) p.postBind(state, pod, nodeName);
  }
}
