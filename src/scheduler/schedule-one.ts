/**
 * One scheduling decision (upstream's `schedulePod` in schedule_one.go): PreFilter, then Filter over the
 * nodes — starting where the previous cycle stopped and stopping once enough feasible nodes are found —
 * then PreScore/Score over the feasible ones and a random pick among the best. Synchronous: the cluster
 * view cannot change while it runs.
 */
import type { Framework } from './framework/framework.js';
import { FitError, newDiagnosis, NO_NODES_AVAILABLE } from './framework/fit-error.js';
import type { CycleState, NodeInfoLister } from './framework/interface.js';
import type { NodeInfo } from './framework/node-info.js';
import type { PodInfo } from './framework/pod-info.js';
import { Code } from './framework/status.js';

/** Below this many nodes, every node is evaluated (upstream's `minFeasibleNodesToFind`). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this (upstream's `minFeasibleNodesPercentageToFind`). */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
const BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;

/**
 * How many feasible nodes to find before scoring (`numFeasibleNodesToFind`): all nodes below 100;
 * otherwise `percentage` of them, where 0 means adaptive (50% − nodes/125, at least 5%), and never fewer
 * than 100.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = BASE_PERCENTAGE_OF_NODES_TO_SCORE - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (pct >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** The index of a highest score, ties broken uniformly at random (reservoir sampling, as `selectHost`). */
export function selectHost(totals: readonly number[], random: () => number): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    const s = totals[i]!;
    if (s > totals[best]!) {
      best = i;
      ties = 1;
    } else if (s === totals[best]!) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}

export interface ScheduleResult {
  suggestedHost: string;
  /** Nodes run through Filter (incl. the failed ones). */
  evaluatedNodes: number;
  feasibleNodes: number;
  /** Where the next cycle starts its node walk. */
  nextStartNodeIndex: number;
}

/**
 * Chooses a node for the pod or throws a `FitError` (or another error for internal failures).
 * `startIndex` rotates the starting node across cycles so every node gets considered.
 */
export function schedulePod(fwk: Framework, snap: NodeInfoLister, state: CycleState, pod: PodInfo, startIndex: number): ScheduleResult {
  const all = snap.list();
  if (all.length === 0) throw new Error(NO_NODES_AVAILABLE);
  const diagnosis = newDiagnosis();
  const pre = fwk.runPreFilterPlugins(state, pod);
  if (pre.status) {
    if (pre.status.code === Code.Error) throw new Error(`running PreFilter plugin "${pre.status.plugin}": ${pre.status.message()}`);
    diagnosis.preFilterMsg = pre.status.message();
    for (const n of all) diagnosis.nodeToStatus.set(n.name, pre.status);
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    throw new FitError(pod, all.length, diagnosis);
  }
  const filters = fwk.activeFilterPlugins(state);

  // A pod nominated by an earlier preemption tries its nominated node first.
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated && (!pre.nodeNames || pre.nodeNames.has(nominated))) {
    const ni = snap.get(nominated);
    if (ni && fwk.runFilterPluginsWithNominatedPods(state, pod, ni, filters) === null) {
      return finish(fwk, state, pod, [ni], 1, startIndex, all.length);
    }
  }

  let nodes: readonly NodeInfo[] = all;
  if (pre.nodeNames) {
    nodes = all.filter((n) => pre.nodeNames!.has(n.name));
    const excluded = all.length - nodes.length;
    if (excluded > 0) diagnosis.absentStatus = { reasons: [`node(s) didn't satisfy plugin(s) [${pre.restrictedBy.join(' ')}]`], count: excluded };
  }
  const want = numFeasibleNodesToFind(fwk.percentageOfNodesToScore, nodes.length);
  const feasible: NodeInfo[] = [];
  let processed = 0;
  const n = nodes.length;
  const start = n === 0 ? 0 : startIndex % n;
  for (let i = 0; i < n; i++) {
    const ni = nodes[(start + i) % n]!;
    processed++;
    const s = fwk.runFilterPluginsWithNominatedPods(state, pod, ni, filters);
    if (s === null) {
      feasible.push(ni);
      if (feasible.length >= want) break;
      continue;
    }
    if (s.code === Code.Error) throw new Error(`running "${s.plugin}" filter plugin: ${s.message()}`);
    diagnosis.nodeToStatus.set(ni.name, s);
    if (s.code === Code.Pending) diagnosis.pendingPlugins.add(s.plugin);
    else diagnosis.unschedulablePlugins.add(s.plugin);
  }
  if (feasible.length === 0) throw new FitError(pod, all.length, diagnosis);
  return finish(fwk, state, pod, feasible, processed, start + processed, all.length);
}

function finish(fwk: Framework, state: CycleState, pod: PodInfo, feasible: NodeInfo[], evaluated: number, next: number, total: number): ScheduleResult {
  const nextStartNodeIndex = total === 0 ? 0 : next % total;
  if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: evaluated, feasibleNodes: 1, nextStartNodeIndex };
  const s = fwk.runPreScorePlugins(state, pod, feasible);
  if (s) throw new Error(`running PreScore plugin "${s.plugin}": ${s.message()}`);
  const totals = fwk.runScorePlugins(state, pod, feasible);
  const i = selectHost(totals, () => fwk.random());
  return { suggestedHost: feasible[i]!.name, evaluatedNodes: evaluated, feasibleNodes: feasible.length, nextStartNodeIndex };
}

