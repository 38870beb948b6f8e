import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factory } from './pod-topology-spread.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering.js';
import { filterAll, instantiate, scoreAll } from '../../testing/plugin-harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { PodInfo } from '../../framework/pod-info.js';
import type { Pod } from '../../framework/types.js';

const ZONE = 'topology.kubernetes.io/zone';
const app = (name: string) => makePod(name).label('app', 'web').obj();

test('PodTopologySpread Filter: maxSkew against the least loaded zone', () => {
  // zone a: 2 matching pods; zone b: 0.
  const nodes = [makeNode('a1').label(ZONE, 'a').info(app('x'), app('y')), makeNode('b1').label(ZONE, 'b').info(), makeNode('nolabel').info()];
  const p = instantiate(factory, nodes);
  const pod = makePod('new').label('app', 'web').spread(1, ZONE, 'DoNotSchedule', { app: 'web' });
  assert.deepEqual(filterAll(p, pod.info(), nodes), { a1: ERR_REASON_CONSTRAINTS_NOT_MATCH, b1: 'ok', nolabel: ERR_REASON_NODE_LABEL_NOT_MATCH });
  // maxSkew 3 allows 2 + 1 − 0 = 3.
  const loose = makePod('new').label('app', 'web').spread(3, ZONE, 'DoNotSchedule', { app: 'web' });
  assert.deepEqual(filterAll(p, loose.info(), nodes), { a1: 'ok', b1: 'ok', nolabel: ERR_REASON_NODE_LABEL_NOT_MATCH });
});

test('PodTopologySpread Filter: a pod that does not match its own selector does not count itself', () => {
  const nodes = [makeNode('a1').label(ZONE, 'a').info(app('x')), makeNode('b1').label(ZONE, 'b').info()];
  const p = instantiate(factory, nodes);
  const pod = makePod('other').label('app', 'other').spread(1, ZONE, 'DoNotSchedule', { app: 'web' });
  assert.deepEqual(filterAll(p, pod.info(), nodes), { a1: 'ok', b1: 'ok' });
});

test('PodTopologySpread Filter: minDomains treats the minimum as 0 while too few domains exist', () => {
  const nodes = [makeNode('a1').label(ZONE, 'a').info(app('x')), makeNode('b1').label(ZONE, 'b').info(app('y'))];
  const p = instantiate(factory, nodes);
  const base = makePod('new').label('app', 'web');
  assert.deepEqual(filterAll(p, base.spread(1, ZONE, 'DoNotSchedule', { app: 'web' }).info(), nodes), { a1: 'ok', b1: 'ok' });
  const needs3 = makePod('new3').label('app', 'web').spread(1, ZONE, 'DoNotSchedule', { app: 'web' }, { minDomains: 3 });
  assert.deepEqual(filterAll(p, needs3.info(), nodes), { a1: ERR_REASON_CONSTRAINTS_NOT_MATCH, b1: ERR_REASON_CONSTRAINTS_NOT_MATCH });
});

test('PodTopologySpread Filter: nodes outside the pod node affinity do not count as domains (nodeAffinityPolicy Honor)', () => {
  const nodes = [makeNode('a1').label(ZONE, 'a').label('pool', 'x').info(app('p')), makeNode('b1').label(ZONE, 'b').label('pool', 'y').info()];
  const p = instantiate(factory, nodes);
  const pod = makePod('new').label('app', 'web').nodeSelector({ pool: 'x' }).spread(1, ZONE, 'DoNotSchedule', { app: 'web' });
  // Only zone a counts: 1 + 1 − 1 = 1 ≤ 1.
  assert.deepEqual(filterAll(p, pod.info(), nodes).a1, 'ok');
});

test('PodTopologySpread Filter: nodeTaintsPolicy Honor leaves untolerated tainted nodes out of the domains', () => {
  // Zone c exists only on a tainted node: with Ignore (default) its 0 is the minimum; with Honor it does not count.
  const nodes = [
    makeNode('a1').label(ZONE, 'a').info(app('x')),
    makeNode('b1').label(ZONE, 'b').info(app('y')),
    makeNode('c1').label(ZONE, 'c').taint({ key: 'k', effect: 'NoSchedule' }).info(),
  ];
  const p = instantiate(factory, nodes);
  const ignore = makePod('i').label('app', 'web').spread(1, ZONE, 'DoNotSchedule', { app: 'web' });
  assert.deepEqual(filterAll(p, ignore.info(), nodes), { a1: ERR_REASON_CONSTRAINTS_NOT_MATCH, b1: ERR_REASON_CONSTRAINTS_NOT_MATCH, c1: 'ok' });
  const honor = makePod('h').label('app', 'web').spread(1, ZONE, 'DoNotSchedule', { app: 'web' }, { nodeTaintsPolicy: 'Honor' });
  assert.deepEqual(filterAll(p, honor.info(), nodes), { a1: 'ok', b1: 'ok', c1: 'ok' });
});

test('PodTopologySpread Score: the emptier domain scores higher (ScheduleAnyway)', () => {
  const nodes = [makeNode('a1').label(ZONE, 'a').info(app('x'), app('y')), makeNode('b1').label(ZONE, 'b').info(), makeNode('nolabel').info()];
  const p = instantiate(factory, nodes);
  const got = scoreAll(p, makePod('new').label('app', 'web').spread(1, ZONE, 'ScheduleAnyway', { app: 'web' }).info(), nodes) as Record<string, number>;
  assert.equal(got.b1, 100);
  assert.ok(got.a1! < got.b1!);
  assert.equal(got.nolabel, 0);
  assert.equal(scoreAll(p, makePod('plain').info(), nodes), 'skip');
});

test("PodTopologySpread Score: system defaults spread a ReplicaSet's pods over nodes and zones", () => {
  const replica = (name: string) => {
    const p = makePod(name).label('app', 'web').obj();
    p.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true }];
    return p;
  };
  const nodes = [makeNode('a1').label(ZONE, 'a').info(replica('r1'), replica('r2')), makeNode('b1').label(ZONE, 'b').info(replica('r3')), makeNode('b2').label(ZONE, 'b').info()];
  const groupOf = (pod: Pod) => (pod.metadata?.ownerReferences?.[0]?.uid === 'rs-uid' ? { matchLabels: { app: 'web' } } : null);
  const p = instantiate(factory, nodes, undefined, { defaultSpreadSelector: groupOf });
  assert.equal(scoreAll(p, makePod('loner').label('app', 'web').info(), nodes), 'skip', 'no service group: no default constraints');
  const scores = scoreAll(p, new PodInfo(replica('r4')), nodes) as Record<string, number>;
  assert.equal(scores.b2, 100, 'the empty node in the emptier zone');
  assert.ok(scores.a1! < scores.b1! && scores.b1! < scores.b2!, JSON.stringify(scores));
  const listed = instantiate(factory, nodes, { defaultingType: 'List', defaultConstraints: [] }, { defaultSpreadSelector: groupOf });
  assert.equal(scoreAll(listed, new PodInfo(replica('r4')), nodes), 'skip', 'List defaulting without constraints turns it off');
});
