/**
 * Preemption's pure parts (upstream's `preemption` package and DefaultPreemption's `SelectVictimsOnNode`):
 * which lower-priority pods to evict on a node so the pod fits (as few and as unimportant as possible,
 * sparing PodDisruptionBudgets where it can), and which candidate node to pick.
 */
import type { CycleState, Handle } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import type { PodDisruptionBudget } from '../../framework/types.js';
import { compileLabelSelector } from '../../util/selectors.js';

export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  nodeName: string;
  /** Pods to evict, most important first. */
  victims: PodInfo[];
  /** How many of them would violate a PodDisruptionBudget. */
  numPDBViolations: number;
}

/** `MoreImportantPod`: higher priority first, then the one that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.startTime() < b.startTime();
}

/**
 * `filterPodsWithPDBViolation`: splits pods into those whose eviction would exceed some matching PDB's
 * `disruptionsAllowed` (counting the earlier pods of the list) and those whose would not.
 */
export function splitByPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    const sel = p.spec?.selector;
    const empty = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
    return empty ? null : compileLabelSelector(sel);
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violates = false;
    pdbs.forEach((pdb, i) => {
      if ((pdb.metadata?.namespace ?? 'default') !== p.namespace) return;
      const sel = selectors[i];
      if (!sel || !sel(p.labels)) return;
      if (pdb.status?.disruptedPods && p.name in pdb.status.disruptedPods) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/**
 * Works on `nodeInfo` (a clone) and `state` (a clone): removes every lower-priority pod, checks the pod
 * then fits, and adds back as many as possible, most important first (PDB-violating ones before the
 * others, so those are spared first). Returns the candidate, or the status why the node cannot help.
 */
export function selectVictimsOnNode(handle: Handle, state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): Candidate | Status {
  const potential: PodInfo[] = [];
  for (const p of [...nodeInfo.pods]) {
    if (p.priority >= pod.priority) continue;
    potential.push(p);
    nodeInfo.removePod(p);
    const s = handle.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
    if (s) return s;
  }
  if (potential.length === 0) return Status.unresolvable(ERR_NO_VICTIMS);
  const fit = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (fit) return fit;
  potential.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  const { violating, nonViolating } = splitByPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: PodInfo, isViolating: boolean): Result => {
    nodeInfo.addPod(p);
    const s = handle.runPreFilterExtensionAddPod(state, pod, p, nodeInfo);
    if (s) return s;
    if (handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo) !== null) {
      nodeInfo.removePod(p);
      const r = handle.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
      if (r) return r;
      victims.push(p);
      if (isViolating) numPDBViolations++;
    }
    return null;
  };
  for (const p of violating) {
    const s = reprieve(p, true);
    if (s) return s;
  }
  for (const p of nonViolating) {
    const s = reprieve(p, false);
    if (s) return s;
  }
  // Most important first, whichever group each came from.
  victims.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  if (victims.length === 0) return Status.error(new Error(`expected at least one victim pod on node "${nodeInfo.name}"`));
  return { nodeName: nodeInfo.name, victims, numPDBViolations };
}

/**
 * `pickOneNodeForPreemption`: fewest PDB violations; then the lowest highest-victim priority; then the
 * smallest sum of victim priorities; then fewest victims; then the latest start time among the
 * highest-priority victims; then the first.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  type Score = (c: Candidate) => number;
  const criteria: Score[] = [
    (c) => -c.numPDBViolations,
    (c) => -(c.victims[0]?.priority ?? -Infinity),
    (c) => -c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = c.victims[0]?.priority;
      let earliest = Infinity;
      for (const v of c.victims) if (v.priority === top && v.startTime() < earliest) earliest = v.startTime();
      return earliest;
    },
  ];
  let pool = [...candidates];
  for (const score of criteria) {
    let best = -Infinity;
    for (const c of pool) best = Math.max(best, score(c));
    pool = pool.filter((c) => score(c) === best);
    if (pool.length === 1) break;
  }
  return pool[0];
}
