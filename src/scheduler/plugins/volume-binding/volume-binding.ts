/**
 * VolumeBinding (bound claims): every PersistentVolumeClaim the pod uses must exist and be bound, and the
 * bound PersistentVolume's node affinity (e.g. a local volume's node) must select the node. Provisioning
 * and binding unbound claims is not done here.
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, FilterPlugin, Handle, PluginFactory, PreFilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { ActionType } from '../../framework/events.js';
import type { PersistentVolume } from '../../framework/types.js';
import { compileNodeSelector, type NodeMatcher, type NodeSelectorTerm } from '../../util/selectors.js';

export const NAME = 'VolumeBinding';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE_PVC = 'pod has unbound immediate PersistentVolumeClaims';

/** The PV's required node affinity as a matcher; null when the PV can be used on any node. */
export function pvNodeMatcher(pv: PersistentVolume): NodeMatcher | null {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return terms ? compileNodeSelector(terms as NodeSelectorTerm[]) : null;
}

interface PreFilterState {
  /** One matcher per bound PV with node affinity. */
  matchers: NodeMatcher[];
  /** A claim is bound to a PV that does not exist. */
  pvMissing: boolean;
}

const KEY = 'PreFilter' + NAME;

export const factory: PluginFactory = (_args, handle: Handle) => {
  const conflict = Status.unresolvable(ERR_REASON_NODE_CONFLICT).withPlugin(NAME);
  const missing = Status.unresolvable(ERR_REASON_PV_NOT_EXIST).withPlugin(NAME);
  return {
    name: NAME,
    preFilter: (state: CycleState, pod: PodInfo): Result => {
      if (pod.pvcNames.length === 0) return Status.skip();
      const s: PreFilterState = { matchers: [], pvMissing: false };
      for (const claimName of pod.pvcNames) {
        const pvc = handle.listers.getPersistentVolumeClaim(pod.namespace, claimName);
        if (!pvc) return Status.unresolvable(`persistentvolumeclaim "${claimName}" not found`);
        if (pvc.metadata?.deletionTimestamp) return Status.unresolvable(`persistentvolumeclaim "${claimName}" is being deleted`);
        const volumeName = pvc.spec?.volumeName;
        if (!volumeName) return Status.unresolvable(ERR_UNBOUND_IMMEDIATE_PVC);
        const pv = handle.listers.getPersistentVolume(volumeName);
        if (!pv) {
          s.pvMissing = true;
          continue;
        }
        const m = pvNodeMatcher(pv);
        if (m) s.matchers.push(m);
      }
      state.write(KEY, s);
      return null;
    },
    filter: (state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result => {
      const s = state.read<PreFilterState>(KEY);
      if (!s) return null;
      for (const m of s.matchers) if (!m(nodeInfo)) return conflict;
      return s.pvMissing ? missing : null;
    },
    eventsToRegister: () => [
      { event: { resource: 'PersistentVolumeClaim', action: ActionType.Add | ActionType.UpdateOther } },
      { event: { resource: 'PersistentVolume', action: ActionType.Add | ActionType.UpdateOther } },
      { event: { resource: 'Node', action: ActionType.Add | ActionType.UpdateNodeLabel } },
    ],
  } satisfies PreFilterPlugin & FilterPlugin & EnqueueExtensions & AnyPlugin;
};
