/**
 * A scheduling profile (upstream's `KubeSchedulerProfile`): which plugins run and how scores are weighted.
 * `plugins.multiPoint` enables a plugin at every extension point it implements; per-point `enabled` /
 * `disabled` lists refine that (a disabled name of `*` turns off every default at that point). The
 * default profile is upstream's (1.32) default plugin set and weights.
 */

export interface PluginRef {
  name: string;
  /** Score weight (Score extension point only); default 1. */
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: { name: string }[];
}

export type ExtensionPoint = 'preEnqueue' | 'queueSort' | 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score' | 'reserve' | 'preBind' | 'bind' | 'postBind';

export const EXTENSION_POINTS: readonly ExtensionPoint[] = ['preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'preBind', 'bind', 'postBind'];

export interface Plugins extends Partial<Record<ExtensionPoint, PluginSet>> {
  multiPoint?: PluginSet;
}

export interface Profile {
  schedulerName?: string;
  plugins?: Plugins;
  /** Per-plugin arguments, by plugin name. */
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
  /**
   * Percentage of nodes to evaluate before choosing (0: adaptive, 50% at 100 nodes falling to 5% at
   * 5,625 nodes; never fewer than 100 nodes).
   */
  percentageOfNodesToScore?: number;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Upstream's default multi-point plugins, in order, with score weights. */
export const DEFAULT_MULTI_POINT: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

export function defaultProfile(): Profile {
  return { schedulerName: DEFAULT_SCHEDULER_NAME, plugins: { multiPoint: { enabled: DEFAULT_MULTI_POINT.map((p) => ({ ...p })) } } };
}

/**
 * The plugins enabled at one extension point, in order: multiPoint (defaults plus the profile's own),
 * minus the point's disabled names, plus the point's enabled ones (which also override weights).
 */
export function pluginsFor(profile: Profile, point: ExtensionPoint): PluginRef[] {
  const multi = [...DEFAULT_MULTI_POINT];
  const mp = profile.plugins?.multiPoint;
  const merge = (list: PluginRef[], set: PluginSet | undefined): PluginRef[] => {
    if (!set) return list;
    const disabled = new Set((set.disabled ?? []).map((d) => d.name));
    let out = disabled.has('*') ? [] : list.filter((p) => !disabled.has(p.name));
    for (const e of set.enabled ?? []) {
      const i = out.findIndex((p) => p.name === e.name);
      if (i >= 0) out[i] = { ...out[i], ...e };
      else out = [...out, e];
    }
    return out;
  };
  return merge(merge(multi, mp), profile.plugins?.[point]);
}

export function argsFor(profile: Profile, name: string): Record<string, unknown> | undefined {
  return profile.pluginConfig?.find((c) => c.name === name)?.args;
}
