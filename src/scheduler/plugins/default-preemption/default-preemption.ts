/**
 * DefaultPreemption (PostFilter): when a pod fits nowhere, look for nodes where evicting lower-priority
 * pods makes room, pick one, evict its victims (graceful deletion), clear weaker nominations there, and
 * nominate the pod to that node. The pod is retried when the victims are gone.
 */
import type { AnyPlugin, CycleState, EnqueueExtensions, Handle, NodeToStatus, PluginFactory, PostFilterPlugin, PostFilterResult } from '../../framework/interface.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Code, Status, type Result } from '../../framework/status.js';
import { fitErrorMessage, newDiagnosis } from '../../framework/fit-error.js';
import { ActionType } from '../../framework/events.js';
import { pickOneNodeForPreemption, selectVictimsOnNode, type Candidate } from './candidates.js';

export const NAME = 'DefaultPreemption';
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface DefaultPreemptionArgs {
  /** Minimum share of nodes to dry-run preemption on (upstream default 10%). */
  minCandidateNodesPercentage?: number;
  /** Minimum number of nodes to dry-run preemption on (upstream default 100). */
  minCandidateNodesAbsolute?: number;
}

/** `PodEligibleToPreemptOthers`: null when eligible, else the reason. */
export function ineligibleReason(pod: PodInfo, handle: Handle, nodeToStatus: NodeToStatus): string | null {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated) {
    if (nodeToStatus.get(nominated)?.code === Code.UnschedulableAndUnresolvable) return null;
    const ni = handle.snapshot().get(nominated);
    if (ni) {
      for (const p of ni.pods) {
        if (p.pod.metadata?.deletionTimestamp && p.priority < pod.priority) return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
  }
  return null;
}

export const factory: PluginFactory = (rawArgs, handle: Handle) => {
  const args = (rawArgs ?? {}) as DefaultPreemptionArgs;
  const minPct = args.minCandidateNodesPercentage ?? 10;
  const minAbs = args.minCandidateNodesAbsolute ?? 100;
  return {
    name: NAME,
    postFilter: async (state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<{ result: PostFilterResult | null; status: Result }> => {
      const reason = ineligibleReason(pod, handle, nodeToStatus);
      if (reason) return { result: null, status: Status.unschedulable(reason) };
      const all = handle.snapshot().list();
      const diag = newDiagnosis();
      const potential = [];
      for (const n of all) {
        const st = nodeToStatus.get(n.name);
        if (!st || st.code === Code.UnschedulableAndUnresolvable) diag.nodeToStatus.set(n.name, Status.unresolvable(ERR_NOT_HELPFUL));
        else potential.push(n);
      }
      const fail = () => ({ result: { nominatedNodeName: '' }, status: Status.unschedulable('preemption: ' + fitErrorMessage(all.length, diag)) });
      if (potential.length === 0) return fail();
      const pdbs = handle.listers.listPodDisruptionBudgets('');
      const numCandidates = Math.min(potential.length, Math.max(Math.trunc((potential.length * minPct) / 100), minAbs));
      const offset = Math.floor(handle.random() * potential.length);
      const nonViolating: Candidate[] = [];
      const violating: Candidate[] = [];
      for (let k = 0; k < potential.length; k++) {
        const ni = potential[(offset + k) % potential.length]!;
        const r = selectVictimsOnNode(handle, state.clone(), pod, ni.clone(), pdbs);
        if (r instanceof Status) {
          if (r.code === Code.Error) return { result: null, status: r };
          diag.nodeToStatus.set(ni.name, r);
          continue;
        }
        (r.numPDBViolations === 0 ? nonViolating : violating).push(r);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
      }
      const best = pickOneNodeForPreemption([...nonViolating, ...violating]);
      if (!best) return fail();
      // prepareCandidate: evict the victims and clear weaker nominations on the node.
      const reasonText = `Preempted by pod ${pod.uid} on node ${best.nodeName}`;
      await Promise.all(best.victims.map((v) => handle.evict(v.pod, reasonText)));
      for (const np of handle.nominator.nominatedPodsForNode(best.nodeName)) {
        if (np.priority < pod.priority && np.key !== pod.key) await handle.clearNomination(np.pod);
      }
      return { result: { nominatedNodeName: best.nodeName }, status: null };
    },
    eventsToRegister: () => [{ event: { resource: 'AssignedPod', action: ActionType.Delete } }],
  } satisfies PostFilterPlugin & EnqueueExtensions & AnyPlugin;
};
