import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from './scheduler.js';
import { FakeCluster } from './testing/fake-cluster.js';
import { makeNode, makePod } from './testing/wrappers.js';
import { ManualClock } from './util/clock.js';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function setup(build: (c: FakeCluster) => void) {
  const cluster = new FakeCluster();
  build(cluster);
  const clock = new ManualClock();
  const s = new Scheduler({ source: cluster, sink: cluster, clock, random: () => 0 });
  await s.start();
  return { cluster, clock, s };
}

test('binds a pod and records the Scheduled event', async () => {
  const { cluster, s } = await setup((c) => {
    c.addNode(makeNode('n1').obj());
    c.addPod(makePod('p1').req({ cpu: '1' }).obj());
  });
  await until(() => cluster.bindings.length === 1, 'binding');
  assert.deepEqual(cluster.bindings, [{ pod: 'default/p1', node: 'n1' }]);
  await until(() => cluster.events.length === 1, 'event');
  assert.deepEqual(cluster.events.map((e) => [e.type, e.reason, e.message]), [['Normal', 'Scheduled', 'Successfully assigned default/p1 to n1']]);
  await s.stop();
});

test('an unschedulable pod gets PodScheduled=False and a FailedScheduling event in upstream form', async () => {
  const { cluster, s } = await setup((c) => {
    c.addNode(makeNode('n1').unschedulable().obj());
    c.addNode(makeNode('n2').capacity({ cpu: '1' }).obj());
    c.addNode(makeNode('n3').capacity({ cpu: '1' }).obj());
    c.addPod(makePod('big').req({ cpu: '2' }).obj());
  });
  await until(() => cluster.events.length === 1, 'event');
  const msg = '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. ' +
    // Upstream nests the preemption FitError message, hence the double full stop.
    'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
  assert.equal(cluster.events[0]!.reason, 'FailedScheduling');
  assert.equal(cluster.events[0]!.type, 'Warning');
  assert.equal(cluster.events[0]!.message, msg);
  await until(() => cluster.condition('default/big') !== undefined, 'condition');
  const cond = cluster.condition('default/big')!;
  assert.equal(cond.status, 'False');
  assert.equal(cond.reason, 'Unschedulable');
  assert.equal(cond.message, msg);
  assert.equal(s.queue.whereIs('default/big'), 'unschedulable');
  await s.stop();
});

test('a pending pod is scheduled as soon as a big enough node is added', async () => {
  const { cluster, clock, s } = await setup((c) => {
    c.addNode(makeNode('small').capacity({ cpu: '1' }).obj());
    c.addPod(makePod('big').req({ cpu: '3' }).obj());
  });
  await until(() => s.queue.whereIs('default/big') === 'unschedulable', 'unschedulable');
  cluster.addNode(makeNode('large').capacity({ cpu: '8' }).obj());
  // Moved by the NodeAdd event, the pod sits out the rest of its 1 s backoff first.
  assert.equal(s.queue.whereIs('default/big'), 'backoff');
  clock.advance(1_000);
  await until(() => cluster.bindings.length === 1, 'binding');
  assert.deepEqual(cluster.bindings, [{ pod: 'default/big', node: 'large' }]);
  await s.stop();
});

test('a cordoned node gets nothing, and uncordoning lets the pod in', async () => {
  const { cluster, clock, s } = await setup((c) => {
    c.addNode(makeNode('n1').unschedulable().obj());
    c.addPod(makePod('p').obj());
  });
  await until(() => s.queue.whereIs('default/p') === 'unschedulable', 'unschedulable');
  assert.equal(cluster.bindings.length, 0);
  cluster.updateNode(makeNode('n1').obj());
  clock.advance(1_000);
  await until(() => cluster.bindings.length === 1, 'binding after uncordon');
  await s.stop();
});

test('preemption evicts lower-priority pods, nominates the node, then schedules there', async () => {
  const { cluster, clock, s } = await setup((c) => {
    c.addNode(makeNode('n1').capacity({ cpu: '2' }).obj());
    c.addPod(makePod('low1').node('n1').priority(1).req({ cpu: '1' }).obj());
    c.addPod(makePod('low2').node('n1').priority(1).req({ cpu: '1' }).obj());
    c.addPod(makePod('high').priority(100).req({ cpu: '1' }).obj());
  });
  await until(() => cluster.evictions.length > 0, 'eviction');
  await until(() => s.queue.whereIs('default/high') === 'backoff', 'requeued by the victim deletion');
  assert.equal(cluster.pod('default/high')!.status!.nominatedNodeName, 'n1');
  clock.advance(1_000);
  await until(() => cluster.bindings.length === 1, 'binding of the preemptor');
  assert.equal(cluster.evictions.length, 1, 'one victim is enough');
  assert.deepEqual(cluster.bindings, [{ pod: 'default/high', node: 'n1' }]);
  const failed = cluster.events.find((e) => e.reason === 'FailedScheduling');
  assert.equal(failed?.message, '0/1 nodes are available: 1 Insufficient cpu.');
  assert.ok(cluster.events.some((e) => e.reason === 'Preempted' && e.message.endsWith('on node n1')));
  await s.stop();
});

