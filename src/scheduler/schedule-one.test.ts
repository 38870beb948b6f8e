import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numFeasibleNodesToFind, schedulePod, selectHost } from './schedule-one.js';
import { SchedulerCache } from './cache/cache.js';
import { Framework } from './framework/framework.js';
import { FitError } from './framework/fit-error.js';
import { CycleState, emptyListers } from './framework/interface.js';
import { defaultProfile, type Profile } from './framework/profile.js';
import { inTreeRegistry } from './plugins/registry.js';
import { makeNode, makePod } from './testing/wrappers.js';
import { ManualClock } from './util/clock.js';

function setup(nodes: number, profile: Profile = defaultProfile()) {
  const cache = new SchedulerCache(new ManualClock());
  for (let i = 0; i < nodes; i++) cache.addNode(makeNode(`n${i}`).obj());
  const fwk = new Framework(inTreeRegistry(), profile, {
    snapshot: () => cache, listers: emptyListers, nominator: { nominatedPodsForNode: () => [] }, clock: new ManualClock(), random: () => 0.5,
    bind: async () => {}, evict: async () => {}, clearNomination: async () => {},
  });
  return { cache, fwk };
}

test('numFeasibleNodesToFind: all below 100 nodes, adaptive 50% − n/125 down to 5%, at least 100', () => {
  assert.equal(numFeasibleNodesToFind(0, 50), 50);
  assert.equal(numFeasibleNodesToFind(0, 100), 100);
  assert.equal(numFeasibleNodesToFind(0, 1000), 420);
  assert.equal(numFeasibleNodesToFind(0, 5000), 500);
  assert.equal(numFeasibleNodesToFind(0, 10000), 500);
  assert.equal(numFeasibleNodesToFind(0, 200), 100);
  assert.equal(numFeasibleNodesToFind(30, 1000), 300);
  assert.equal(numFeasibleNodesToFind(100, 1000), 1000);
});

test('selectHost: the highest total, ties broken by the random source', () => {
  assert.equal(selectHost([1, 5, 3], () => 0.9), 1);
  assert.equal(selectHost([5, 5, 5], () => 0.9), 0, 'never replaced');
  assert.equal(selectHost([5, 5, 5], () => 0), 2, 'always replaced');
});

test('schedulePod stops filtering once enough feasible nodes are found and rotates the start', () => {
  const { cache, fwk } = setup(1000);
  const r = schedulePod(fwk, cache, new CycleState(), makePod('p').req({ cpu: '100m' }).info(), 0);
  assert.equal(r.evaluatedNodes, 420);
  assert.equal(r.feasibleNodes, 420);
  assert.equal(r.nextStartNodeIndex, 420);
  const r2 = schedulePod(fwk, cache, new CycleState(), makePod('q').req({ cpu: '100m' }).info(), 900);
  assert.equal(r2.nextStartNodeIndex, (900 + 420) % 1000);
});

test('schedulePod prefers the least allocated node by default and the most allocated with MostAllocated', () => {
  const { cache, fwk } = setup(3);
  cache.addPod(makePod('busy').node('n0').req({ cpu: '3', memory: '6Gi' }).obj());
  cache.addPod(makePod('half').node('n1').req({ cpu: '2', memory: '4Gi' }).obj());
  const pod = makePod('p').req({ cpu: '500m', memory: '512Mi' }).info();
  assert.equal(schedulePod(fwk, cache, new CycleState(), pod, 0).suggestedHost, 'n2');
  const most = setup(3, { ...defaultProfile(), pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] });
  most.cache.addPod(makePod('busy').node('n0').req({ cpu: '3', memory: '6Gi' }).obj());
  most.cache.addPod(makePod('half').node('n1').req({ cpu: '2', memory: '4Gi' }).obj());
  assert.equal(schedulePod(most.fwk, most.cache, new CycleState(), pod, 0).suggestedHost, 'n0');
});

test('schedulePod throws a FitError naming every node reason; no nodes is its own error', () => {
  const { cache, fwk } = setup(2);
  assert.throws(
    () => schedulePod(fwk, cache, new CycleState(), makePod('p').req({ cpu: '64' }).info(), 0),
    (e: unknown) => e instanceof FitError && e.message === '0/2 nodes are available: 2 Insufficient cpu.' && e.diagnosis.unschedulablePlugins.has('NodeResourcesFit'),
  );
  const empty = setup(0);
  assert.throws(() => schedulePod(empty.fwk, empty.cache, new CycleState(), makePod('p').info(), 0), /no nodes available to schedule pods/);
});

test('a profile can disable plugins and change weights', () => {
  const profile: Profile = { plugins: { filter: { disabled: [{ name: 'NodeResourcesFit' }] }, score: { enabled: [{ name: 'NodeAffinity', weight: 5 }] } } };
  const { fwk } = setup(1, profile);
  assert.ok(!fwk.filterPlugins.some((p) => p.name === 'NodeResourcesFit'));
  assert.equal(fwk.scorePlugins.find((s) => s.plugin.name === 'NodeAffinity')!.weight, 5);
  assert.equal(fwk.scorePlugins.find((s) => s.plugin.name === 'TaintToleration')!.weight, 3);
  assert.throws(() => setup(1, { plugins: { multiPoint: { enabled: [{ name: 'NoSuchPlugin' }] } } }), /not registered/);
});
