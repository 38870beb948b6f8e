import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingQueue } from './scheduling-queue.js';
import { less } from '../plugins/queue-sort/priority-sort.js';
import { ActionType, events } from '../framework/events.js';
import type { QueuedPodInfo } from '../framework/interface.js';
import { Code, Status } from '../framework/status.js';
import { makePod } from '../testing/wrappers.js';
import { ManualClock } from '../util/clock.js';

function newQueue(clock = new ManualClock(), extra: Partial<ConstructorParameters<typeof SchedulingQueue>[0]> = {}) {
  return new SchedulingQueue({ less, clock, ...extra });
}

function fail(q: SchedulingQueue, p: QueuedPodInfo, plugins: string[] = ['NodeResourcesFit']): void {
  p.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(p, q.currentCycle());
}

test('activeQ pops by priority, then by time queued', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.add(makePod('low-first').priority(1).obj());
  clock.advance(1);
  q.add(makePod('high').priority(10).obj());
  clock.advance(1);
  q.add(makePod('low-second').priority(1).obj());
  clock.advance(1);
  q.add(makePod('high-later').priority(10).obj());
  const order = [q.tryPop(), q.tryPop(), q.tryPop(), q.tryPop()].map((x) => x!.podInfo.name);
  assert.deepEqual(order, ['high', 'high-later', 'low-first', 'low-second']);
  assert.equal(q.tryPop(), undefined);
});

test('pods queued within one clock tick pop in arrival order', () => {
  const q = newQueue();
  const names = Array.from({ length: 20 }, (_, i) => `p${i}`);
  for (const n of names) q.add(makePod(n).obj());
  assert.deepEqual(names.map(() => q.tryPop()!.podInfo.name), names);
});

test('pop waits for a pod and resolves null when closed', async () => {
  const q = newQueue();
  const waiting = q.pop();
  q.add(makePod('late').obj());
  assert.equal((await waiting)!.podInfo.name, 'late');
  const never = q.pop();
  q.close();
  assert.equal(await never, null);
});