test('a failed binding forgets the assumed pod and retries after backoff', async () => {
  const { cluster, clock, s } = await setup((c) => {
    c.addNode(makeNode('n1').capacity({ cpu: '1' }).obj());
    c.bindError = new Error('connection refused');
    c.addPod(makePod('p').req({ cpu: '1' }).obj());
  });
  await until(() => s.queue.whereIs('default/p') === 'backoff', 'backoff');
  assert.equal(s.cache.get('n1')!.pods.length, 0, 'assumption undone');
  const failed = cluster.events.find((e) => e.reason === 'FailedScheduling');
  assert.match(failed!.message, /connection refused/);
  cluster.bindError = null;
  clock.advance(1_000);
  await until(() => cluster.bindings.length === 1, 'binding after backoff');
  await s.stop();
});

test('a pod deleted while pending is dropped', async () => {
  const { cluster, s } = await setup((c) => {
    c.addNode(makeNode('n1').capacity({ cpu: '1' }).obj());
    c.addPod(makePod('p').req({ cpu: '2' }).obj());
  });
  await until(() => s.queue.whereIs('default/p') === 'unschedulable', 'unschedulable');
  cluster.deletePod('default/p');
  assert.equal(s.queue.whereIs('default/p'), undefined);
  await s.stop();
});

test('pods land where selectors, affinities, taints and resources say', async () => {
  const ZONE = 'topology.kubernetes.io/zone';
  const { cluster, s } = await setup((c) => {
    c.addNode(makeNode('gpu').label('accel', 'gpu').label(ZONE, 'a').taint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj());
    c.addNode(makeNode('ssd').label('disk', 'ssd').label(ZONE, 'b').obj());
    c.addNode(makeNode('tiny').label(ZONE, 'c').capacity({ cpu: '500m' }).obj());
    // Priorities fix the order: db, then cache (affinity to db), then worker (anti-affinity to db).
    c.addPod(makePod('trainer').nodeSelector({ accel: 'gpu' }).toleration({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }).obj());
    c.addPod(makePod('db').priority(10).label('app', 'db').nodeAffinityRequired([{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }]).obj());
    c.addPod(makePod('cache').priority(5).podAffinity('affinity', ZONE, { app: 'db' }).obj());
    c.addPod(makePod('worker').priority(1).req({ cpu: '1' }).podAffinity('anti', ZONE, { app: 'db' }).obj());
  });
  // The worker fits nowhere; it waits in backoffQ or the unschedulable map (bindings in flight during its
  // attempt count as cluster events, which send it to backoffQ).
  const waiting = () => ['unschedulable', 'backoff'].includes(s.queue.whereIs('default/worker') ?? '');
  await until(() => cluster.bindings.length === 3 && waiting() && cluster.events.length === 4, 'three bindings and one failure');
  const where = Object.fromEntries(cluster.bindings.map((b) => [b.pod.split('/')[1], b.node]));
  assert.deepEqual(where, { db: 'ssd', cache: 'ssd', trainer: 'gpu' });
  const failed = cluster.events.find((e) => e.reason === 'FailedScheduling' && e.object.metadata!.name === 'worker');
  assert.equal(failed!.message.split(' preemption:')[0], "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod anti-affinity rules, 1 node(s) had untolerated taint {dedicated: gpu}.");
  await s.stop();
});

test('pods for another scheduler are left alone', async () => {
  const pod = makePod('mine').obj();
  pod.spec!.schedulerName = 'my-scheduler';
  const { cluster, s } = await setup((c) => {
    c.addNode(makeNode('n1').obj());
    c.addPod(pod);
  });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(cluster.bindings.length, 0);
  assert.equal(s.queue.whereIs('default/mine'), undefined);
  await s.stop();
});

test('an assumed pod whose binding is never confirmed expires after the TTL and frees its node', async () => {
  const cluster = new FakeCluster();
  cluster.addNode(makeNode('n1').capacity({ cpu: '1' }).obj());
  cluster.echoBindings = false;
  cluster.addPod(makePod('ghost').req({ cpu: '1' }).obj());
  const clock = new ManualClock();
  const s = new Scheduler({ source: cluster, sink: cluster, clock, assumedPodTtlMs: 30_000 });
  await s.start();
  await until(() => cluster.bindings.length === 1, 'binding');
  await s.flushBindings();
  assert.equal(s.cache.get('n1')!.pods.length, 1, 'assumed');
  clock.advance(29_000);
  assert.equal(s.cache.get('n1')!.pods.length, 1);
  clock.advance(2_000);
  assert.equal(s.cache.get('n1')!.pods.length, 0);
  await s.stop();
});
