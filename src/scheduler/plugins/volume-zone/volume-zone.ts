/**
 * VolumeZone: a pod using bound PersistentVolumes labelled with a zone or region may only run on nodes
 * in that zone/region (a node without any such label is not constrained).
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, Handle, PluginFactory, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import type { PersistentVolume } from '../../framework/types.js';

export const NAME = 'VolumeZone';
export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone';

const GA_ZONE = 'topology.kubernetes.io/zone';
const GA_REGION = 'topology.kubernetes.io/region';
const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
export const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, GA_ZONE, GA_REGION];
const GA_OF: Record<string, string> = { [BETA_ZONE]: GA_ZONE, [BETA_REGION]: GA_REGION };

/** One PV's topology requirement: the label key and the allowed values (`a__b` lists several). */
export interface PVTopology {
  key: string;
  values: ReadonlySet<string>;
}

export function pvTopologies(pv: PersistentVolume): PVTopology[] {
  const labels = pv.metadata?.labels ?? {};
  return TOPOLOGY_LABELS.filter((k) => k in labels).map((key) => ({ key, values: new Set(labels[key]!.split('__')) }));
}

/** Whether the node satisfies every requirement (nodes without topology labels always do). */
export function fitsZones(topologies: readonly PVTopology[], nodeInfo: NodeInfo): boolean {
  const labels = nodeInfo.labels;
  if (!TOPOLOGY_LABELS.some((k) => k in labels)) return true;
  for (const t of topologies) {
    let v = labels[t.key];
    if (v === undefined && GA_OF[t.key]) v = labels[GA_OF[t.key]!];
    if (v === undefined || !t.values.has(v)) return false;
  }
  return true;
}

const KEY = 'PreFilter' + NAME;

export const factory: PluginFactory = (_args, handle: Handle) => {
  const conflict = Status.unresolvable(ERR_REASON_CONFLICT).withPlugin(NAME);
  return {
    name: NAME,
    preFilter: (state: CycleState, pod: PodInfo): Result => {
      const topologies: PVTopology[] = [];
      for (const claim of pod.pvcNames) {
        const volumeName = handle.listers.getPersistentVolumeClaim(pod.namespace, claim)?.spec?.volumeName;
        const pv = volumeName ? handle.listers.getPersistentVolume(volumeName) : undefined;
        if (pv) topologies.push(...pvTopologies(pv));
      }
      if (topologies.length === 0) return Status.skip();
      state.write(KEY, topologies);
      return null;
    },
    filter: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result => {
      const t = state.read<PVTopology[]>(KEY);
      return !t || fitsZones(t, nodeInfo) ? null : conflict;
    },
    eventsToRegister: () => [
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeLabel } },
      { event: { resource: 'PersistentVolume', action: ActionType.Add | ActionType.UpdateOther } },
      { event: { resource: 'PersistentVolumeClaim', action: ActionType.Add | ActionType.UpdateOther } },
    ],
  } satisfies PreFilterPlugin & FilterPlugin & EnqueueExtensions & AnyPlugin;
};