test('backoff doubles from 1 s up to 10 s per attempt', () => {
  const q = newQueue();
  const p = { podInfo: makePod('p').info(), timestamp: 0, seq: 0, initialAttemptTimestamp: 0, attempts: 0, unschedulablePlugins: new Set<string>(), pendingPlugins: new Set<string>() };
  const durations = [1, 2, 3, 4, 5, 6].map((a) => q.backoffDuration({ ...p, attempts: a }));
  assert.deepEqual(durations, [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('a cluster event moves unschedulable pods to backoffQ, and they reach activeQ when backoff ends', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.run();
  q.add(makePod('p').obj());
  const p = q.tryPop()!;
  fail(q, p);
  assert.equal(q.whereIs('default/p'), 'unschedulable');
  q.moveAllToActiveOrBackoffQueue(events.nodeAdd);
  assert.equal(q.whereIs('default/p'), 'backoff');
  clock.advance(999);
  assert.equal(q.whereIs('default/p'), 'backoff');
  clock.advance(1);
  assert.equal(q.whereIs('default/p'), 'active', 'the 1 s flush moved it');
  q.close();
});

test('an event after the backoff has passed moves the pod straight to activeQ', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.add(makePod('p').obj());
  fail(q, q.tryPop()!);
  clock.advance(5_000);
  q.moveAllToActiveOrBackoffQueue(events.nodeAdd);
  assert.equal(q.whereIs('default/p'), 'active');
});

test('only events registered by the rejecting plugins move a pod (queueing hints)', () => {
  const clock = new ManualClock();
  const hint = () => 0 as const;
  const q = newQueue(clock, {
    eventsToRegister: new Map([
      ['NodeResourcesFit', [{ event: { resource: 'Node', action: ActionType.Add } }]],
      ['NodePorts', [{ event: { resource: 'AssignedPod', action: ActionType.Delete } }]],
      ['Picky', [{ event: { resource: 'Node', action: ActionType.Add }, hint }]],
    ]),
  });
  for (const name of ['fit', 'ports', 'picky']) {
    q.add(makePod(name).obj());
    clock.advance(1);
  }
  fail(q, q.tryPop()!, ['NodeResourcesFit']);
  fail(q, q.tryPop()!, ['NodePorts']);
  fail(q, q.tryPop()!, ['Picky']);
  clock.advance(2_000);
  q.moveAllToActiveOrBackoffQueue(events.assignedPodDelete);
  assert.deepEqual(['fit', 'ports', 'picky'].map((n) => q.whereIs(`default/${n}`)), ['unschedulable', 'active', 'unschedulable']);
  q.moveAllToActiveOrBackoffQueue(events.nodeAdd);
  assert.deepEqual(['fit', 'picky'].map((n) => q.whereIs(`default/${n}`)), ['active', 'unschedulable'], 'the hint said QueueSkip');
});

test('a move request during a scheduling attempt sends that pod to backoffQ, not unschedulable', () => {
  const q = newQueue();
  q.add(makePod('p').obj());
  const p = q.tryPop()!;
  q.moveAllToActiveOrBackoffQueue(events.nodeAdd);
  fail(q, p);
  assert.equal(q.whereIs('default/p'), 'backoff');
});

test('errors go to backoffQ', () => {
  const q = newQueue();
  q.add(makePod('p').obj());
  const p = q.tryPop()!;
  q.addUnschedulableIfNotPresent(p, q.currentCycle(), true);
  assert.equal(q.whereIs('default/p'), 'backoff');
});

test('pods left unschedulable for 5 minutes are flushed back', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  q.run();
  q.add(makePod('p').obj());
  fail(q, q.tryPop()!);
  clock.advance(5 * 60_000);
  assert.equal(q.whereIs('default/p'), 'unschedulable', 'not yet: strictly longer than 5 minutes');
  clock.advance(30_000);
  assert.equal(q.whereIs('default/p'), 'active');
  q.close();
});

test('a spec update retries an unschedulable pod; a status-only update does not', () => {
  const clock = new ManualClock();
  const q = newQueue(clock);
  const pod = makePod('p').req({ cpu: '8' }).obj();
  q.add(pod);
  fail(q, q.tryPop()!);
  clock.advance(2_000);
  q.update(pod, { ...pod, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } });
  assert.equal(q.whereIs('default/p'), 'unschedulable');
  q.update(pod, { ...pod, spec: { ...pod.spec!, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] } });
  assert.equal(q.whereIs('default/p'), 'active');
});

test('delete removes the pod everywhere', () => {
  const q = newQueue();
  const pod = makePod('p').obj();
  q.add(pod);
  q.delete(pod);
  assert.equal(q.whereIs('default/p'), undefined);
  assert.equal(q.tryPop(), undefined);
});

test('PreEnqueue (scheduling gates) holds a pod until the gate is lifted', () => {
  const q = newQueue(new ManualClock(), { preEnqueue: (p) => ((p.pod.spec?.schedulingGates ?? []).length ? new Status(Code.Pending, ['gated']) : null) });
  const gated = makePod('g').obj();
  gated.spec!.schedulingGates = [{ name: 'example.com/wait' }];
  q.add(gated);
  assert.equal(q.whereIs('default/g'), 'gated');
  assert.equal(q.tryPop(), undefined);
  q.update(gated, { ...gated, spec: { ...gated.spec!, schedulingGates: [] } });
  assert.equal(q.whereIs('default/g'), 'active');
});

test('nominator: pods nominated to a node are listed for it', () => {
  const q = newQueue();
  const pod = makePod('p').obj();
  pod.status!.nominatedNodeName = 'n1';
  q.add(pod);
  assert.deepEqual(q.nominator.nominatedPodsForNode('n1').map((p) => p.name), ['p']);
  q.delete(pod);
  assert.deepEqual(q.nominator.nominatedPodsForNode('n1'), []);
});
