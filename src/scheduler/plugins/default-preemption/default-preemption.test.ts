import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickOneNodeForPreemption, selectVictimsOnNode, splitByPDBViolation, ERR_NO_VICTIMS, type Candidate } from './candidates.js';
import { Framework } from '../../framework/framework.js';
import { CycleState, emptyListers } from '../../framework/interface.js';
import { defaultProfile } from '../../framework/profile.js';
import { Status } from '../../framework/status.js';
import { ListLister } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { ManualClock } from '../../util/clock.js';
import { inTreeRegistry } from '../registry.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodDisruptionBudget } from '../../framework/types.js';

function framework(nodes: NodeInfo[]) {
  const lister = new ListLister(nodes);
  return new Framework(inTreeRegistry(), defaultProfile(), {
    snapshot: () => lister, listers: emptyListers, nominator: { nominatedPodsForNode: () => [] }, clock: new ManualClock(),
    bind: async () => {}, evict: async () => {}, clearNomination: async () => {},
  });
}

function victimsOn(ni: NodeInfo, incoming: ReturnType<typeof makePod>, pdbs: PodDisruptionBudget[] = []) {
  const fwk = framework([ni]);
  const pod = incoming.info();
  const state = new CycleState();
  fwk.runPreFilterPlugins(state, pod);
  return selectVictimsOnNode(fwk, state, pod, ni.clone(), pdbs);
}

test('selectVictimsOnNode: evicts the fewest, least important lower-priority pods', () => {
  const ni = makeNode('n').capacity({ cpu: '4' }).info(
    makePod('low-old').priority(1).req({ cpu: '1' }).startTime('2026-01-01T00:00:00Z').obj(),
    makePod('low-new').priority(1).req({ cpu: '1' }).startTime('2026-01-02T00:00:00Z').obj(),
    makePod('mid').priority(5).req({ cpu: '1' }).obj(),
    makePod('high').priority(100).req({ cpu: '1' }).obj(),
  );
  const r = victimsOn(ni, makePod('p').priority(50).req({ cpu: '1' }));
  assert.ok(!(r instanceof Status));
  // One cpu is needed: the least important (lowest priority, started latest) goes.
  assert.deepEqual(r.victims.map((v) => v.name), ['low-new']);
  const r2 = victimsOn(ni, makePod('p').priority(50).req({ cpu: '3' }));
  assert.ok(!(r2 instanceof Status));
  assert.deepEqual(r2.victims.map((v) => v.name).sort(), ['low-new', 'low-old', 'mid']);
});

test('selectVictimsOnNode: no lower-priority pods, or not enough even after removing them all', () => {
  const ni = makeNode('n').capacity({ cpu: '2' }).info(makePod('peer').priority(10).req({ cpu: '2' }).obj());
  const r = victimsOn(ni, makePod('p').priority(10).req({ cpu: '1' }));
  assert.ok(r instanceof Status);
  assert.equal(r.message(), ERR_NO_VICTIMS);
  const ni2 = makeNode('n').capacity({ cpu: '2' }).info(makePod('low').priority(1).req({ cpu: '1' }).obj());
  const r2 = victimsOn(ni2, makePod('p').priority(10).req({ cpu: '3' }));
  assert.ok(r2 instanceof Status);
  assert.equal(r2.message(), 'Insufficient cpu');
});

test('selectVictimsOnNode: spares PDB-protected pods when others suffice, and counts violations', () => {
  const ni = makeNode('n').capacity({ cpu: '2' }).info(
    makePod('guarded').label('app', 'db').priority(1).req({ cpu: '1' }).obj(),
    makePod('free').priority(1).req({ cpu: '1' }).obj(),
  );
  const pdb: PodDisruptionBudget = { metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } };
  const r = victimsOn(ni, makePod('p').priority(10).req({ cpu: '1' }), [pdb]);
  assert.ok(!(r instanceof Status));
  assert.deepEqual(r.victims.map((v) => v.name), ['free']);
  assert.equal(r.numPDBViolations, 0);
  const r2 = victimsOn(ni, makePod('p').priority(10).req({ cpu: '2' }), [pdb]);
  assert.ok(!(r2 instanceof Status));
  assert.equal(r2.numPDBViolations, 1);
});

test('splitByPDBViolation counts down disruptionsAllowed across the list', () => {
  const pods = ['a', 'b', 'c'].map((n) => makePod(n).label('app', 'x').info());
  const pdb: PodDisruptionBudget = { metadata: { name: 'x', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } } }, status: { disruptionsAllowed: 2, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3 } };
  const { violating, nonViolating } = splitByPDBViolation(pods, [pdb]);
  assert.deepEqual(nonViolating.map((p) => p.name), ['a', 'b']);
  assert.deepEqual(violating.map((p) => p.name), ['c']);
});

test('pickOneNodeForPreemption: upstream criteria in order', () => {
  const v = (name: string, priority: number, start = '2026-01-01T00:00:00Z') => makePod(name).priority(priority).startTime(start).info();
  const c = (nodeName: string, victims: ReturnType<typeof v>[], numPDBViolations = 0): Candidate => ({ nodeName, victims, numPDBViolations });
  assert.equal(pickOneNodeForPreemption([c('pdb', [v('a', 1)], 1), c('nopdb', [v('b', 9)])])!.nodeName, 'nopdb', 'fewest PDB violations');
  assert.equal(pickOneNodeForPreemption([c('hi', [v('a', 9)]), c('lo', [v('b', 5), v('c', 5)])])!.nodeName, 'lo', 'lowest highest-priority victim');
  assert.equal(pickOneNodeForPreemption([c('sum-big', [v('a', 5), v('b', 4)]), c('sum-small', [v('c', 5), v('d', 1)])])!.nodeName, 'sum-small', 'smallest priority sum');
  assert.equal(pickOneNodeForPreemption([c('two', [v('a', 5), v('b', -2147483648)]), c('one', [v('c', 5)])])!.nodeName, 'one', 'fewest victims when sums tie (offset per victim)');
  assert.equal(pickOneNodeForPreemption([c('old', [v('a', 5, '2026-01-01T00:00:00Z')]), c('young', [v('b', 5, '2026-02-01T00:00:00Z')])])!.nodeName, 'young', 'latest start of the top victims');
  assert.equal(pickOneNodeForPreemption([]), undefined);
});
