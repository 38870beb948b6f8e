import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerCache } from './cache.js';
import { factory as spreadFactory } from '../plugins/pod-topology-spread/pod-topology-spread.js';
import { fakeHandle, filterAll, scoreAll } from '../testing/plugin-harness.js';
import { makeNode, makePod } from '../testing/wrappers.js';
import { ManualClock } from '../util/clock.js';
import type { Pod } from '../framework/types.js';

const ZONE = 'topology.kubernetes.io/zone';

test('incremental spread counts give the same filter and score results as a full scan', () => {
  const cache = new SchedulerCache(new ManualClock());
  for (let i = 0; i < 6; i++) cache.addNode(makeNode(`n${i}`).label(ZONE, `z${i % 3}`).obj());
  const placed: Pod[] = [];
  const place = (name: string, node: string, app = 'web') => {
    const p = makePod(name).node(node).label('app', app).obj();
    cache.addPod(p);
    placed.push(p);
  };
  const withCounters = spreadFactory(undefined, { ...fakeHandle([]), snapshot: () => cache });
  const byScan = () => spreadFactory(undefined, fakeHandle([...cache.list()]));
  const incoming = [
    makePod('a').label('app', 'web').spread(1, ZONE, 'DoNotSchedule', { app: 'web' }),
    makePod('b').label('app', 'web').spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', { app: 'web' }),
    makePod('c').label('app', 'web').spread(1, ZONE, 'ScheduleAnyway', { app: 'web' }).spread(2, 'kubernetes.io/hostname', 'ScheduleAnyway', { app: 'web' }),
  ];
  const check = (when: string) => {
    const nodes = [...cache.list()];
    for (const p of incoming) {
      assert.deepEqual(filterAll(withCounters, p.info(), nodes), filterAll(byScan(), p.info(), nodes), `filter ${p.pod.metadata!.name} ${when}`);
      assert.deepEqual(scoreAll(withCounters, p.info(), nodes), scoreAll(byScan(), p.info(), nodes), `score ${p.pod.metadata!.name} ${when}`);
    }
  };
  place('w1', 'n0');
  place('w2', 'n0');
  place('w3', 'n1');
  place('db', 'n2', 'db');
  check('after adds');
  cache.removePod(placed[0]!);
  place('w4', 'n5');
  check('after add and remove');
  cache.updateNode(makeNode('n5').label(ZONE, 'z0').obj(), makeNode('n5').label(ZONE, 'z9').obj());
  check('after a node moved zone');
  const deleting = { ...placed[1]!, metadata: { ...placed[1]!.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  cache.updatePod(placed[1]!, deleting);
  check('after a pod started terminating');
  cache.addNode(makeNode('n9').label(ZONE, 'z1').obj());
  check('after a node was added');
});
